// The standard MIME types the kernel emits, and the MIME bundle. The ConvKAN views' own MIME
// types, with their payload schemas, live in kernel/payloads (one module per type).

export const MIME_TEXT = 'text/plain';
export const MIME_HTML = 'text/html';
export const MIME_MARKDOWN = 'text/markdown';
export const MIME_SVG = 'image/svg+xml';
export const MIME_PNG = 'image/png';
export const MIME_JSON = 'application/json';
export const MIME_PLOTLY = 'application/vnd.plotly.v1+json';

/** A Jupyter MIME bundle: data keyed by MIME type, plus metadata. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
