// A Node file-system IOHandler for model.save / tf.loadLayersModel: tfjs-node's file:// handler
// is unavailable with the pure-JS and wasm backends. Writes model.json (topology + manifest)
// and one weights.bin, the layout tfjs' browser and node handlers use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Saves into / loads from a directory: `await model.save(fileSystemHandler(dir))`, `tf.loadLayersModel(fileSystemHandler(dir))`. */
export function fileSystemHandler(directory: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error('Error in fileSystemHandler: binary model topologies are not supported, but got an ArrayBuffer.');
      await fs.promises.mkdir(directory, { recursive: true });
      const weightData = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await fs.promises.writeFile(path.join(directory, WEIGHTS_BIN), Buffer.from(weightData));
      await fs.promises.writeFile(path.join(directory, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonFile = path.join(directory, MODEL_JSON);
      const json = parseModelJson(await fs.promises.readFile(jsonFile, 'utf8'), jsonFile);
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Buffer[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) buffers.push(await fs.promises.readFile(insideDirectory(directory, p, jsonFile)));
      }
      const joined = Buffer.concat(buffers);
      const files = json.weightsManifest.flatMap((g) => g.paths).join(', ');
      checkWeights(specs, joined, `${files} (listed in ${jsonFile})`);
      const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
      return tf.io.getModelArtifactsForJSON(json, async () => [specs, weightData]);
    },
  };
}

function parseModelJson(text: string, file: string): tf.io.ModelJSON {
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch (e) {
    throw new Error(`Error in fileSystemHandler: ${file} is not valid JSON (truncated or corrupted?): ${(e as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || json.modelTopology == null || !Array.isArray(json.weightsManifest)) {
    throw new Error(
      `Error in fileSystemHandler: ${file} must hold modelTopology and a weightsManifest array, ` +
        `but got keys ${JSON.stringify(json && typeof json === 'object' ? Object.keys(json) : json)}`,
    );
  }
  return json;
}

/** A weights path from model.json, resolved; one that leads out of the model folder is refused. */
function insideDirectory(directory: string, weightsPath: string, jsonFile: string): string {
  const root = path.resolve(directory);
  const file = path.resolve(root, weightsPath);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(
      `Error in fileSystemHandler: weights path ${JSON.stringify(weightsPath)} in ${jsonFile} must stay inside ${root}, ` +
        `but resolves to ${file}`,
    );
  }
  return file;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** Sizes must add up exactly, and float32 weights must be finite: a corrupted file otherwise loads as NaN. */
function checkWeights(specs: tf.io.WeightsManifestEntry[], data: Buffer, files: string): void {
  let expected = 0;
  const float32At: Array<{ name: string; offset: number; count: number }> = [];
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES_PER_ELEMENT[dtype];
    if (bytes === undefined)
      throw new Error(
        `Error in fileSystemHandler: weight ${spec.name} in ${files} has dtype ${JSON.stringify(dtype)}, ` +
          `expected one of ${Object.keys(BYTES_PER_ELEMENT).join(', ')}`,
      );
    if (dtype === 'float32') float32At.push({ name: spec.name, offset: expected, count });
    expected += count * bytes;
  }
  if (data.byteLength !== expected) {
    throw new Error(
      `Error in fileSystemHandler: ${files} must hold ${expected} bytes for the ${specs.length} weights of the manifest, ` +
        `but got ${data.byteLength} bytes (truncated, oversized or not this model's weights)`,
    );
  }
  for (const { name, offset, count } of float32At) {
    for (let i = 0; i < count; i++) {
      const v = data.readFloatLE(offset + 4 * i);
      if (!Number.isFinite(v))
        throw new Error(`Error in fileSystemHandler: weight ${name} in ${files} holds ${v} at element ${i}: the file is corrupted`);
    }
  }
}
