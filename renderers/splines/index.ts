// Renderer for application/vnd.convkan.splines+json: the learned edge functions of a ConvKAN layer.
import { MIME_SPLINES, parseSplines } from '../../kernel/payloads/splines';
import { createRenderer } from '../shared/createRenderer';
import { createSplinesView } from './splinesView';

export const mimeType = MIME_SPLINES;

export const activate = createRenderer({
  name: 'splines',
  title: 'ConvKAN splines view',
  parse: parseSplines,
  create: createSplinesView,
});
