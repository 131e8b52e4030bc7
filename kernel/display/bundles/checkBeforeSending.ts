// The kernel parses each ConvKAN payload it built with the same parser the renderer runs, so a
// producer bug fails in the cell that made it (naming the MIME type and field) instead of
// reaching the notebook as an output no renderer can draw.
import { PAYLOAD_PARSERS, type ConvkanMimeType } from '../../payloads';

export function checkBeforeSending<P>(mime: ConvkanMimeType, payload: P): P {
  PAYLOAD_PARSERS[mime](payload);
  return payload;
}
