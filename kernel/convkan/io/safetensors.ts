// The safetensors format (huggingface/safetensors, as torch's state dicts are shared): an 8-byte
// little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__"?: {string: string}}, then the raw little-endian tensor bytes, offsets relative to
// the end of the header. We read F32, F64, F16, BF16 and the integer types (as float32 values)
// and write F32.

/** A tensor as the file holds it, converted to float32. */
export interface NamedTensor {
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsFile {
  tensors: Map<string, NamedTensor & { dtype: string }>;
  metadata: Record<string, string>;
}

const BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };
/** Larger headers are refused, as the reference implementation does (100 MB). */
const MAX_HEADER = 100_000_000;

function fail(what: string, expected: string, actual: string): never {
  throw new Error(`Error in safetensors: ${what} must be ${expected}, but got ${actual}.`);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function decode(dtype: string, view: DataView, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F32':
        out[i] = view.getFloat32(i * 4, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F16':
        out[i] = halfToFloat(view.getUint16(i * 2, true));
        break;
      case 'BF16': {
        const b = new DataView(new ArrayBuffer(4));
        b.setUint32(0, view.getUint16(i * 2, true) << 16, true);
        out[i] = b.getFloat32(0, true);
        break;
      }
      case 'I64':
        out[i] = Number(view.getBigInt64(i * 8, true));
        break;
      case 'I32':
        out[i] = view.getInt32(i * 4, true);
        break;
      case 'I16':
        out[i] = view.getInt16(i * 2, true);
        break;
      case 'I8':
        out[i] = view.getInt8(i);
        break;
      default:
        out[i] = view.getUint8(i); // U8, BOOL
    }
  }
  return out;
}

/** Parses a whole safetensors file; every offset and size is checked against the header. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < 8) fail('the file', 'at least 8 bytes (the header length)', `${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.byteLength)
    fail('the header length', `at most ${Math.min(MAX_HEADER, bytes.byteLength - 8)} bytes`, String(n));
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch (e) {
    return fail('the header', 'JSON', `unparsable text (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, NamedTensor & { dtype: string }>();
  let metadata: Record<string, string> = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) fail(`the dtype of "${name}"`, `one of ${Object.keys(BYTES).join(', ')}`, JSON.stringify(dtype));
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      fail(`the shape of "${name}"`, 'a list of non-negative integers', JSON.stringify(shape));
    const count = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = Array.isArray(offsets) ? offsets : [NaN, NaN];
    if (!(Number.isInteger(begin) && Number.isInteger(end) && 0 <= begin && begin <= end && end <= dataLength)) {
      fail(`data_offsets of "${name}"`, `[begin, end] within the ${dataLength} data bytes`, JSON.stringify(offsets));
    }
    if (end - begin !== count * BYTES[dtype])
      fail(`the byte size of "${name}" (${dtype} ${JSON.stringify(shape)})`, String(count * BYTES[dtype]), String(end - begin));
    spans.push([begin, end, name]);
    const slice = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin);
    tensors.set(name, { dtype, shape: [...shape], data: decode(dtype, slice, count) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i][0] < spans[i - 1][1]) fail(`the data of "${spans[i][2]}"`, `apart from "${spans[i - 1][2]}"`, 'overlapping offsets');
  }
  return { tensors, metadata };
}

/** Serializes float32 tensors (in the given order) with optional string metadata. */
export function serializeSafetensors(tensors: Record<string, NamedTensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) fail(`the data of "${name}"`, `${count} values for shape ${JSON.stringify(t.shape)}`, `${t.data.length}`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.byteLength + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.byteLength), true);
  out.set(head, 8);
  let at = 8 + head.byteLength;
  for (const t of Object.values(tensors)) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i], true);
  }
  return out;
}
