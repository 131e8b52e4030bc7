// Renderer for application/vnd.convkan.activations+json: the input patches that most activate each filter.
import { MIME_ACTIVATIONS, parseActivations } from '../../kernel/payloads/activations';
import { createRenderer } from '../shared/createRenderer';
import { createActivationsView } from './activationsView';

export const mimeType = MIME_ACTIVATIONS;

export const activate = createRenderer({
  name: 'activations',
  title: 'ConvKAN filter activations view',
  parse: parseActivations,
  create: createActivationsView,
});
