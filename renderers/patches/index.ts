// Renderer for application/vnd.convkan.patches+json: how a ConvKAN layer cuts its input into patches.
import { MIME_PATCHES, parsePatches } from '../../kernel/payloads/patches';
import { createRenderer } from '../shared/createRenderer';
import { createPatchesView } from './patchesView';

export const mimeType = MIME_PATCHES;

export const activate = createRenderer({
  name: 'patches',
  title: 'ConvKAN patches view',
  parse: parsePatches,
  create: createPatchesView,
});
