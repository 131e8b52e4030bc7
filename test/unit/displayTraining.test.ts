// display.training(): one output updated in place while model.fit runs, throttled (fake clock
// and timer here), always a final update with status "done", payloads that validate.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createDisplayApi, MIME_SVG, MIME_TEXT, MIME_TRAINING, parsePayload, type TrainingPayload } from '../../kernel/display';
import { parseXml, RecordingSink } from './displayHelpers';

function fakeClock() {
  let t = 0;
  const timers: Array<{ fn: () => void; at: number } | undefined> = [];
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => timers.push({ fn, at: t + ms }) - 1,
    clearTimer: (id: unknown) => {
      timers[id as number] = undefined;
    },
    advance(ms: number) {
      t += ms;
      timers.forEach((tm, i) => {
        if (tm && tm.at <= t) {
          timers[i] = undefined;
          tm.fn();
        }
      });
    },
    pending: () => timers.filter(Boolean).length,
  };
}

const payloadOf = (sink: RecordingSink, i = sink.outputs.length - 1) => sink.outputs[i].bundle.data[MIME_TRAINING] as TrainingPayload;

describe('display.training', () => {
  test('first output at train begin, then only update_display_data with the same id', async () => {
    const sink = new RecordingSink();
    const clock = fakeClock();
    const cb = createDisplayApi(() => sink).training({ ...clock, minIntervalMs: 200, totalSteps: 3 });
    // tfjs calls the hooks with its CustomCallback as `this`, which carries the fit parameters.
    await cb.onTrainBegin!.call({ params: { epochs: 3, metrics: ['loss', 'acc'] } });
    assert.equal(sink.outputs.length, 1);
    assert.deepEqual(payloadOf(sink).metrics, ['loss', 'acc'], 'panels before the first point');
    parsePayload(MIME_TRAINING, payloadOf(sink));
    assert.ok(!sink.outputs[0].update);
    assert.equal(cb.displayId, sink.outputs[0].displayId);
    for (let e = 0; e < 3; e++) {
      clock.advance(300);
      await cb.onEpochEnd!(e, { loss: 1 / (e + 1), acc: 0.5 + e / 10 });
    }
    await cb.onTrainEnd!();
    assert.ok(sink.outputs.slice(1).every((o) => o.update === true && o.displayId === cb.displayId));
    const final = payloadOf(sink);
    assert.equal(final.status, 'done');
    assert.deepEqual(final.metrics, ['loss', 'acc']);
    assert.deepEqual(
      final.points.map((p) => p.step),
      [1, 2, 3],
    );
    parsePayload(MIME_TRAINING, final);
    for (const o of sink.outputs) parseXml(o.bundle.data[MIME_SVG] as string);
    assert.match(sink.last.bundle.data[MIME_TEXT] as string, /^Training: done, epoch 3\/3/);
  });

  test('throttles to one update per interval, a trailing update shows the latest point, the end always updates', async () => {
    const sink = new RecordingSink();
    const clock = fakeClock();
    const cb = createDisplayApi(() => sink).training({ ...clock, stepUnit: 'batch', minIntervalMs: 200 });
    await cb.onTrainBegin!.call({ params: { epochs: 1, steps: 50, metrics: ['loss'] } }); // emit #1 at t=0
    assert.equal(payloadOf(sink).totalSteps, 50);
    for (let b = 0; b < 50; b++) {
      clock.advance(10); // 50 batches over 500 ms
      await cb.onBatchEnd!(b, { batch: b, size: 8, loss: 1 - b / 100 });
    }
    // ≤ 5 updates per second: begin + updates at t=200, 400 — the trailing timer for the rest is pending.
    assert.equal(sink.outputs.length, 3);
    assert.equal(clock.pending(), 1);
    clock.advance(100); // t=600: the trailing update fires with all 50 points
    assert.equal(sink.outputs.length, 4);
    assert.equal(payloadOf(sink).points.length, 50);
    await cb.onEpochEnd!(0, { loss: 0.5 }); // batch mode: epoch logs without val_ add nothing
    assert.equal(sink.outputs.length, 4);
    await cb.onTrainEnd!();
    assert.equal(sink.outputs.length, 5);
    assert.equal(clock.pending(), 0);
    const final = payloadOf(sink);
    assert.equal(final.status, 'done');
    assert.deepEqual(final.metrics, ['loss'], 'batch/size bookkeeping keys are not metrics');
    assert.equal(final.points[49].step, 50);
    assert.equal(cb.emitted, 5);
  });

  test('batch mode attaches validation metrics of the epoch to its last batch point', async () => {
    const sink = new RecordingSink();
    const cb = createDisplayApi(() => sink).training({ stepUnit: 'batch', minIntervalMs: 0 });
    await cb.onTrainBegin!();
    await cb.onBatchEnd!(0, { loss: 2 });
    await cb.onBatchEnd!(1, { loss: 1 });
    await cb.onEpochEnd!(0, { loss: 1.5, val_loss: 1.8 });
    await cb.onTrainEnd!();
    const p = payloadOf(sink);
    assert.deepEqual(p.points, [
      { step: 1, logs: { loss: 2 } },
      { step: 2, logs: { loss: 1, val_loss: 1.8 } },
    ]);
    assert.deepEqual(p.metrics, ['loss', 'val_loss']);
    parsePayload(MIME_TRAINING, p);
  });

  test('outside fit the output appears with the first point; non-finite values become gaps with a note', async () => {
    const sink = new RecordingSink();
    const cb = createDisplayApi(() => sink).training({ minIntervalMs: 0 });
    await cb.onTrainBegin!();
    assert.equal(sink.outputs.length, 0, 'no metric names yet: nothing to draw');
    await cb.onEpochEnd!(0, { loss: 1 });
    await cb.onEpochEnd!(1, { loss: NaN });
    await cb.onTrainEnd!();
    assert.ok(!sink.outputs[0].update);
    const p = payloadOf(sink);
    assert.deepEqual(p.points, [
      { step: 1, logs: { loss: 1 } },
      { step: 2, logs: {} },
    ]);
    parsePayload(MIME_TRAINING, p);
    assert.match(sink.last.bundle.data[MIME_TEXT] as string, /loss was not finite \(NaN or infinite\) from epoch 2 on/);
    parseXml(sink.last.bundle.data[MIME_SVG] as string);
  });

  test('bad options are refused with the option, the expected and the actual value', () => {
    const display = createDisplayApi(() => new RecordingSink());
    assert.throws(() => display.training({ totalSteps: 0 }), /display\.training: totalSteps must be an integer ≥ 1, but got 0/);
    assert.throws(() => display.training({ stepUnit: 'step' as never }), /stepUnit must be 'epoch' or 'batch', but got "step"/);
    assert.throws(() => display.training({ maxPoints: 1 }), /maxPoints must be an integer ≥ 2, but got 1/);
  });

  test('point cap thins old points; finish() records a stopped run', async () => {
    const sink = new RecordingSink();
    const cb = createDisplayApi(() => sink).training({ stepUnit: 'batch', minIntervalMs: 0, maxPoints: 10 });
    await cb.onTrainBegin!();
    for (let b = 0; b < 25; b++) await cb.onBatchEnd!(b, { loss: b });
    cb.finish('stopped');
    const p = payloadOf(sink);
    assert.ok(p.points.length <= 10, `kept ${p.points.length}`);
    assert.equal(p.points[p.points.length - 1].step, 25);
    assert.equal(p.status, 'stopped');
    assert.match(sink.last.bundle.data[MIME_TEXT] as string, /older points thinned to keep at most 10/);
  });

  test('works as model.fit callbacks: live updates, one output, final "done", loss recorded, no leaked tensors', async () => {
    const sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['mse'] });
    const x = tf.tensor2d([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = tf.tensor2d([[0], [1], [1], [2]]);
    const fit = () =>
      model.fit(x, y, { epochs: 4, batchSize: 2, validationData: [x, y], callbacks: display.training({ minIntervalMs: 0 }), verbose: 0 });
    await fit(); // warm-up: optimizer slots and tfjs caches
    sink.outputs.length = 0;
    const before = tf.memory().numTensors;
    await fit();
    assert.equal(tf.memory().numTensors, before);
    const ids = new Set(sink.outputs.map((o) => o.displayId));
    assert.equal(ids.size, 1);
    assert.ok(sink.outputs.length >= 5, `begin + 4 epochs + end, got ${sink.outputs.length}`);
    const p = payloadOf(sink);
    assert.equal(p.status, 'done');
    assert.deepEqual([...p.metrics].sort(), ['loss', 'mse', 'val_loss', 'val_mse']);
    assert.equal(p.points.length, 4);
    assert.equal(p.totalSteps, 4, 'taken from the fit parameters');
    parsePayload(MIME_TRAINING, p);
    tf.dispose([x, y]);
    model.dispose();
  });

  test('a fit stopped early (model.stopTraining, as an interrupt does) ends with status "stopped"', async () => {
    const sink = new RecordingSink();
    const display = createDisplayApi(() => sink);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = tf.ones([4, 1]);
    const stopper = { onEpochEnd: async (epoch: number) => void (epoch === 1 && (model.stopTraining = true)) };
    await model.fit(x, x, { epochs: 10, verbose: 0, callbacks: [display.training({ stepUnit: 'batch', minIntervalMs: 0 }), stopper] });
    const p = payloadOf(sink);
    assert.equal(p.status, 'stopped');
    assert.equal(p.points.length, 2);
    assert.equal(p.totalSteps, 10, '10 epochs × 1 batch');
    tf.dispose(x);
    model.dispose();
  });
});
