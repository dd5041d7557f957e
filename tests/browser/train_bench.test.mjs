// The speed benchmark module (bench/train_bench.mjs) on the real wasm, in Node: it trains, keeps
// the model between calls, reads the gradient norm back every step, and generates. (Rates are
// printed by `node bench/train_bench.mjs`, never asserted.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { trainStepsPerSec, generateCharsPerSec, VOCAB } from '../../bench/train_bench.mjs';

test('train_bench: training continues the same model between calls and generation reads probabilities', async () => {
  const text = (await readFile(new URL('../../data/corpora/tinyshakespeare.txt', import.meta.url), 'utf8')).slice(0, 20000);
  assert.equal(VOCAB.length, 65);
  const config = { kind: 'lstm', hidden: 16, seqLen: 10, vocab: 65, clip: 5, text, lr: 0.002, optimizer: 'rmsprop', rmsDecay: 0.95, eps: 1e-8, seed: 1, minSeconds: 0, minSteps: 30 };
  const first = await trainStepsPerSec(config);
  assert.equal(first.steps, 30);
  assert.ok(first.stepsPerSec > 0 && Number.isFinite(first.loss) && first.gradNorm > 0, JSON.stringify(first));
  const again = await trainStepsPerSec({ ...config, minSteps: 200 });
  assert.ok(again.loss < Math.log(65), `loss after 230 steps ${again.loss} should be below ln 65`);
  const rnn = await trainStepsPerSec({ ...config, kind: 'rnn' });
  assert.ok(Number.isFinite(rnn.loss));
  const cps = await generateCharsPerSec({ ...config, minSeconds: 0, minSteps: 50 });
  assert.ok(cps > 0);
  await assert.rejects(trainStepsPerSec({ ...config, kind: 'gru' }), /kind/);
});
