// Least squares for tfjs, which has none: Householder QR with column pivoting and, when the
// matrix is rank deficient (or wide), a complete orthogonal decomposition for the minimum-norm
// solution — what LAPACK's gelsy (torch.linalg.lstsq's CPU default) returns. Float64 on the
// host: the systems here are small (grid-size columns) but many, and need the extra precision.

export interface LstsqOptions {
  /** Singular-value cut relative to the largest pivot; default float32 eps · max(m, n), as torch uses for float32. */
  rcond?: number;
}

export interface LstsqResult {
  /** [batch, n, r] row-major */
  solution: Float64Array;
  /** numerical rank of each A */
  rank: Int32Array;
}

const FLOAT32_EPS = 1.1920928955078125e-7;

/**
 * For every b in the batch, the X (n×r) minimizing ‖A_b·X − B_b‖ (minimum ‖X‖ among minimizers).
 * a: [batch, m, n], b: [batch, m, r], both row-major.
 */
export function lstsqBatched(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  batch: number,
  m: number,
  n: number,
  r: number,
  opts: LstsqOptions = {},
): LstsqResult {
  if (a.length !== batch * m * n) throw new Error(`Error in lstsq: A must hold batch·m·n = ${batch * m * n} numbers, but got ${a.length}.`);
  if (b.length !== batch * m * r) throw new Error(`Error in lstsq: B must hold batch·m·r = ${batch * m * r} numbers, but got ${b.length}.`);
  const rcond = opts.rcond ?? FLOAT32_EPS * Math.max(m, n);
  const solution = new Float64Array(batch * n * r);
  const rank = new Int32Array(batch);
  const A = new Float64Array(m * n);
  const B = new Float64Array(m * r);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m * n; i++) A[i] = a[t * m * n + i];
    for (let i = 0; i < m * r; i++) B[i] = b[t * m * r + i];
    rank[t] = solveOne(A, B, m, n, r, rcond, solution.subarray(t * n * r, (t + 1) * n * r));
  }
  return { solution, rank };
}

/** Solves in place (A and B are overwritten); writes X into out (n×r); returns the rank. */
function solveOne(A: Float64Array, B: Float64Array, m: number, n: number, r: number, rcond: number, out: Float64Array): number {
  const k = Math.min(m, n);
  const tau = new Float64Array(k);
  const perm = pivotedQr(A, m, n, tau, B, r); // also B ← Qᵀ·B
  const r00 = k > 0 ? Math.abs(A[0]) : 0;
  let rank = 0;
  while (rank < k && Math.abs(A[rank * n + rank]) > rcond * r00) rank++;
  out.fill(0);
  if (rank === 0) return 0;
  const y = new Float64Array(n * r); // solution in pivoted column order
  if (rank === n) {
    backSubstituteUpper(A, n, n, B, r, y);
  } else {
    minNormTrapezoidal(A, n, rank, B, r, y);
  }
  for (let j = 0; j < n; j++) for (let c = 0; c < r; c++) out[perm[j] * r + c] = y[j * r + c];
  return rank;
}

/**
 * Householder QR with column pivoting (Businger–Golub), in place, row-major m×n:
 * R on and above the diagonal, the Householder vectors (v₀ = 1 implied) below it.
 * Returns the column permutation: column j of A·P is column perm[j] of A. When B (m×r) is given,
 * every reflector is applied to it too (B ← Qᵀ·B). Each step makes three row-wise passes over all
 * remaining columns at once (reflector norm; dot products; update + the next pivot norms): the
 * systems here are tall (thousands of samples) and narrow (gridSize + order columns).
 */
