// Renderer for application/vnd.convkan.training+json: live loss and metric curves.
import { MIME_TRAINING, parseTraining } from '../../kernel/payloads/training';
import { createRenderer } from '../shared/createRenderer';
import { createTrainingView } from './trainingView';

export const mimeType = MIME_TRAINING;

export const activate = createRenderer({
  name: 'training',
  title: 'ConvKAN training view',
  parse: parseTraining,
  create: createTrainingView,
});
