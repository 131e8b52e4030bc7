// Reader for the IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
// magic = two zero bytes, a type code, the number of dimensions; then each dimension as a
// big-endian uint32; then the data, big-endian. Files may be gzip-compressed.
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

/** IDX type codes → element size in bytes and name. */
const IDX_TYPES: Record<number, { name: IdxDtype; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  /** Row-major values; uint8 files keep their bytes, other types are decoded to numbers. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Parses an IDX buffer (already decompressed). `source` names the file in error messages. */
export function parseIdx(buf: Uint8Array, source = 'IDX buffer'): IdxArray {
  if (buf.length < 4)
    throw new Error(`Error in parseIdx (${source}): file must hold at least the 4-byte magic number, but got ${buf.length} bytes.`);
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new Error(
      `Error in parseIdx (${source}): magic number must start with bytes 0x00 0x00, ` +
        `but got 0x${hex(buf[0])} 0x${hex(buf[1])} ` +
        `(not an IDX file${buf[0] === GZIP_MAGIC[0] && buf[1] === GZIP_MAGIC[1] ? '; it is gzip-compressed' : ''}).`,
    );
  }
  const type = IDX_TYPES[buf[2]];
  if (!type)
    throw new Error(
      `Error in parseIdx (${source}): type code must be one of 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, but got 0x${hex(buf[2])}.`,
    );
  const ndim = buf[3];
  if (ndim < 1) throw new Error(`Error in parseIdx (${source}): number of dimensions must be at least 1, but got ${ndim}.`);
  const headerBytes = 4 + 4 * ndim;
  if (buf.length < headerBytes)
    throw new Error(
      `Error in parseIdx (${source}): header of ${ndim} dimensions needs ${headerBytes} bytes, but the file has ${buf.length}.`,
    );
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (buf.length !== expected) {
    throw new Error(
      `Error in parseIdx (${source}): shape [${shape}] of ${type.name} needs ${expected} bytes, but the file has ${buf.length}.`,
    );
  }
  return { dtype: type.name, shape, data: decode(view, headerBytes, count, type.name) };
}

function decode(view: DataView, offset: number, n: number, dtype: IdxDtype): IdxArray['data'] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + n));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + n));
    case 'int16': {
      const a = new Int16Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getInt16(offset + 2 * i, false);
      return a;
    }
    case 'int32': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getInt32(offset + 4 * i, false);
      return a;
    }
    case 'float32': {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getFloat32(offset + 4 * i, false);
      return a;
    }
    case 'float64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = view.getFloat64(offset + 8 * i, false);
      return a;
    }
  }
}

/** Reads an IDX file, gunzipping it when it starts with the gzip magic bytes (1f 8b). */
export function readIdxFile(path: string): IdxArray {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(path);
  } catch (e) {
    throw new Error(`Error in readIdxFile: cannot read '${path}': ${(e as Error).message}`);
  }
  const isGzip = raw[0] === GZIP_MAGIC[0] && raw[1] === GZIP_MAGIC[1];
  const buf = isGzip ? zlib.gunzipSync(raw) : raw;
  return parseIdx(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}

/** Encodes an array as IDX bytes (for tests and for users writing their own sets). */
export function encodeIdx(arr: IdxArray): Uint8Array {
  const code = Number(Object.keys(IDX_TYPES).find((k) => IDX_TYPES[Number(k)].name === arr.dtype));
  const bytes = IDX_TYPES[code].bytes;
  const header = 4 + 4 * arr.shape.length;
  const out = new Uint8Array(header + arr.data.length * bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = arr.shape.length;
  arr.shape.forEach((s, d) => view.setUint32(4 + 4 * d, s, false));
  for (let i = 0; i < arr.data.length; i++) {
    const v = Number(arr.data[i]);
    const o = header + i * bytes;
    switch (arr.dtype) {
      case 'uint8':
        view.setUint8(o, v);
        break;
      case 'int8':
        view.setInt8(o, v);
        break;
      case 'int16':
        view.setInt16(o, v, false);
        break;
      case 'int32':
        view.setInt32(o, v, false);
        break;
      case 'float32':
        view.setFloat32(o, v, false);
        break;
      case 'float64':
        view.setFloat64(o, v, false);
        break;
    }
  }
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}
