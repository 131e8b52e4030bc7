// What every KAN layer has in common, whatever its basis or shape (ConvKAN2D, KANLinear, the
// basis families' layers, the bottleneck layer): errors name it the same way, it refuses work
// before it is built the same way, and it shows its learned edge functions through one method,
// edgeFunctions(), which is what display.splines draws.
import * as tf from '@tensorflow/tfjs';
import { ConvKanArgumentError, layerContext } from '../conv/argumentError';
import type { EdgeFunctionSamples, SampleEdgeFunctionsOptions } from '../inspect/edgeFunctions';
import type { VariantEdgeFunctionSamples } from '../inspect/variantEdgeFunctions';

/** Which edges to sample, at how many points, over which range; x adds what real inputs show. */
export type EdgeFunctionsOptions = SampleEdgeFunctionsOptions;

/** The sampled φ of a B-spline layer (with its knots) or of another basis family's layer. */
export type KanEdgeFunctions = EdgeFunctionSamples | VariantEdgeFunctionSamples;

export abstract class KANLayer extends tf.layers.Layer {
  /** The learned bias per output (useBias), added after the KAN sum. */
  bias: tf.LayerVariable | null = null;

  /** "ConvKAN2D 'conv1'": how errors name this layer. */
  context(): string {
    return layerContext(this.getClassName(), this.name);
  }

  /**
   * The learned edge functions φ of (by default the first ≤ 4 × 4 channel pairs of) the layer,
   * sampled as plain numbers: base and basis parts per edge, their importance, and with opts.x
   * the input histograms and pykan's data-weighted importance. Needs a built layer.
   */
  abstract edgeFunctions(opts?: EdgeFunctionsOptions): KanEdgeFunctions;

  protected assertBuilt(what: string): void {
    if (!this.built)
      throw new ConvKanArgumentError(this.context(), what, 'called on a built layer (call or build it first)', 'an unbuilt layer');
  }
}
