// application/vnd.convkan.training+json: live loss/metric curves of a fit. A point may lack some
// metrics; a non-finite value (NaN in the kernel, null after JSON) is a gap in the curve.
import * as v from './check';

export const MIME_TRAINING = 'application/vnd.convkan.training+json';
export const TRAINING_VERSION = 1;

/** Sizes the renderer draws (the kernel keeps at most opts.maxPoints points, 5000 by default). */
export const TRAINING_LIMITS = {
  metrics: 24,
  /** Points × metrics. */
  values: 1_000_000,
  /** Points the kernel keeps unless opts.maxPoints says otherwise. */
  sentPoints: 5000,
} as const;

export const TRAINING_STEP_UNITS = ['epoch', 'batch'] as const;
export const TRAINING_STATUSES = ['running', 'done', 'stopped', 'error'] as const;

export interface TrainingPoint {
  /** epoch number, or step number for per-batch points */
  step: number;
  logs: Record<string, number>;
}

export interface TrainingPayload {
  version: typeof TRAINING_VERSION;
  title?: string;
  /** Names of the series, e.g. ["loss", "acc", "val_loss"]. */
  metrics: string[];
  /** 'epoch' or 'batch': what `step` counts. */
  stepUnit: (typeof TRAINING_STEP_UNITS)[number];
  points: TrainingPoint[];
  status: (typeof TRAINING_STATUSES)[number];
  totalSteps?: number;
}

export function parseTraining(value: unknown): TrainingPayload {
  return v.parseAs(MIME_TRAINING, value, trainingFields);
}

function trainingFields(p: v.Json): TrainingPayload {
  v.version(p, TRAINING_VERSION);
  const metrics = v.array(p.metrics, 'metrics').map((m, i) => v.string(m, `metrics[${i}]`));
  if (metrics.length === 0) throw v.malformed('metrics: expected at least one metric name, got an empty array');
  if (new Set(metrics).size !== metrics.length) throw v.malformed(`metrics: names must be unique, got [${metrics.join(', ')}]`);
  if (metrics.length > TRAINING_LIMITS.metrics)
    throw v.tooLarge('The number of metrics', metrics.length, TRAINING_LIMITS.metrics, 'Log fewer metrics.');
  const raw = v.array(p.points, 'points');
  if (raw.length * metrics.length > TRAINING_LIMITS.values) {
    throw v.tooLarge(
      `The curve data (${raw.length} points × ${metrics.length} metrics)`,
      raw.length * metrics.length,
      TRAINING_LIMITS.values,
      'Log per epoch, or every n-th batch.',
    );
  }
  const known = new Set(metrics);
  let prev = -Infinity;
  const points = raw.map((r, i) => {
    const path = `points[${i}]`;
    const o = v.object(r, path);
    const step = v.finite(o.step, `${path}.step`);
    if (step <= prev) throw v.malformed(`${path}.step: expected steps to increase, but ${step} follows ${prev}`);
    prev = step;
    const logsIn = v.object(o.logs, `${path}.logs`);
    const logs: Record<string, number> = {};
    for (const [k, val] of Object.entries(logsIn)) {
      if (!known.has(k)) throw v.malformed(`${path}.logs.${k}: "${k}" is not one of metrics [${metrics.join(', ')}]`);
      if (val === null || (typeof val === 'number' && !Number.isFinite(val))) continue; // a gap in the curve
      logs[k] = v.finite(val, `${path}.logs.${k}`);
    }
    return { step, logs };
  });
  const result: TrainingPayload = {
    version: TRAINING_VERSION,
    metrics,
    stepUnit: v.oneOf(p.stepUnit, 'stepUnit', TRAINING_STEP_UNITS),
    points,
    status: v.oneOf(p.status, 'status', TRAINING_STATUSES),
  };
  const title = v.optionalString(p.title, 'title');
  if (title !== undefined) result.title = title;
  if (p.totalSteps !== undefined) result.totalSteps = v.int(p.totalSteps, 'totalSteps', 1);
  return result;
}
