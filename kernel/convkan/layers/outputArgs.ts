// tf.layers.conv2d's / dense's arguments beyond the geometry, for every KAN layer: useBias with
// its initializer/regularizer/constraint, activation, and initializers/regularizers/constraints of
// the learned weights. Identifiers are resolved by tfjs itself (through a Dense layer that is
// never built), so every name, object and saved config tfjs accepts works here the same way.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, show } from '../conv/argumentError';

export type Initializer = ReturnType<typeof tf.initializers.zeros>;
export type Regularizer = ReturnType<typeof tf.regularizers.l2>;
export type Constraint = ReturnType<typeof tf.constraints.nonNeg>;
type Identifier<T> = string | T | tf.serialization.ConfigDict;
const KINDS = ['Initializer', 'Regularizer', 'Constraint'] as const;
type Kind = (typeof KINDS)[number];

export const ACTIVATIONS = [
  'linear',
  'elu',
  'hardSigmoid',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** The arguments for one learned weight `<key>Initializer` / `<key>Regularizer` / `<key>Constraint`. */
export type WeightArgs<K extends string> = { [P in `${K}Initializer`]?: Identifier<Initializer> } & {
  [P in `${K}Regularizer`]?: Identifier<Regularizer> | null;
} & {
  [P in `${K}Constraint`]?: Identifier<Constraint> | null;
};

export interface OutputArgs extends WeightArgs<'kernel' | 'bias'> {
  /** Add a learned bias per output channel after the KAN sum (default false, as convkan / efficient-kan / torch-conv-kan; alias: bias). */
  useBias?: boolean;
  /** Applied last, as in tf.layers.conv2d (default 'linear': none). */
  activation?: ActivationName;
  /** Accepted for tf's argument set, but tfjs-layers cannot call a layer that has one (NotImplementedError), so it must be null. */
  activityRegularizer?: null;
}

export interface WeightSettings {
  initializer: Initializer | null;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

export interface ResolvedOutputArgs<K extends string> {
  useBias: boolean;
  activation: ActivationName;
  bias: WeightSettings;
  /** Per learned weight: its own argument, else the kernel* one, else null (the layer's default). */
  weights: Record<K, WeightSettings>;
  /** What getConfig writes: useBias, activation and each initializer/regularizer/constraint given. */
  config: tf.serialization.ConfigDict;
}

/** The names OutputArgs adds for a layer whose learned weights are `keys`. */
export function outputArgNames(keys: readonly string[]): string[] {
  return [
    'useBias',
    'activation',
    'activityRegularizer',
    ...['kernel', 'bias', ...keys].flatMap((k) => KINDS.map((kind) => `${k}${kind}`)),
  ];
}

const PROBE_NAME = 'convkan_argument_probe'; // a fixed name takes no number from tfjs' layer-name counter

/** tfjs' own resolution of one identifier, and its serialized form. */
function resolveWithTf(
  kind: Kind | 'Activation',
  value: unknown,
  context: string,
  argument: string,
): { object: unknown; config: tf.serialization.ConfigDictValue } {
  const key = kind === 'Activation' ? 'activation' : `kernel${kind}`;
  try {
    const probe = tf.layers.dense({ units: 1, name: PROBE_NAME, [key]: value } as Parameters<typeof tf.layers.dense>[0]);
    return {
      object: (probe as unknown as Record<string, unknown>)[key],
      config: probe.getConfig()[key] as tf.serialization.ConfigDictValue,
    };
  } catch (e) {
    const expected =
      kind === 'Activation'
        ? `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`
        : `a tf.${kind.toLowerCase()}s object, its name or its saved config`;
    throw new ConvKanArgumentError(context, argument, expected, `${show(value)} (${(e as Error).message})`);
  }
}

export function resolveOutputArgs<K extends string>(
  args: OutputArgs & WeightArgs<K>,
  keys: readonly K[],
  context: string,
): ResolvedOutputArgs<K> {
  const given = args as Record<string, unknown>;
  const config: tf.serialization.ConfigDict = {};
  const useBias = args.useBias ?? false;
  if (typeof useBias !== 'boolean') throw new ConvKanArgumentError(context, 'useBias', 'true or false', show(args.useBias));
  const activation = (args.activation ?? 'linear') as ActivationName;
  if (!ACTIVATIONS.includes(activation))
    throw new ConvKanArgumentError(context, 'activation', `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`, show(args.activation));
  config.useBias = useBias;
  config.activation = activation;
  if (args.activityRegularizer != null) {
    throw new ConvKanArgumentError(
      context,
      'activityRegularizer',
      'null (tfjs-layers refuses to call any layer with an activity regularizer, tf.layers.conv2d included)',
      show(args.activityRegularizer),
    );
  }
  const settings = (prefix: string, fallback: WeightSettings | null): WeightSettings => {
    const one = (kind: Kind): unknown => {
      const name = `${prefix}${kind}`;
      const value = given[name];
      if (value == null) return fallback ? fallback[kind.toLowerCase() as keyof WeightSettings] : null;
      const r = resolveWithTf(kind, value, context, name);
      config[name] = r.config;
      return r.object;
    };
    return {
      initializer: one('Initializer') as Initializer | null,
      regularizer: one('Regularizer') as Regularizer | null,
      constraint: one('Constraint') as Constraint | null,
    };
  };
  const kernel = settings('kernel', null);
  const weights = Object.fromEntries(keys.map((k) => [k, settings(k, kernel)])) as Record<K, WeightSettings>;
  return { useBias, activation, bias: settings('bias', null), weights, config };
}

/** y + bias over the last axis (channels-last), then nothing else. */
export function addBias(y: tf.Tensor, bias: tf.LayerVariable | null): tf.Tensor {
  return bias ? tf.add(y, bias.read()) : y;
}

const activationObjects = new Map<string, { apply(x: tf.Tensor): tf.Tensor }>();

/** The activation, applied the way tf.layers do (through tfjs' own activation object). */
export function applyActivation(y: tf.Tensor, activation: ActivationName): tf.Tensor {
  if (activation === 'linear') return y;
  let f = activationObjects.get(activation);
  if (!f) {
    f = resolveWithTf('Activation', activation, 'applyActivation', 'activation').object as { apply(x: tf.Tensor): tf.Tensor };
    activationObjects.set(activation, f);
  }
  return f.apply(y);
}

/** addWeight's initializer, regularizer, trainable and constraint arguments for one weight. */
export function weightSpec(
  w: WeightSettings,
  defaultInitializer: Initializer,
): [Initializer, Regularizer | undefined, boolean, Constraint | undefined] {
  return [w.initializer ?? defaultInitializer, w.regularizer ?? undefined, true, w.constraint ?? undefined];
}

/** A regularizer adding a's and b's penalties (either may be absent). */
export function sumRegularizers(a: Regularizer | undefined, b: Regularizer | undefined): Regularizer | undefined {
  if (!a || !b) return a ?? b;
  return {
    apply: (x: tf.Tensor) => tf.add(a.apply(x), b.apply(x)),
    getClassName: () => 'SumRegularizer',
    getConfig: () => ({}),
  } as unknown as Regularizer;
}