export function pivotedQr(A: Float64Array, m: number, n: number, tau: Float64Array, B?: Float64Array, r = 0): Int32Array {
  const perm = new Int32Array(n);
  for (let j = 0; j < n; j++) perm[j] = j;
  const rhs = B ? r : 0;
  const norms = new Float64Array(n); // squared norm of each column below the current row
  for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) norms[c] += A[i * n + c] * A[i * n + c];
  const w = new Float64Array(n + rhs);
  const k = Math.min(m, n);
  for (let j = 0; j < k; j++) {
    let best = j;
    for (let c = j + 1; c < n; c++) if (norms[c] > norms[best]) best = c;
    if (best !== j) {
      for (let i = 0; i < m; i++) {
        const t = A[i * n + j];
        A[i * n + j] = A[i * n + best];
        A[i * n + best] = t;
      }
      const tn = norms[j];
      norms[j] = norms[best];
      norms[best] = tn;
      const tp = perm[j];
      perm[j] = perm[best];
      perm[best] = tp;
    }
    let below2 = 0;
    for (let i = j + 1; i < m; i++) below2 += A[i * n + j] * A[i * n + j];
    const ajj = A[j * n + j];
    if (below2 === 0) {
      tau[j] = 0; // already triangular in this column (LAPACK's H = I)
      for (let c = j + 1; c < n; c++) norms[c] -= A[j * n + c] * A[j * n + c];
      continue;
    }
    const norm = Math.sqrt(ajj * ajj + below2);
    const alpha = ajj >= 0 ? -norm : norm; // sign chosen to avoid cancellation
    const scale = 1 / (ajj - alpha);
    for (let i = j + 1; i < m; i++) A[i * n + j] *= scale;
    A[j * n + j] = alpha;
    const t = (alpha - ajj) / alpha;
    tau[j] = t;
    // w = τ·vᵀ·[A(:, j+1:) | B] with v = (1, A(j+1:, j)).
    for (let c = j + 1; c < n; c++) w[c] = A[j * n + c];
    for (let q = 0; q < rhs; q++) w[n + q] = B![j * r + q];
    for (let i = j + 1; i < m; i++) {
      const vi = A[i * n + j];
      for (let c = j + 1; c < n; c++) w[c] += vi * A[i * n + c];
      for (let q = 0; q < rhs; q++) w[n + q] += vi * B![i * r + q];
    }
    for (let c = j + 1; c < n + rhs; c++) w[c] *= t;
    for (let c = j + 1; c < n; c++) {
      A[j * n + c] -= w[c];
      norms[c] = 0;
    }
    for (let q = 0; q < rhs; q++) B![j * r + q] -= w[n + q];
    for (let i = j + 1; i < m; i++) {
      const vi = A[i * n + j];
      for (let c = j + 1; c < n; c++) {
        const v = A[i * n + c] - w[c] * vi;
        A[i * n + c] = v;
        norms[c] += v * v;
      }
      for (let q = 0; q < rhs; q++) B![i * r + q] -= w[n + q] * vi;
    }
  }
  return perm;
}

/** Reflects column j below the diagonal to zero and applies the reflector to columns right of j. */
function householderColumn(A: Float64Array, m: number, n: number, j: number, tau: Float64Array): void {
  let below2 = 0;
  for (let i = j + 1; i < m; i++) below2 += A[i * n + j] * A[i * n + j];
  const ajj = A[j * n + j];
  if (below2 === 0) {
    tau[j] = 0;
    return;
  } // already upper triangular in this column (LAPACK's H = I)
  const norm = Math.sqrt(ajj * ajj + below2);
  const alpha = ajj >= 0 ? -norm : norm; // sign chosen to avoid cancellation
  const scale = 1 / (ajj - alpha);
  for (let i = j + 1; i < m; i++) A[i * n + j] *= scale;
  A[j * n + j] = alpha;
  tau[j] = (alpha - ajj) / alpha;
  for (let c = j + 1; c < n; c++) {
    let w = A[j * n + c];
    for (let i = j + 1; i < m; i++) w += A[i * n + j] * A[i * n + c];
    w *= tau[j];
    A[j * n + c] -= w;
    for (let i = j + 1; i < m; i++) A[i * n + c] -= w * A[i * n + j];
  }
}

/** Solves R[0:size,0:size]·Y = C[0:size] for upper-triangular R stored with row stride n. */
function backSubstituteUpper(R: Float64Array, n: number, size: number, C: Float64Array, r: number, Y: Float64Array): void {
  for (let c = 0; c < r; c++) {
    for (let j = size - 1; j >= 0; j--) {
      let s = C[j * r + c];
      for (let l = j + 1; l < size; l++) s -= R[j * n + l] * Y[l * r + c];
      Y[j * r + c] = s / R[j * n + j];
    }
  }
}

/**
 * Minimum-norm Y with R[0:rank, :]·Y = C[0:rank] for the upper-trapezoidal top rows of R (row stride n).
 * QR of the transpose, Rᵣᵀ = Q₂·L, turns the system into Lᵀ·z = c, Y = Q₂·[z; 0].
 */
function minNormTrapezoidal(R: Float64Array, n: number, rank: number, C: Float64Array, r: number, Y: Float64Array): void {
  const T = new Float64Array(n * rank); // Rᵣᵀ, n×rank
  for (let i = 0; i < rank; i++) for (let j = i; j < n; j++) T[j * rank + i] = R[i * n + j];
  const tau2 = new Float64Array(rank);
  for (let j = 0; j < rank; j++) householderColumn(T, n, rank, j, tau2);
  // Lᵀ is lower triangular: forward substitution, L[i][j] = T[i*rank + j] for j ≥ i.
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < rank; i++) {
      let s = C[i * r + c];
      for (let l = 0; l < i; l++) s -= T[l * rank + i] * Y[l * r + c];
      Y[i * r + c] = s / T[i * rank + i];
    }
    for (let i = rank; i < n; i++) Y[i * r + c] = 0;
    // Y ← Q₂·Y: reflectors applied in reverse order.
    for (let j = rank - 1; j >= 0; j--) {
      if (tau2[j] === 0) continue;
      let w = Y[j * r + c];
      for (let i = j + 1; i < n; i++) w += T[i * rank + j] * Y[i * r + c];
      w *= tau2[j];
      Y[j * r + c] -= w;
      for (let i = j + 1; i < n; i++) Y[i * r + c] -= w * T[i * rank + j];
    }
  }
}
