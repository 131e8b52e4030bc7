// Validates a training payload (TrainingPayload in kernel/display/mimeTypes.ts). A point may lack
// some metrics; a null value (a NaN that went through JSON.stringify) counts as missing.
import type { TrainingPayload } from '../../kernel/display/mimeTypes';
import { malformed, tooLarge } from '../shared/payloadError';
import * as v from '../shared/validate';

export const TRAINING_LIMITS = {
  metrics: 24,
  /** Points × metrics. */
  values: 1_000_000,
};

export function parseTraining(json: unknown): TrainingPayload {
  const p = v.object(json, 'payload');
  v.version(p);
  const metrics = v.array(p.metrics, 'metrics').map((m, i) => v.string(m, `metrics[${i}]`));
  if (metrics.length === 0) throw malformed('metrics: expected at least one metric name, got an empty array');
  if (new Set(metrics).size !== metrics.length) throw malformed(`metrics: names must be unique, got [${metrics.join(', ')}]`);
  if (metrics.length > TRAINING_LIMITS.metrics) throw tooLarge('The number of metrics', metrics.length, TRAINING_LIMITS.metrics, 'Log fewer metrics.');
  const raw = v.array(p.points, 'points');
  if (raw.length * metrics.length > TRAINING_LIMITS.values) {
    throw tooLarge(`The curve data (${raw.length} points × ${metrics.length} metrics)`, raw.length * metrics.length, TRAINING_LIMITS.values, "Log per epoch, or every n-th batch.");
  }
  const known = new Set(metrics);
  let prev = -Infinity;
  const points = raw.map((r, i) => {
    const path = `points[${i}]`;
    const o = v.object(r, path);
    const step = v.finite(o.step, `${path}.step`);
    if (step <= prev) throw malformed(`${path}.step: expected steps to increase, but ${step} follows ${prev}`);
    prev = step;
    const logsIn = v.object(o.logs, `${path}.logs`);
    const logs: Record<string, number> = {};
    for (const [k, val] of Object.entries(logsIn)) {
      if (!known.has(k)) throw malformed(`${path}.logs.${k}: "${k}" is not one of metrics [${metrics.join(', ')}]`);
      if (val === null) continue; // NaN/Infinity in the producer: a gap in the curve
      logs[k] = v.finite(val, `${path}.logs.${k}`);
    }
    return { step, logs };
  });
  const result: TrainingPayload = {
    version: 1,
    metrics,
    stepUnit: v.oneOf(p.stepUnit, 'stepUnit', ['epoch', 'batch'] as const),
    points,
    status: v.oneOf(p.status, 'status', ['running', 'done', 'stopped', 'error'] as const),
  };
  const title = v.optionalString(p.title, 'title');
  if (title !== undefined) result.title = title;
  if (p.totalSteps !== undefined) result.totalSteps = v.int(p.totalSteps, 'totalSteps', 1);
  return result;
}
