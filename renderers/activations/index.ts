// Renderer for application/vnd.convkan.activations+json: the input patches that most activate each filter.
import { MIME_ACTIVATIONS } from '../../kernel/display/mimeTypes';
import { createRenderer } from '../shared/createRenderer';
import { parseActivations } from './parseActivations';
import { createActivationsView } from './activationsView';

export const mimeType = MIME_ACTIVATIONS;

export const activate = createRenderer({
  name: 'activations',
  title: 'ConvKAN filter activations view',
  parse: parseActivations,
  create: createActivationsView,
});
