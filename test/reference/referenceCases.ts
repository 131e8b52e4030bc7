// Reference vector sets (format: ../shared/reference/convkan/README.md): where they are and
// how to read them. Every *.json of the folder is a case; unreadable files become cases that fail.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SHARED_REFERENCE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'convkan');
export const FIXTURE_REFERENCE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'reference-convkan');

export interface JsonTensor {
  shape: number[];
  data: number[];
}

export interface ReferenceCase {
  file: string;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  tensors: Record<string, JsonTensor>;
  tolerance: { rtol: number; atol: number; after_rtol?: number; after_atol?: number };
}

/** CONVKAN_REFERENCE_DIR, else ../shared/reference/convkan when present, else our fixture copy. */
export function referenceDir(): string {
  const fromEnv = process.env.CONVKAN_REFERENCE_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  return fs.existsSync(SHARED_REFERENCE_DIR) ? SHARED_REFERENCE_DIR : FIXTURE_REFERENCE_DIR;
}

/** The case files of a folder; throws when the folder is missing or holds none (a run must not pass vacuously). */
export function caseFiles(dir: string): string[] {
  if (!fs.existsSync(dir))
    throw new Error(`reference folder ${dir} does not exist (set CONVKAN_REFERENCE_DIR to a folder of *.json cases)`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`reference folder ${dir} holds no *.json case`);
  return files.map((f) => path.join(dir, f));
}

/** Parses and checks the fields every case needs; throws naming the file and the missing field. */
export function readCase(file: string): ReferenceCase {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ReferenceCase>;
  for (const field of ['kind', 'config', 'tensors', 'tolerance'] as const) {
    if (json[field] == null) throw new Error(`${path.basename(file)}: field '${field}' is missing`);
  }
  const tol = json.tolerance!;
  if (!(Number.isFinite(tol.rtol) && Number.isFinite(tol.atol)))
    throw new Error(`${path.basename(file)}: tolerance needs numeric rtol and atol, but got ${JSON.stringify(tol)}`);
  for (const [name, t] of Object.entries(json.tensors!)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(t.data) || t.data.length !== size)
      throw new Error(`${path.basename(file)}: tensor '${name}' has ${t.data?.length} numbers for shape [${t.shape}] (${size} expected)`);
  }
  return { file, name: json.name ?? path.basename(file, '.json'), ...(json as Omit<ReferenceCase, 'file' | 'name'>) };
}

export function tensorOf(c: ReferenceCase, name: string): JsonTensor {
  const t = c.tensors[name];
  if (!t) throw new Error(`${c.name}: tensor '${name}' is missing (has: ${Object.keys(c.tensors).join(', ')})`);
  return t;
}
