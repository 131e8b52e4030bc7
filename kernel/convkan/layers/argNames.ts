// Which argument names a KAN layer accepts: every layer checks its arguments against one list,
// folds tf's and PyTorch's spellings into ours, and refuses a name it does not know (a typo or an
// option it does not have must never be ignored silently).
import type * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext, show } from '../conv/argumentError';

/** tf.layers.Layer's constructor arguments, which every layer takes. */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** What every KAN dense layer takes besides its basis and weights (KANLinear, BasisKANLinear). */
export interface LinearArgs extends LayerArgs {
  /** Output features (alias: outFeatures). */
  units?: number;
  outFeatures?: number;
  /** tf.layers.dense's shorthand for inputShape: [inputDim]. */
  inputDim?: number;
  /** PyTorch's name of useBias. */
  bias?: boolean;
}

/** The names of LayerArgs; every layer accepts them. */
export const TF_LAYER_ARG_NAMES = [
  'name',
  'inputShape',
  'batchInputShape',
  'batchSize',
  'dtype',
  'trainable',
  'weights',
  'inputDType',
] as const;

/** The Conv2d geometry arguments (our names; see ARG_ALIASES for tf's and PyTorch's). */
export const CONV_ARG_NAMES = ['kernelSize', 'strides', 'padding', 'dilation', 'paddingMode', 'groups', 'dataFormat'] as const;

/** Added to every config by tfjs' deserializer (fromConfig), not by users: accepted, never listed. */
const DESERIALIZER_ARG_NAMES = new Set(['customObjects']);

/** Other spellings → our name. Only used where the layer accepts that name. */
export const ARG_ALIASES: Readonly<Record<string, string>> = {
  dilationRate: 'dilation', // tf.layers.conv2d
  stride: 'strides', // torch.nn.Conv2d
  outChannels: 'filters', // torch.nn.Conv2d
  bias: 'useBias', // torch.nn.Conv2d / Linear (a boolean)
  outFeatures: 'units', // torch.nn.Linear
};

/** The alias spellings as typed arguments (each is folded into ours by checkArgNames). */
export interface ConvAliasArgs {
  /** tf's name of `dilation`. */
  dilationRate?: number | number[];
  /** PyTorch's name of `strides`. */
  stride?: number | number[];
  /** PyTorch's name of `useBias`. */
  bias?: boolean;
}

/** An argument name the layer does not know. */
export class UnknownArgumentError extends ConvKanArgumentError {
  constructor(context: string, argument: string, accepted: readonly string[], suggestion: string | null) {
    super(context, 'argument name', `one of ${accepted.join(', ')}`, `'${argument}'`);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
    this.message = `${context}: unknown argument '${argument}'.${hint} Accepted: ${accepted.join(', ')}.`;
    this.name = 'UnknownArgumentError';
  }
}

/**
 * args with aliases folded into our names. Throws (naming the layer class) on an unknown name,
 * with the closest accepted one, and when a name and its alias are both given with different
 * values. Keys whose value is undefined are skipped (spreads of optional fields).
 */
export function checkArgNames<T extends object>(className: string, layerName: string | undefined, args: T, accepted: readonly string[]): T {
  const context = layerContext(className, layerName);
  const known = new Set(accepted);
  const out: Record<string, unknown> = {};
  const given = Object.entries(args as Record<string, unknown>).filter(([, v]) => v !== undefined);
  for (const [key, value] of given) {
    if (known.has(key) || DESERIALIZER_ARG_NAMES.has(key)) {
      out[key] = value;
      continue;
    }
    const target = ARG_ALIASES[key];
    if (target == null || !known.has(target)) {
      const names = [...accepted, ...Object.keys(ARG_ALIASES).filter((a) => known.has(ARG_ALIASES[a] as string))];
      throw new UnknownArgumentError(context, key, accepted, closest(key, names));
    }
    const own = (args as Record<string, unknown>)[target];
    if (own !== undefined && show(own) !== show(value)) {
      throw new ConvKanArgumentError(
        context,
        `${target} (given also as its alias ${key})`,
        `given once, or the same value twice (${show(own)})`,
        show(value),
      );
    }
    out[target] = value;
  }
  return out as T;
}

/** The name in `names` with the smallest edit distance to `word` (case-insensitive). */
export function closest(word: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = editDistance(word.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** tf.layers.dense's inputDim: the layer's inputShape [inputDim] when no shape is given. */
export function denseInputShape<T extends { inputDim?: number; inputShape?: unknown; batchInputShape?: unknown }>(args: T): T {
  if (args.inputDim == null || args.inputShape != null || args.batchInputShape != null) return args;
  return { ...args, inputShape: [args.inputDim] };
}
