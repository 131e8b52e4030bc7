// Renderer for application/vnd.convkan.timing+json: ConvKAN layers timed against a baseline.
import { MIME_TIMING, parseTiming } from '../../kernel/payloads/timing';
import { createRenderer } from '../shared/createRenderer';
import { createTimingView } from './timingView';

export const mimeType = MIME_TIMING;

export const activate = createRenderer({
  name: 'timing',
  title: 'ConvKAN timing view',
  parse: parseTiming,
  create: createTimingView,
});
