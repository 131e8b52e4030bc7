// display.training(): a tfjs fit callback that shows loss and metric curves in ONE output,
// updated in place while model.fit runs — at most every minIntervalMs (a trailing update makes
// sure the latest point shows up), and always once more at the end.
import type * as tf from '@tensorflow/tfjs';
import type { DisplayEmitter, DisplayHandle } from './displayApi';
import { TRAINING_VERSION, type TrainingPayload, type TrainingPoint } from '../payloads';
import { trainingBundle } from './bundles/trainingBundle';

export interface TrainingDisplayOptions {
  title?: string;
  /** 'epoch' (default): one point per epoch; 'batch': one point per batch, numbered across epochs. */
  stepUnit?: 'epoch' | 'batch';
  /** Expected number of epochs (or batches), drawn as the end of the x axis (default: from fit's parameters). */
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

/** What tfjs's CustomCallback (the `this` of our hooks during fit) knows; absent when called directly. */
function fitContext(self: unknown): { params?: Record<string, unknown> } {
  return typeof self === 'object' && self !== null ? (self as { params?: Record<string, unknown> }) : {};
}

export function createTrainingCallback(emitter: DisplayEmitter, opts: TrainingDisplayOptions = {}): TrainingCallback {
  const stepUnit = opts.stepUnit ?? 'epoch';
  const minInterval = opts.minIntervalMs ?? 200;
  const maxPoints = opts.maxPoints ?? 5000;
  const bad = (what: string, expected: string, actual: unknown) =>
    new RangeError(`Error in display.training: ${what} must be ${expected}, but got ${JSON.stringify(actual)}.`);
  if (stepUnit !== 'epoch' && stepUnit !== 'batch') throw bad('stepUnit', "'epoch' or 'batch'", stepUnit);
  if (opts.totalSteps !== undefined && !(Number.isInteger(opts.totalSteps) && opts.totalSteps >= 1))
    throw bad('totalSteps', 'an integer ≥ 1', opts.totalSteps);
  if (!(minInterval >= 0)) throw bad('minIntervalMs', 'a number ≥ 0', opts.minIntervalMs);
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) throw bad('maxPoints', 'an integer ≥ 2', opts.maxPoints);
  const now = opts.now ?? (() => Date.now());
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = opts.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  const payload: TrainingPayload = { version: TRAINING_VERSION, metrics: [], stepUnit, points: [], status: 'running' };
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
  const nonFinite = new Map<string, number>();
  const notes = () => [
    ...(thinned ? [`older points thinned to keep at most ${maxPoints}`] : []),
    ...[...nonFinite].map(([k, step]) => `${k} was not finite (NaN or infinite) from ${stepUnit} ${step} on: those values are left out`),
  ];
  const bundle = () => trainingBundle(snapshot(), notes());

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

  const addMetric = (k: string) => {
    if (!payload.metrics.includes(k)) payload.metrics.push(k);
  };
  const wanted = (k: string) => !NOT_METRICS.has(k) && (!opts.metrics || opts.metrics.includes(k));

  const record = (step: number, logs: tf.Logs | undefined) => {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(logs ?? {})) {
      if (typeof v !== 'number' || !wanted(k)) continue;
      addMetric(k);
      // JSON has no NaN or Infinity: a diverged value becomes a gap in the curve, and a note.
      if (Number.isFinite(v)) values[k] = v;
      else if (!nonFinite.has(k)) nonFinite.set(k, step);
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
  let epochsPlanned: number | undefined;
  return {
    get displayId() {
      return handle?.displayId;
    },
    get emitted() {
      return emitted;
    },
    payload: snapshot,
    finish,
    // Plain functions, not arrows: tfjs calls them with its CustomCallback as `this`, which holds
    // the fit parameters (epochs, steps per epoch).
    onTrainBegin: async function (this: unknown) {
      payload.status = 'running';
      epochsThisFit = 0;
      epochsPlanned = undefined;
      const params = fitContext(this).params;
      if (params && typeof params.epochs === 'number') {
        const epochs = params.epochs - (typeof params.initialEpoch === 'number' ? params.initialEpoch : 0);
        epochsPlanned = epochs;
      }
      // The metric names are known before the first point: the first picture has its panels.
      if (params && Array.isArray(params.metrics)) for (const m of params.metrics) if (typeof m === 'string' && wanted(m)) addMetric(m);
      if (!opts.totalSteps && epochsPlanned !== undefined && params) {
        const epochs = epochsPlanned;
        const perEpoch =
          typeof params.steps === 'number'
            ? params.steps
            : typeof params.samples === 'number' && typeof params.batchSize === 'number'
              ? Math.ceil(params.samples / params.batchSize)
              : undefined;
        const total = stepUnit === 'epoch' ? epochBase + epochs : perEpoch !== undefined ? batchStep + epochs * perEpoch : undefined;
        if (total !== undefined && total > 0) payload.totalSteps = total;
      }
      // Without metric names yet (called outside fit), the output appears with the first point.
      if (payload.metrics.length) emit();
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
          if (!k.startsWith('val_') || typeof v !== 'number' || !wanted(k)) continue;
          addMetric(k);
          if (last && Number.isFinite(v)) last.logs[k] = v;
          else if (!Number.isFinite(v) && !nonFinite.has(k)) nonFinite.set(k, last?.step ?? 0);
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
      // tfjs ends a fit early (model.stopTraining, an interrupt, early stopping) and still calls
      // onTrainEnd: fewer epochs than planned means it was stopped.
      finish(epochsPlanned !== undefined && epochsThisFit < epochsPlanned ? 'stopped' : 'done');
    },
  };
}
