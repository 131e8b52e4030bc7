// The wire codec and HMAC without sockets, checked against an independent HMAC (node:crypto
// called directly) and hand-built frames.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSigner } from '../../kernel/protocol/hmac';
import { createMessage, DELIMITER, MSG } from '../../kernel/protocol/messages';
import { decodeMessage, encodeMessage } from '../../kernel/protocol/wire';

const from = { session: 's1', username: 'u' };

describe('hmac + wire', () => {
  test('signature = hex HMAC-SHA256 over header, parent_header, metadata, content', () => {
    const signer = createSigner('secret');
    const message = createMessage(MSG.executeRequest, { code: '1' }, from);
    const frames = encodeMessage(message, signer, [Buffer.from('id-1'), Buffer.from('id-2')]);
    assert.equal(frames[0].toString(), 'id-1');
    assert.equal(frames[1].toString(), 'id-2');
    assert.equal(frames[2].toString(), DELIMITER);
    const expected = createHmac('sha256', 'secret');
    for (const f of frames.slice(4, 8)) expected.update(f);
    assert.equal(frames[3].toString(), expected.digest('hex'));
    const decoded = decodeMessage(frames, signer);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.identities.map(String), ['id-1', 'id-2']);
    assert.deepEqual(decoded.message.content, { code: '1' });
    assert.equal(decoded.message.header.msg_type, MSG.executeRequest);
  });

  test('a wrong key, a changed byte or a truncated signature fails verification', () => {
    const signer = createSigner('secret');
    const frames = encodeMessage(createMessage(MSG.kernelInfoRequest, {}, from), signer);
    assert.equal(decodeMessage(frames, createSigner('other')).ok, false);
    const tampered = frames.map((f) => Buffer.from(f));
    tampered[2] = Buffer.from(tampered[2].toString().replace('"s1"', '"s2"'));
    assert.notDeepEqual(tampered[2], frames[2]);
    const r = decodeMessage(tampered, signer);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'invalid HMAC signature');
    const truncated = frames.map((f) => Buffer.from(f));
    truncated[1] = truncated[1].subarray(0, 10);
    assert.equal(decodeMessage(truncated, signer).ok, false);
  });

  test('an empty key disables signing (Jupyter spec): empty signature, anything verifies', () => {
    const signer = createSigner('');
    const frames = encodeMessage(createMessage(MSG.kernelInfoRequest, {}, from), signer);
    assert.equal(frames[1].toString(), '');
    assert.equal(decodeMessage(frames, signer).ok, true);
  });

  test('unknown signature schemes are refused at start-up with the value named', () => {
    assert.throws(() => createSigner('k', 'sha256'), /signature_scheme must start with "hmac-", but got "sha256"/);
    assert.throws(() => createSigner('k', 'hmac-nosuch'), /Invalid digest/);
  });

  test('buffers after content stay raw bytes in both directions', () => {
    const signer = createSigner('k');
    const bytes = Buffer.from([0, 255, 128, 10]);
    const frames = encodeMessage(createMessage(MSG.commMsg, {}, from, { buffers: [bytes] }), signer);
    assert.deepEqual(frames.at(-1), bytes);
    const r = decodeMessage(frames, signer);
    assert.ok(r.ok);
    assert.deepEqual(r.message.buffers, [bytes]);
  });

  test('malformed input yields a reason, never an exception', () => {
    const signer = createSigner('');
    const cases: Array<[Buffer[], RegExp]> = [
      [[], /no "<IDS\|MSG>" delimiter among 0 frames/],
      [[Buffer.from(DELIMITER), Buffer.from('')], /expected at least 5 frames after the delimiter, but got 1/],
      [
        [Buffer.from(DELIMITER), Buffer.from(''), Buffer.from('nope'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')],
        /header is not valid JSON/,
      ],
      [
        [
          Buffer.from(DELIMITER),
          Buffer.from(''),
          Buffer.from('{"msg_id":"a","session":"s","msg_type":"x"}'),
          Buffer.from('{}'),
          Buffer.from('{}'),
          Buffer.from('[]'),
        ],
        /content must be a JSON object, but got an array/,
      ],
      [
        [
          Buffer.from(DELIMITER),
          Buffer.from(''),
          Buffer.from('{"msg_id":1,"session":"s","msg_type":"x"}'),
          Buffer.from('{}'),
          Buffer.from('{}'),
          Buffer.from('{}'),
        ],
        /header.msg_id must be a string, but got 1/,
      ],
    ];
    for (const [frames, reason] of cases) {
      const r = decodeMessage(frames, signer);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : '', reason);
    }
  });
});
