// The Jupyter wire format: [identities..., "<IDS|MSG>", signature, header, parent_header,
// metadata, content, buffers...]. Decoding never throws: bad frames come back as a reason
// string so that the socket loop can log and drop them. Binary buffers stay raw bytes.

import { DELIMITER, type Message, type MessageHeader } from './messages';
import type { Signer } from './hmac';

export type DecodeResult =
  { ok: true; message: Message; identities: Buffer[]; signature: string } | { ok: false; reason: string; identities: Buffer[] };

const DELIMITER_BYTES = Buffer.from(DELIMITER);

export function encodeMessage(message: Message<unknown>, signer: Signer, identities: readonly Buffer[] = []): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(message.header)),
    Buffer.from(JSON.stringify(message.parent_header)),
    Buffer.from(JSON.stringify(message.metadata)),
    Buffer.from(JSON.stringify(message.content ?? {})),
  ];
  return [...identities, DELIMITER_BYTES, Buffer.from(signer.sign(parts)), ...parts, ...message.buffers];
}

function parseObject(frame: Buffer, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch (e) {
    throw new Error(`${name} is not valid JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${name} must be a JSON object, but got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

const HEADER_STRING_FIELDS = ['msg_id', 'msg_type', 'session'] as const;

export function decodeMessage(frames: readonly Buffer[], signer: Signer): DecodeResult {
  const at = frames.findIndex((f) => f.equals(DELIMITER_BYTES));
  const identities = at > 0 ? frames.slice(0, at).map((f) => Buffer.from(f)) : [];
  if (at < 0) return { ok: false, reason: `no "${DELIMITER}" delimiter among ${frames.length} frames`, identities };
  if (frames.length < at + 6) {
    return { ok: false, reason: `expected at least 5 frames after the delimiter, but got ${frames.length - at - 1}`, identities };
  }
  const signature = frames[at + 1].toString('latin1');
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(signature, parts)) {
    return { ok: false, reason: 'invalid HMAC signature', identities };
  }
  try {
    const header = parseObject(parts[0], 'header');
    for (const f of HEADER_STRING_FIELDS) {
      if (typeof header[f] !== 'string') {
        throw new Error(`header.${f} must be a string, but got ${JSON.stringify(header[f])}`);
      }
    }
    const message: Message = {
      header: header as unknown as MessageHeader,
      parent_header: parseObject(parts[1], 'parent_header') as Message['parent_header'],
      metadata: parseObject(parts[2], 'metadata'),
      content: parseObject(parts[3], 'content'),
      buffers: frames.slice(at + 6).map((f) => Buffer.from(f)),
    };
    return { ok: true, message, identities, signature };
  } catch (e) {
    return { ok: false, reason: (e as Error).message, identities };
  }
}
