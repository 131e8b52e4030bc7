// Shared by the display tests: a sink that records what a cell would send, a strict XML check
// for the SVG fallbacks, and synthetic library outputs (edge-function samples, unfolded patches)
// computed here from first principles.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { DisplaySink, MimeBundle } from '../../kernel/display';

export interface Emitted {
  bundle: MimeBundle;
  displayId?: string;
  update?: boolean;
}

export class RecordingSink implements DisplaySink {
  readonly outputs: Emitted[] = [];
  readonly clears: boolean[] = [];
  display(bundle: MimeBundle, opts: { displayId?: string; update?: boolean }): void {
    // A deep copy, as the wire would make: later mutation by the producer must not change it.
    this.outputs.push({ bundle: JSON.parse(JSON.stringify(bundle)), ...opts });
  }
  clearOutput(wait: boolean): void {
    this.clears.push(wait);
  }
  get last(): Emitted {
    return this.outputs[this.outputs.length - 1];
  }
}

interface SaxParser {
  onerror: (e: Error) => void;
  onopentag: (node: { name: string }) => void;
  write(s: string): SaxParser;
  close(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sax = require('sax') as { parser(strict: boolean, opts?: object): SaxParser };

/** Parses with a strict (XML 1.0 well-formedness) parser; throws on the first error. Returns the root element's name. */
export function parseXml(xml: string): { root: string; elements: string[] } {
  const p = sax.parser(true, { xmlns: false });
  const elements: string[] = [];
  let error: Error | undefined;
  p.onerror = (e) => {
    error ??= e;
  };
  p.onopentag = (n) => elements.push(n.name);
  p.write(xml).close();
  if (error) throw error;
  return { root: elements[0], elements };
}

/** The HTML form of a picture: one well-formed <img> whose data URI decodes to exactly the SVG. */
export function assertHtmlImageOf(html: string, svg: string): void {
  const m = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="[^"<>]*" width="\d+" height="\d+"\/>/.exec(html);
  assert.ok(m, `an <img> with an SVG data URI in ${html.slice(0, 120)}`);
  assert.equal(Buffer.from(m[1], 'base64').toString('utf8'), svg);
  parseXml(`<div>${html}</div>`);
}

/** Tensor count before/after `fn`, after one warm-up call (tfjs caches a few tensors on first use). */
export async function tensorsLeaked(fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

const silu = (v: number) => v / (1 + Math.exp(-v));

/** Edge-function samples shaped like the library's sampleEdgeFunctions output. */
export function fakeEdgeSamples(outC: number, inC: number, kh: number, kw: number, points = 64) {
  const x = Array.from({ length: points }, (_, i) => -1.1 + (2.2 * i) / (points - 1));
  const functions = [];
  for (let o = 0; o < outC; o++) {
    for (let i = 0; i < inC; i++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const w = 0.3 + 0.1 * ((o + i + ky + kx) % 4);
          const base = x.map((v) => w * silu(v));
          const spline = x.map((v) => 0.2 * (o + 1) * Math.sin(3 * v + i + ky - kx));
          const importance = base.reduce((a, b, j) => a + Math.abs(b + spline[j]), 0) / points;
          functions.push({ out: o, in: i, ky, kx, base, spline, importance });
        }
      }
    }
  }
  const knots = Array.from({ length: 12 }, (_, j) => -1 + (j - 3) * 0.4);
  return {
    layer: {
      name: 'conv_kan2d_test',
      className: 'ConvKAN2D',
      basis: 'bspline' as const,
      inChannels: inC,
      outChannels: outC,
      kernelSize: [kh, kw] as [number, number],
      groups: 1,
      gridRange: [-1, 1] as [number, number],
      gridSize: 5,
      splineOrder: 3,
    },
    outChannels: Array.from({ length: outC }, (_, o) => o),
    inChannels: Array.from({ length: inC }, (_, i) => i),
    x,
    knots,
    functions,
    inputHistograms: Array.from({ length: inC }, (_, i) => ({
      in: i,
      edges: Array.from({ length: 11 }, (_, j) => -1 + j * 0.2),
      counts: Array.from({ length: 10 }, (_, j) => (j * 7 + i) % 13),
    })),
  };
}

/** Zero-padded unfold of an HWC image in torch.nn.functional.unfold's layout, written out longhand. */
export function referenceUnfold(
  image: { height: number; width: number; channels: number; data: number[] },
  k: [number, number],
  s: [number, number],
  d: [number, number],
  pad: [[number, number], [number, number]],
) {
  const { height: H, width: W, channels: C } = image;
  const Hp = H + pad[0][0] + pad[0][1];
  const Wp = W + pad[1][0] + pad[1][1];
  const padded = new Array<number>(Hp * Wp * C).fill(0);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < C; c++) padded[((y + pad[0][0]) * Wp + x + pad[1][0]) * C + c] = image.data[(y * W + x) * C + c];
  const Ho = Math.floor((Hp - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
  const Wo = Math.floor((Wp - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  const rows = C * k[0] * k[1];
  const cols = Ho * Wo;
  const data = new Array<number>(rows * cols).fill(0);
  for (let c = 0; c < C; c++)
    for (let ky = 0; ky < k[0]; ky++)
      for (let kx = 0; kx < k[1]; kx++)
        for (let oy = 0; oy < Ho; oy++)
          for (let ox = 0; ox < Wo; ox++) {
            const r = (c * k[0] + ky) * k[1] + kx;
            data[r * cols + oy * Wo + ox] = padded[((oy * s[0] + ky * d[0]) * Wp + ox * s[1] + kx * d[1]) * C + c];
          }
  return {
    config: { kernelSize: k, stride: s, dilation: d, padding: pad, paddingMode: 'zeros' as const },
    image,
    padded: { height: Hp, width: Wp, channels: C, data: padded },
    output: { height: Ho, width: Wo },
    patches: { rows, cols, data },
  };
}
