// Renderer for application/vnd.convkan.splines+json: the learned edge functions of a ConvKAN layer.
import { MIME_SPLINES } from '../../kernel/display/mimeTypes';
import { createRenderer } from '../shared/createRenderer';
import { parseSplines } from './parseSplines';
import { createSplinesView } from './splinesView';

export const mimeType = MIME_SPLINES;

export const activate = createRenderer({
  name: 'splines',
  title: 'ConvKAN splines view',
  parse: parseSplines,
  create: createSplinesView,
});
