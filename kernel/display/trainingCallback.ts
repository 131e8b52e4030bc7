// display.training(): a tfjs fit callback that shows loss and metric curves in ONE output,
// updated in place while model.fit runs — at most every minIntervalMs (a trailing update makes
// sure the latest point shows up), and always once more at the end.
import type * as tf from '@tensorflow/tfjs';
import type { DisplayEmitter, DisplayHandle } from './displayApi';
import { CONVKAN_SCHEMA_VERSION, TrainingPayload, TrainingPoint } from './mimeTypes';
import { trainingBundle } from './views/trainingView';

export interface TrainingDisplayOptions {
  title?: string;
  /** 'epoch' (default): one point per epoch; 'batch': one point per batch, numbered across epochs. */
  stepUnit?: 'epoch' | 'batch';
  /** Expected number of epochs (or batches), drawn as the end of the x axis. */
  totalSteps?: number;
  /** Only these log keys (default: every numeric key tfjs reports). */
  metrics?: string[];
  /** Least time between two live updates, ms (default 200: at most 5 updates per second). */
  minIntervalMs?: number;
  /** The payload keeps at most this many points; beyond it every other old point is dropped (default 5000). */
  maxPoints?: number;
  /** Clock and timer, replaceable in tests. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** Keys of tfjs batch logs that are bookkeeping, not metrics. */
const NOT_METRICS = new Set(['batch', 'size']);

export interface TrainingCallback extends tf.CustomCallbackArgs {
  /** The output's display id once training has begun. */
  readonly displayId: string | undefined;
  /** Number of display_data + update_display_data messages sent so far. */
  readonly emitted: number;
  /** A copy of the current payload. */
  payload(): TrainingPayload;
  /** Ends the live view with a status (e.g. 'stopped' after an interrupt, 'error' after a failure). */
  finish(status: TrainingPayload['status']): void;
}

export function createTrainingCallback(emitter: DisplayEmitter, opts: TrainingDisplayOptions = {}): TrainingCallback {
  const stepUnit = opts.stepUnit ?? 'epoch';
  const minInterval = opts.minIntervalMs ?? 200;
  const maxPoints = opts.maxPoints ?? 5000;
  const now = opts.now ?? (() => Date.now());
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  const payload: TrainingPayload = { version: CONVKAN_SCHEMA_VERSION, metrics: [], stepUnit, points: [], status: 'running' };
  if (opts.title) payload.title = opts.title;
  if (opts.totalSteps) payload.totalSteps = opts.totalSteps;
  let handle: DisplayHandle | undefined;
  let emitted = 0;
  let lastEmit = -Infinity;
  let timer: unknown;
  let thinned = false;
  let epochBase = 0; // epochs of earlier fit() calls with the same callback
  let batchStep = 0;

  const snapshot = (): TrainingPayload => JSON.parse(JSON.stringify(payload));
  const bundle = () => trainingBundle(snapshot(), thinned ? [`older points thinned to keep at most ${maxPoints}`] : []);

  const emit = () => {
    if (timer !== undefined) {
      clearTimer(timer);
      timer = undefined;
    }
    lastEmit = now();
    emitted++;
    if (!handle) handle = emitter.show(() => bundle(), undefined);
    else handle.update(bundle());
  };

  const throttled = () => {
    const wait = lastEmit + minInterval - now();
    if (wait <= 0) emit();
    else if (timer === undefined) timer = setTimer(emit, wait);
  };

  const record = (step: number, logs: tf.Logs | undefined) => {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs ?? {})) {
      if (NOT_METRICS.has(k) || typeof v !== 'number') continue;
      if (opts.metrics && !opts.metrics.includes(k)) continue;
      values[k] = v;
      if (!payload.metrics.includes(k)) payload.metrics.push(k);
    }
    const point: TrainingPoint = { step, logs: values };
    payload.points.push(point);
    if (payload.points.length > maxPoints) {
      payload.points = payload.points.filter((_, i) => i % 2 === 1 || i === payload.points.length - 1);
      thinned = true;
    }
  };

  const finish = (status: TrainingPayload['status']) => {
    payload.status = status;
    emit();
  };

  let epochsThisFit = 0;
  return {
    get displayId() {
      return handle?.displayId;
    },
    get emitted() {
      return emitted;
    },
    payload: snapshot,
    finish,
    onTrainBegin: async () => {
      payload.status = 'running';
      epochsThisFit = 0;
      emit();
    },
    onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
      epochsThisFit = epoch + 1;
      if (stepUnit === 'epoch') {
        record(epochBase + epoch + 1, logs);
        throttled();
      } else if (logs && Object.keys(logs).some((k) => k.startsWith('val_'))) {
        // Validation metrics only exist per epoch: attach them to the last batch point.
        const last = payload.points[payload.points.length - 1];
        for (const [k, v] of Object.entries(logs)) {
          if (!k.startsWith('val_') || typeof v !== 'number' || (opts.metrics && !opts.metrics.includes(k))) continue;
          if (last) last.logs[k] = v;
          if (!payload.metrics.includes(k)) payload.metrics.push(k);
        }
        throttled();
      }
    },
    onBatchEnd: async (_batch: number, logs?: tf.Logs) => {
      if (stepUnit !== 'batch') return;
      batchStep++;
      record(batchStep, logs);
      throttled();
    },
    onTrainEnd: async () => {
      epochBase += epochsThisFit;
      finish('done');
    },
  };
}
