;; Basis kernels of ConvKAN on tfjs-backend-wasm's own heap (the memory is imported, so inputs and
;; outputs are tfjs tensors, no copies). Arithmetic is in float64, as kernel/convkan/ops/bsplineMath.ts
;; (the JavaScript reference these are tested against), rounded once to float32 on store.
;; The build script (buildBasisWasm.ts) replaces MEMORY_LIMITS by "1 65536 shared" (threaded
;; tfjs build) or "1" (single-threaded build). Needs SIMD, bulk memory and saturating float->int.
(module
  (import "env" "memory" (memory MEMORY_LIMITS))

  ;; e^x in float64: x = k·ln2 + r, |r| <= ln2/2, Taylor to r^13 (error < 2e-16 relative), times 2^k.
  (func $exp (param $x f64) (result f64)
    (local $k f64) (local $r f64) (local $p f64) (local $ki i64)
    (if (f64.gt (local.get $x) (f64.const 709.782712893384)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -745.2)) (then (return (f64.const 0))))
    (local.set $k (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0.6931471803691238)))
                           (f64.mul (local.get $k) (f64.const 1.9082149292705877e-10))))
    (local.set $p (f64.const 1.6059043836821613e-10)) ;; 1/13!
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.08767569878681e-09)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.505210838544172e-08)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.755731922398589e-07)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.7557319223985893e-06)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 2.48015873015873e-05)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1.984126984126984e-04)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1.388888888888889e-03)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 8.333333333333333e-03)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 4.1666666666666664e-02)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.16666666666666666)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.5)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1)))
    (local.set $ki (i64.trunc_sat_f64_s (local.get $k)))
    ;; 2^k in two steps beyond ±1000, so that results near overflow and subnormal ones stay right
    (if (i64.gt_s (local.get $ki) (i64.const 1000))
      (then
        (local.set $p (f64.mul (local.get $p) (f64.reinterpret_i64 (i64.shl (i64.add (local.get $ki) (i64.const 23)) (i64.const 52)))))
        (return (f64.mul (local.get $p) (f64.const 0x1p1000)))))
    (if (i64.lt_s (local.get $ki) (i64.const -1000))
      (then
        (local.set $p (f64.mul (local.get $p) (f64.reinterpret_i64 (i64.shl (i64.add (local.get $ki) (i64.const 2023)) (i64.const 52)))))
        (return (f64.mul (local.get $p) (f64.const 0x1p-1000)))))
    (f64.mul (local.get $p) (f64.reinterpret_i64 (i64.shl (i64.add (local.get $ki) (i64.const 1023)) (i64.const 52)))))

  ;; tanh x = sign(x)·(1 − 2/(e^{2|x|} + 1))
  (func $tanh (param $x f64) (result f64)
    (local $a f64)
    (local.set $a (f64.abs (local.get $x)))
    (if (f64.gt (local.get $a) (f64.const 22)) (then (return (f64.copysign (f64.const 1) (local.get $x)))))
    (f64.copysign
      (f64.sub (f64.const 1) (f64.div (f64.const 2) (f64.add (call $exp (f64.mul (local.get $a) (f64.const 2))) (f64.const 1))))
      (local.get $x)))

  (func $finite (param $v f64) (result i32)
    (f64.lt (f64.abs (local.get $v)) (f64.const inf)))

  ;; Knot interval i of v in the knot row at $row (K knots, f32): t_i <= v < t_{i+1}, or -1 outside
  ;; [t_0, t_{K-1}) or NaN. First guess from even spacing, then corrected on the knots themselves.
  (func $interval (param $v f64) (param $row i32) (param $K i32) (result i32)
    (local $t0 f64) (local $tEnd f64) (local $i i32)
    (local.set $t0 (f64.promote_f32 (f32.load (local.get $row))))
    (local.set $tEnd (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (i32.sub (local.get $K) (i32.const 1)) (i32.const 2))))))
    (if (i32.eqz (i32.and (f64.ge (local.get $v) (local.get $t0)) (f64.lt (local.get $v) (local.get $tEnd))))
      (then (return (i32.const -1))))
    (local.set $i (i32.trunc_sat_f64_s (f64.floor (f64.mul (f64.sub (local.get $v) (local.get $t0))
      (f64.div (f64.convert_i32_s (i32.sub (local.get $K) (i32.const 1))) (f64.sub (local.get $tEnd) (local.get $t0)))))))
    (if (i32.lt_s (local.get $i) (i32.const 0)) (then (local.set $i (i32.const 0))))
    (if (i32.gt_s (local.get $i) (i32.sub (local.get $K) (i32.const 2))) (then (local.set $i (i32.sub (local.get $K) (i32.const 2)))))
    (block $done (loop $down
      (br_if $done (i32.le_s (local.get $i) (i32.const 0)))
      (br_if $done (f64.ge (local.get $v) (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $down)))
    (block $done2 (loop $up
      (br_if $done2 (i32.ge_s (local.get $i) (i32.sub (local.get $K) (i32.const 2))))
      (br_if $done2 (f64.lt (local.get $v) (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $up)))
    (local.get $i))

  ;; Four f64 lanes (lo = lanes 0,1; hi = lanes 2,3) rounded to one f32x4.
  (func $pack (param $lo v128) (param $hi v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))

  ;; The four non-zero cubic B-splines on a knot interval, as the cardinal pieces in u = (x − t_i)/h
  ;; (two f64x2 Horner polynomials, rounded once to f32x4): (1−u)³/6, (3u³ − 6u² + 4)/6 |
  ;; (−3u³ + 3u² + 3u + 1)/6, u³/6. Shared by bspline3Forward and bspline3Coefs, so their values agree bit for bit.
  (func $cardinalPieces (param $u f64) (result v128)
    (local $uu v128)
    (local.set $uu (f64x2.splat (local.get $u)))
    (call $pack
      (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (v128.const f64x2 -0.16666666666666666 0.5) (local.get $uu))
        (v128.const f64x2 0.5 -1)) (local.get $uu)) (v128.const f64x2 -0.5 0)) (local.get $uu)) (v128.const f64x2 0.16666666666666666 0.6666666666666666))
      (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (v128.const f64x2 -0.5 0.16666666666666666) (local.get $uu))
        (v128.const f64x2 0.5 0)) (local.get $uu)) (v128.const f64x2 0.5 0)) (local.get $uu)) (v128.const f64x2 0.16666666666666666 0))))

  ;; Cubic B-spline bases on evenly spaced knots (efficient-kan's b_splines, order 3), x [n] (n = rows·F,
  ;; feature = index mod F), knots [F, K] → out [n, S], S = K − 4 + silu, SiLU(x) first when silu = 1.
  ;; On interval i the non-zero bases B_{i−3..i} are the cardinal pieces in u = (x − t_i)/(t_{i+1} − t_i),
  ;; evaluated as two f64x2 Horner polynomials.
  (func (export "bspline3Forward") (param $x i32) (param $F i32) (param $K i32) (param $knots i32) (param $out i32) (param $silu i32) (param $begin i32) (param $end i32)
    (local $nb i32) (local $S4 i32) (local $idx i32) (local $f i32) (local $v f64) (local $base i32) (local $row i32)
    (local $i i32) (local $ti f64) (local $u f64) (local $vals v128) (local $o i32) (local $j i32)
    (local.set $nb (i32.sub (local.get $K) (i32.const 4)))
    (local.set $S4 (i32.shl (i32.add (local.get $nb) (local.get $silu)) (i32.const 2)))
    (memory.fill (i32.add (local.get $out) (i32.mul (local.get $begin) (local.get $S4))) (i32.const 0)
      (i32.mul (i32.sub (local.get $end) (local.get $begin)) (local.get $S4)))
    (local.set $idx (local.get $begin))
    (local.set $f (i32.rem_u (local.get $begin) (local.get $F)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $base (i32.add (local.get $out) (i32.mul (local.get $idx) (local.get $S4))))
      (if (local.get $silu)
        (then (f32.store (local.get $base) (f32.demote_f64 (f64.div (local.get $v) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))))))
      (local.set $base (i32.add (local.get $base) (i32.shl (local.get $silu) (i32.const 2))))
      (if (i32.eqz (call $finite (local.get $v)))
        (then
          ;; as efficient-kan: (±inf − t)·0 and NaN·0 make every basis NaN
          (local.set $j (i32.const 0))
          (block $nd (loop $nan
            (br_if $nd (i32.ge_s (local.get $j) (local.get $nb)))
            (f32.store (i32.add (local.get $base) (i32.shl (local.get $j) (i32.const 2))) (f32.const nan))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $nan))))
        (else
          (local.set $row (i32.add (local.get $knots) (i32.shl (i32.mul (local.get $f) (local.get $K)) (i32.const 2))))
          (local.set $i (call $interval (local.get $v) (local.get $row) (local.get $K)))
          (if (i32.ge_s (local.get $i) (i32.const 0))
            (then
              (local.set $ti (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))))
              (local.set $u (f64.div (f64.sub (local.get $v) (local.get $ti))
                (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2))))) (local.get $ti))))
              (local.set $vals (call $cardinalPieces (local.get $u)))
              (local.set $o (i32.add (local.get $base) (i32.shl (i32.sub (local.get $i) (i32.const 3)) (i32.const 2))))
              (if (i32.and (i32.ge_s (local.get $i) (i32.const 3)) (i32.lt_s (local.get $i) (local.get $nb)))
                (then (v128.store align=4 (local.get $o) (local.get $vals)))
                (else
                  ;; first and last intervals: only the bases with an index in [0, nb) exist
                  (if (i32.ge_s (local.get $i) (i32.const 3)) (then (f32.store (local.get $o) (f32x4.extract_lane 0 (local.get $vals)))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 2)) (i32.lt_s (i32.sub (local.get $i) (i32.const 2)) (local.get $nb)))
                    (then (f32.store offset=4 (local.get $o) (f32x4.extract_lane 1 (local.get $vals)))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 1)) (i32.lt_s (i32.sub (local.get $i) (i32.const 1)) (local.get $nb)))
                    (then (f32.store offset=8 (local.get $o) (f32x4.extract_lane 2 (local.get $vals)))))
                  (if (i32.lt_s (local.get $i) (local.get $nb))
                    (then (f32.store offset=12 (local.get $o) (f32x4.extract_lane 3 (local.get $vals)))))))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (if (i32.eq (local.get $f) (local.get $F)) (then (local.set $f (i32.const 0))))
      (br $each))))

  ;; dx = dy_silu·SiLU'(x) + Σ_m dy_{i−3+m}·dB_{i−3+m}/dx, the derivatives of the cardinal pieces over
  ;; 2h: −(1−u)², 3u² − 4u | −3u² + 2u + 1, u² (right derivative on a knot).
  (func (export "bspline3Backward") (param $dy i32) (param $x i32) (param $F i32) (param $K i32) (param $knots i32) (param $dx i32) (param $silu i32) (param $begin i32) (param $end i32)
    (local $nb i32) (local $S4 i32) (local $idx i32) (local $f i32) (local $v f64) (local $base i32) (local $row i32)
    (local $i i32) (local $ti f64) (local $h f64) (local $u f64) (local $uu v128) (local $dlo v128) (local $dhi v128)
    (local $g f64) (local $s f64) (local $o i32) (local $d v128) (local $w v128)
    (local.set $nb (i32.sub (local.get $K) (i32.const 4)))
    (local.set $S4 (i32.shl (i32.add (local.get $nb) (local.get $silu)) (i32.const 2)))
    (local.set $idx (local.get $begin))
    (local.set $f (i32.rem_u (local.get $begin) (local.get $F)))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $base (i32.add (local.get $dy) (i32.mul (local.get $idx) (local.get $S4))))
      (local.set $g (f64.const 0))
      (if (local.get $silu)
        (then
          (local.set $s (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v))))))
          (local.set $g (f64.mul (f64.mul (f64.promote_f32 (f32.load (local.get $base))) (local.get $s))
            (f64.add (f64.const 1) (f64.mul (local.get $v) (f64.sub (f64.const 1) (local.get $s))))))))
      (local.set $base (i32.add (local.get $base) (i32.shl (local.get $silu) (i32.const 2))))
      (if (i32.eqz (call $finite (local.get $v)))
        (then (local.set $g (f64.const nan)))
        (else
          (local.set $row (i32.add (local.get $knots) (i32.shl (i32.mul (local.get $f) (local.get $K)) (i32.const 2))))
          (local.set $i (call $interval (local.get $v) (local.get $row) (local.get $K)))
          (if (i32.ge_s (local.get $i) (i32.const 0))
            (then
              (local.set $ti (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))))
              (local.set $h (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2))))) (local.get $ti)))
              (local.set $u (f64.div (f64.sub (local.get $v) (local.get $ti)) (local.get $h)))
              (local.set $uu (f64x2.splat (local.get $u)))
              (local.set $dlo (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (v128.const f64x2 -1 3) (local.get $uu)) (v128.const f64x2 2 -4)) (local.get $uu)) (v128.const f64x2 -1 0)))
              (local.set $dhi (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (v128.const f64x2 -3 1) (local.get $uu)) (v128.const f64x2 2 0)) (local.get $uu)) (v128.const f64x2 1 0)))
              (local.set $o (i32.add (local.get $base) (i32.shl (i32.sub (local.get $i) (i32.const 3)) (i32.const 2))))
              (if (i32.and (i32.ge_s (local.get $i) (i32.const 3)) (i32.lt_s (local.get $i) (local.get $nb)))
                (then (local.set $w (v128.load align=4 (local.get $o))))
                (else
                  ;; gather only the existing bases' dy, the others count as 0
                  (local.set $w (v128.const i32x4 0 0 0 0))
                  (if (i32.ge_s (local.get $i) (i32.const 3)) (then (local.set $w (f32x4.replace_lane 0 (local.get $w) (f32.load (local.get $o))))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 2)) (i32.lt_s (i32.sub (local.get $i) (i32.const 2)) (local.get $nb)))
                    (then (local.set $w (f32x4.replace_lane 1 (local.get $w) (f32.load offset=4 (local.get $o))))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 1)) (i32.lt_s (i32.sub (local.get $i) (i32.const 1)) (local.get $nb)))
                    (then (local.set $w (f32x4.replace_lane 2 (local.get $w) (f32.load offset=8 (local.get $o))))))
                  (if (i32.lt_s (local.get $i) (local.get $nb))
                    (then (local.set $w (f32x4.replace_lane 3 (local.get $w) (f32.load offset=12 (local.get $o))))))))
              (local.set $d (f64x2.add
                (f64x2.mul (f64x2.promote_low_f32x4 (local.get $w)) (local.get $dlo))
                (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))) (local.get $dhi))))
              (local.set $g (f64.add (local.get $g)
                (f64.div (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d))) (f64.mul (f64.const 2) (local.get $h)))))))))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2))) (f32.demote_f64 (local.get $g)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (if (i32.eq (local.get $f) (local.get $F)) (then (local.set $f (i32.const 0))))
      (br $each))))

  ;; Three-term recurrence polynomials of tanh(x) (Chebyshev, Legendre, Gram, Jacobi): P_0 = 1,
  ;; P_1 = a_0·t + b_0, P_{k+1} = (a_k·t + b_k)·P_k − c_k·P_{k−1}, t = tanh x; coeffs f32 [d, 3] = (a_k, b_k, c_k).
  ;; x [n] → out [n, d + 1].
  (func (export "polyForward") (param $x i32) (param $degree i32) (param $coeffs i32) (param $out i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64) (local $a f64) (local $b f64) (local $c f64) (local $k i32) (local $o i32) (local $q i32)
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $idx) (i32.add (local.get $degree) (i32.const 1))) (i32.const 2))))
      (f32.store (local.get $o) (f32.const 1))
      (local.set $a (f64.const 1))
      (local.set $b (f64.const 0))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_s (local.get $k) (local.get $degree)))
        (local.set $q (i32.add (local.get $coeffs) (i32.mul (local.get $k) (i32.const 12))))
        ;; c = (a_k t + b_k)·P_k − c_k·P_{k−1}, with a = P_k, b = P_{k−1}
        (local.set $c (f64.sub
          (f64.mul (f64.add (f64.mul (f64.promote_f32 (f32.load (local.get $q))) (local.get $t)) (f64.promote_f32 (f32.load offset=4 (local.get $q)))) (local.get $a))
          (f64.mul (f64.promote_f32 (f32.load offset=8 (local.get $q))) (local.get $b))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $c)))
        (local.set $b (local.get $a))
        (local.set $a (local.get $c))
        (br $kl)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; dx = (1 − t²)·Σ_k dy_k·P_k'(t), P_0' = 0, P_{k+1}' = a_k·P_k + (a_k t + b_k)·P_k' − c_k·P_{k−1}'.
  (func (export "polyBackward") (param $dy i32) (param $x i32) (param $degree i32) (param $coeffs i32) (param $dx i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64) (local $a f64) (local $b f64) (local $c f64) (local $da f64) (local $db f64) (local $dc f64)
    (local $k i32) (local $o i32) (local $q i32) (local $g f64) (local $ak f64) (local $lin f64) (local $ck f64)
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      (local.set $o (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $idx) (i32.add (local.get $degree) (i32.const 1))) (i32.const 2))))
      (local.set $g (f64.const 0))
      (local.set $a (f64.const 1)) (local.set $b (f64.const 0))
      (local.set $da (f64.const 0)) (local.set $db (f64.const 0))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_s (local.get $k) (local.get $degree)))
        (local.set $q (i32.add (local.get $coeffs) (i32.mul (local.get $k) (i32.const 12))))
        (local.set $ak (f64.promote_f32 (f32.load (local.get $q))))
        (local.set $lin (f64.add (f64.mul (local.get $ak) (local.get $t)) (f64.promote_f32 (f32.load offset=4 (local.get $q)))))
        (local.set $ck (f64.promote_f32 (f32.load offset=8 (local.get $q))))
        (local.set $c (f64.sub (f64.mul (local.get $lin) (local.get $a)) (f64.mul (local.get $ck) (local.get $b))))
        (local.set $dc (f64.sub (f64.add (f64.mul (local.get $ak) (local.get $a)) (f64.mul (local.get $lin) (local.get $da))) (f64.mul (local.get $ck) (local.get $db))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $g (f64.add (local.get $g) (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))))) (local.get $dc))))
        (local.set $b (local.get $a)) (local.set $a (local.get $c))
        (local.set $db (local.get $da)) (local.set $da (local.get $dc))
        (br $kl)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.mul (local.get $g) (f64.sub (f64.const 1) (f64.mul (local.get $t) (local.get $t))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; The recurrence's P_first … P_d only (first = 0 or 1; row width w = d + 1 − first): the polynomial
  ;; conv layers drop P_0 ≡ 1, whose convolution is a per-channel constant (ops/constantFirstConv.ts).
  ;; x [n] → out [n, w].
  (func (export "polyRangeForward") (param $x i32) (param $degree i32) (param $coeffs i32) (param $out i32) (param $first i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64) (local $a f64) (local $b f64) (local $c f64) (local $k i32) (local $o i32) (local $q i32) (local $w i32)
    (local.set $w (i32.sub (i32.add (local.get $degree) (i32.const 1)) (local.get $first)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      ;; o points at where P_0 would be, so P_k is at o + 4k for k ≥ first
      (local.set $o (i32.add (local.get $out) (i32.shl (i32.sub (i32.mul (local.get $idx) (local.get $w)) (local.get $first)) (i32.const 2))))
      (if (i32.eqz (local.get $first)) (then (f32.store (local.get $o) (f32.const 1))))
      (local.set $a (f64.const 1))
      (local.set $b (f64.const 0))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_s (local.get $k) (local.get $degree)))
        (local.set $q (i32.add (local.get $coeffs) (i32.mul (local.get $k) (i32.const 12))))
        (local.set $c (f64.sub
          (f64.mul (f64.add (f64.mul (f64.promote_f32 (f32.load (local.get $q))) (local.get $t)) (f64.promote_f32 (f32.load offset=4 (local.get $q)))) (local.get $a))
          (f64.mul (f64.promote_f32 (f32.load offset=8 (local.get $q))) (local.get $b))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $c)))
        (local.set $b (local.get $a))
        (local.set $a (local.get $c))
        (br $kl)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; The gradient of polyRangeForward: dy [n, w] holds dL/dP_first … dL/dP_d (P_0' = 0 either way).
  (func (export "polyRangeBackward") (param $dy i32) (param $x i32) (param $degree i32) (param $coeffs i32) (param $dx i32) (param $first i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64) (local $a f64) (local $b f64) (local $c f64) (local $da f64) (local $db f64) (local $dc f64)
    (local $k i32) (local $o i32) (local $q i32) (local $g f64) (local $ak f64) (local $lin f64) (local $ck f64) (local $w i32)
    (local.set $w (i32.sub (i32.add (local.get $degree) (i32.const 1)) (local.get $first)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      (local.set $o (i32.add (local.get $dy) (i32.shl (i32.sub (i32.mul (local.get $idx) (local.get $w)) (local.get $first)) (i32.const 2))))
      (local.set $g (f64.const 0))
      (local.set $a (f64.const 1)) (local.set $b (f64.const 0))
      (local.set $da (f64.const 0)) (local.set $db (f64.const 0))
      (local.set $k (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_s (local.get $k) (local.get $degree)))
        (local.set $q (i32.add (local.get $coeffs) (i32.mul (local.get $k) (i32.const 12))))
        (local.set $ak (f64.promote_f32 (f32.load (local.get $q))))
        (local.set $lin (f64.add (f64.mul (local.get $ak) (local.get $t)) (f64.promote_f32 (f32.load offset=4 (local.get $q)))))
        (local.set $ck (f64.promote_f32 (f32.load offset=8 (local.get $q))))
        (local.set $c (f64.sub (f64.mul (local.get $lin) (local.get $a)) (f64.mul (local.get $ck) (local.get $b))))
        (local.set $dc (f64.sub (f64.add (f64.mul (local.get $ak) (local.get $a)) (f64.mul (local.get $lin) (local.get $da))) (f64.mul (local.get $ck) (local.get $db))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $g (f64.add (local.get $g) (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))))) (local.get $dc))))
        (local.set $b (local.get $a)) (local.set $a (local.get $c))
        (local.set $db (local.get $da)) (local.set $da (local.get $dc))
        (br $kl)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.mul (local.get $g) (f64.sub (f64.const 1) (f64.mul (local.get $t) (local.get $t))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; ---- Elementwise bases of rbf (FastKAN), reluKan, bernstein and the wavelets: x [n] → out [n, K], and back ----

  ;; e^x in four f32 lanes for x in [−87.33, 88] (clamped there; NaN stays NaN): x = k·ln2 + r with
  ;; a two-part ln2 (k·ln2_hi exact), |r| ≤ ln2/2, degree-6 Taylor polynomial (error < 2e-10 relative,
  ;; below float32 rounding), times 2^k from the exponent bits (a normal number for every k there).
  (func $expf4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.33 -87.33 -87.33 -87.33)) (v128.const f32x4 88 88 88 88)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.442695 1.442695 1.442695 1.442695))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
                             (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.3888889e-3 1.3888889e-3 1.3888889e-3 1.3888889e-3))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.333333e-3 8.333333e-3 8.333333e-3 8.333333e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1666667e-2 4.1666667e-2 4.1666667e-2 4.1666667e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.16666667 0.16666667 0.16666667 0.16666667)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; e^a (a ≤ 0, four lanes), exactly 0 below −87.33, where float32 underflows (so that 0·t is NaN for
  ;; an infinite t, as in the composite's gradient).
  (func $expNeg4 (param $a v128) (result v128)
    (v128.andnot (call $expf4 (local.get $a)) (f32x4.lt (local.get $a) (v128.const f32x4 -87.33 -87.33 -87.33 -87.33))))

  ;; FastKAN: out[i, j] = exp(−t²), t = (x_i − c_j)/h, in float32 as the composite (t, t² are its
  ;; floats); params f32 [K + 1] = c_0 … c_{K−1}, h. f32x4 over four centres, the last K mod 4 in lane 0.
  (func (export "rbfForward") (param $x i32) (param $K i32) (param $p i32) (param $out i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $v v128) (local $h v128) (local $K4 i32) (local $o i32) (local $j i32) (local $t v128)
    (local.set $h (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))) (local.get $h)))
        (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
          (call $expNeg4 (f32x4.neg (f32x4.mul (local.get $t) (local.get $t)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))) (local.get $h)))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.extract_lane 0 (call $expNeg4 (f32x4.neg (f32x4.mul (local.get $t) (local.get $t))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; dx_i = −(2/h)·Σ_j dy[i, j]·exp(−t_j²)·t_j: float32 terms, f32x4 partial sums, the lanes added in float64.
  (func (export "rbfBackward") (param $dy i32) (param $x i32) (param $K i32) (param $p i32) (param $dx i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $v v128) (local $h v128) (local $K4 i32) (local $o i32) (local $j i32) (local $t v128) (local $acc v128)
    (local.set $h (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $o (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))) (local.get $h)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (f32x4.mul (v128.load align=4 (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
          (call $expNeg4 (f32x4.neg (f32x4.mul (local.get $t) (local.get $t))))) (local.get $t))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))) (local.get $h)))
        (local.set $acc (f32x4.replace_lane 0 (local.get $acc) (f32.add (f32x4.extract_lane 0 (local.get $acc))
          (f32x4.extract_lane 0 (f32x4.mul (f32x4.mul (f32x4.splat (f32.load (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))))
            (call $expNeg4 (f32x4.neg (f32x4.mul (local.get $t) (local.get $t))))) (local.get $t))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.div (f64.mul (f64.const -2) (call $sum4 (local.get $acc))) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $h))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; The four f32 lanes of v added in float64.
  (func $sum4 (param $v v128) (result f64)
    (local $d v128)
    (local.set $d (f64x2.add (f64x2.promote_low_f32x4 (local.get $v))
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
    (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d))))

  ;; ReLU-KAN: out[i, j] = (ReLU(e_j − x_i)·ReLU(x_i − s_j))²·norm in float32, the composite's own
  ;; operations in its order (so the values are the same floats); params f32 [2K + 1] = s_0 … s_{K−1},
  ;; e_0 … e_{K−1}, norm. f32x4 over four bumps per step, the last K mod 4 one by one.
  (func (export "reluKanForward") (param $x i32) (param $K i32) (param $p i32) (param $out i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $xs f32) (local $xv v128) (local $nv v128) (local $ns f32) (local $K4 i32) (local $o i32) (local $j i32)
    (local $s i32) (local $e i32) (local $r v128) (local $rs f32)
    (local.set $s (local.get $p))
    (local.set $e (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))
    (local.set $ns (f32.load (i32.add (local.get $e) (i32.shl (local.get $K) (i32.const 2)))))
    (local.set $nv (f32x4.splat (local.get $ns)))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $xs (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))
      (local.set $xv (f32x4.splat (local.get $xs)))
      (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $r (f32x4.mul
          (f32x4.max (f32x4.sub (v128.load align=4 (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 2)))) (local.get $xv)) (v128.const f32x4 0 0 0 0))
          (f32x4.max (f32x4.sub (local.get $xv) (v128.load align=4 (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))))) (v128.const f32x4 0 0 0 0))))
        (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.mul (f32x4.mul (local.get $r) (local.get $r)) (local.get $nv)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $rs (f32.mul
          (f32.max (f32.sub (f32.load (i32.add (local.get $e) (i32.shl (local.get $j) (i32.const 2)))) (local.get $xs)) (f32.const 0))
          (f32.max (f32.sub (local.get $xs) (f32.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))))) (f32.const 0))))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
          (f32.mul (f32.mul (local.get $rs) (local.get $rs)) (local.get $ns)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; One step of reluKanBackward for four bumps: with a = ReLU(e − x), b = ReLU(x − s), r = a·b and
  ;; g = dy·norm·(2r) (the composite's gradient chain, in float32), the terms g·a·[x − s > 0] − g·b·[e − x > 0].
  (func $reluKanTerms (param $xv v128) (param $s v128) (param $e v128) (param $d v128) (param $nv v128) (result v128)
    (local $da v128) (local $db v128) (local $a v128) (local $b v128) (local $g v128)
    (local.set $da (f32x4.sub (local.get $e) (local.get $xv)))
    (local.set $db (f32x4.sub (local.get $xv) (local.get $s)))
    (local.set $a (f32x4.max (local.get $da) (v128.const f32x4 0 0 0 0)))
    (local.set $b (f32x4.max (local.get $db) (v128.const f32x4 0 0 0 0)))
    (local.set $g (f32x4.mul (f32x4.mul (local.get $d) (local.get $nv)) (f32x4.mul (f32x4.mul (local.get $a) (local.get $b)) (v128.const f32x4 2 2 2 2))))
    (f32x4.sub
      (f32x4.mul (f32x4.mul (local.get $g) (local.get $a)) (v128.and (f32x4.gt (local.get $db) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))
      (f32x4.mul (f32x4.mul (local.get $g) (local.get $b)) (v128.and (f32x4.gt (local.get $da) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))))

  ;; dx_i = Σ_j of those terms, summed in float64 (two lanes; the last K mod 4 bumps in lane 0).
  (func (export "reluKanBackward") (param $dy i32) (param $x i32) (param $K i32) (param $p i32) (param $dx i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $xv v128) (local $nv v128) (local $K4 i32) (local $o i32) (local $j i32)
    (local $s i32) (local $e i32) (local $q v128) (local $acc v128) (local $jo i32)
    (local.set $s (local.get $p))
    (local.set $e (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))
    (local.set $nv (f32x4.splat (f32.load (i32.add (local.get $e) (i32.shl (local.get $K) (i32.const 2))))))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $xv (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $o (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $acc (v128.const f64x2 0 0))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 2)))
        (local.set $q (call $reluKanTerms (local.get $xv)
          (v128.load align=4 (i32.add (local.get $s) (local.get $jo)))
          (v128.load align=4 (i32.add (local.get $e) (local.get $jo)))
          (v128.load align=4 (i32.add (local.get $o) (local.get $jo)))
          (local.get $nv)))
        (local.set $acc (f64x2.add (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $q)))
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $jo (i32.shl (local.get $j) (i32.const 2)))
        (local.set $q (call $reluKanTerms (local.get $xv)
          (f32x4.splat (f32.load (i32.add (local.get $s) (local.get $jo))))
          (f32x4.splat (f32.load (i32.add (local.get $e) (local.get $jo))))
          (f32x4.splat (f32.load (i32.add (local.get $o) (local.get $jo))))
          (local.get $nv)))
        (local.set $acc (f64x2.replace_lane 0 (local.get $acc)
          (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $q))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc)))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

;; Bernstein b_k(u) = C(m, k)·u^k·v^{m−k}, k = 0 … m, in float64 in O(m): from the end whose base
  ;; is larger (u^m or v^m, ≥ 2^−m), each next by the ratio b_{k−1}/b_k = k/(m − k + 1)·v/u (or
  ;; b_{k+1}/b_k = (m − k)/(k + 1)·u/v). $dot 0: writes b_k to o[k] (f32) and returns 0; $dot 1: returns
  ;; Σ_k b_k·(o[k + 1] − o[k]) (o = a row of dy; d·that is dL/du for the degree m + 1 = d bases).
  (func $bernsteinRow (param $u f64) (param $v f64) (param $m i32) (param $o i32) (param $dot i32) (result f64)
    (local $b f64) (local $r f64) (local $k i32) (local $step i32) (local $g f64)
    (local.set $b (f64.const 1))
    (local.set $k (i32.const 0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_s (local.get $k) (local.get $m)))
      (local.set $b (f64.mul (local.get $b) (select (local.get $u) (local.get $v) (f64.ge (local.get $u) (local.get $v)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $pl)))
    ;; start at k = m going down (u ≥ v), else at k = 0 going up; NaN goes up and stays NaN
    (if (f64.ge (local.get $u) (local.get $v))
      (then (local.set $k (local.get $m)) (local.set $step (i32.const -1)) (local.set $r (f64.div (local.get $v) (local.get $u))))
      (else (local.set $k (i32.const 0)) (local.set $step (i32.const 1)) (local.set $r (f64.div (local.get $u) (local.get $v)))))
    (loop $each
      (if (local.get $dot)
        (then (local.set $g (f64.add (local.get $g) (f64.mul (local.get $b)
          (f64.sub (f64.promote_f32 (f32.load offset=4 (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2)))))
                   (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))))))))))
        (else (f32.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $b)))))
      (if (i32.lt_s (local.get $step) (i32.const 0))
        (then
          (if (i32.le_s (local.get $k) (i32.const 0)) (then (return (local.get $g))))
          (local.set $b (f64.div (f64.mul (f64.mul (local.get $b) (local.get $r)) (f64.convert_i32_s (local.get $k)))
            (f64.convert_i32_s (i32.add (i32.sub (local.get $m) (local.get $k)) (i32.const 1))))))
        (else
          (if (i32.ge_s (local.get $k) (local.get $m)) (then (return (local.get $g))))
          (local.set $b (f64.div (f64.mul (f64.mul (local.get $b) (local.get $r)) (f64.convert_i32_s (i32.sub (local.get $m) (local.get $k))))
            (f64.convert_i32_s (i32.add (local.get $k) (i32.const 1)))))))
      (local.set $k (i32.add (local.get $k) (local.get $step)))
      (br $each))
    (local.get $g))

  ;; KABN: out[i, k] = b_k((1 + tanh x_i)/2), degree d, rows of d + 1; u and v = (1 − tanh x)/2 from tanh directly.
  (func (export "bernsteinForward") (param $x i32) (param $degree i32) (param $out i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64)
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      (drop (call $bernsteinRow (f64.mul (f64.add (f64.const 1) (local.get $t)) (f64.const 0.5)) (f64.mul (f64.sub (f64.const 1) (local.get $t)) (f64.const 0.5))
        (local.get $degree) (i32.add (local.get $out) (i32.shl (i32.mul (local.get $idx) (i32.add (local.get $degree) (i32.const 1))) (i32.const 2))) (i32.const 0)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; dx_i = d·Σ_k b_{k,d−1}(u)·(dy[i, k + 1] − dy[i, k])·(1 − t²)/2 (0·(1 − t²) for d = 0).
  (func (export "bernsteinBackward") (param $dy i32) (param $x i32) (param $degree i32) (param $dx i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $t f64) (local $g f64)
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $t (call $tanh (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2)))))))
      (local.set $g (f64.const 0))
      (if (i32.gt_s (local.get $degree) (i32.const 0))
        (then (local.set $g (call $bernsteinRow (f64.mul (f64.add (f64.const 1) (local.get $t)) (f64.const 0.5)) (f64.mul (f64.sub (f64.const 1) (local.get $t)) (f64.const 0.5))
          (i32.sub (local.get $degree) (i32.const 1))
          (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $idx) (i32.add (local.get $degree) (i32.const 1))) (i32.const 2))) (i32.const 1)))))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.mul (f64.mul (f64.mul (local.get $g) (f64.convert_i32_s (local.get $degree))) (f64.sub (f64.const 1) (f64.mul (local.get $t) (local.get $t)))) (f64.const 0.5))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; cos(a + s·π/2) in four f32 lanes (s = 0: cos a; s = −1: sin a): a = n·π/2 + r, |r| ≤ π/4, with a
  ;; three-part π/2 (Cody–Waite, exact products for |n| < 2^11), sin r and cos r by Taylor polynomials
  ;; (error < 3e-9), then the quadrant's choice and sign. NaN and ±∞ give NaN.
  (func $cosf4 (param $a v128) (param $s i32) (result v128)
    (local $n v128) (local $r v128) (local $r2 v128) (local $sn v128) (local $cs v128) (local $q v128)
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $a) (v128.const f32x4 0.63661975 0.63661975 0.63661975 0.63661975))))
    (local.set $r (f32x4.sub (local.get $a) (f32x4.mul (local.get $n) (v128.const f32x4 1.5703125 1.5703125 1.5703125 1.5703125))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 4.837512969970703125e-4 4.837512969970703125e-4 4.837512969970703125e-4 4.837512969970703125e-4))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 7.54978995489188216e-8 7.54978995489188216e-8 7.54978995489188216e-8 7.54978995489188216e-8))))
    (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
    (local.set $sn (v128.const f32x4 2.7557319e-6 2.7557319e-6 2.7557319e-6 2.7557319e-6))
    (local.set $sn (f32x4.add (f32x4.mul (local.get $sn) (local.get $r2)) (v128.const f32x4 -1.984127e-4 -1.984127e-4 -1.984127e-4 -1.984127e-4)))
    (local.set $sn (f32x4.add (f32x4.mul (local.get $sn) (local.get $r2)) (v128.const f32x4 8.333333e-3 8.333333e-3 8.333333e-3 8.333333e-3)))
    (local.set $sn (f32x4.add (f32x4.mul (local.get $sn) (local.get $r2)) (v128.const f32x4 -0.16666667 -0.16666667 -0.16666667 -0.16666667)))
    (local.set $sn (f32x4.add (f32x4.mul (f32x4.mul (local.get $sn) (local.get $r2)) (local.get $r)) (local.get $r)))
    (local.set $cs (v128.const f32x4 -2.7557319e-7 -2.7557319e-7 -2.7557319e-7 -2.7557319e-7))
    (local.set $cs (f32x4.add (f32x4.mul (local.get $cs) (local.get $r2)) (v128.const f32x4 2.4801587e-5 2.4801587e-5 2.4801587e-5 2.4801587e-5)))
    (local.set $cs (f32x4.add (f32x4.mul (local.get $cs) (local.get $r2)) (v128.const f32x4 -1.3888889e-3 -1.3888889e-3 -1.3888889e-3 -1.3888889e-3)))
    (local.set $cs (f32x4.add (f32x4.mul (local.get $cs) (local.get $r2)) (v128.const f32x4 4.1666667e-2 4.1666667e-2 4.1666667e-2 4.1666667e-2)))
    (local.set $cs (f32x4.add (f32x4.mul (local.get $cs) (local.get $r2)) (v128.const f32x4 -0.5 -0.5 -0.5 -0.5)))
    (local.set $cs (f32x4.add (f32x4.mul (local.get $cs) (local.get $r2)) (v128.const f32x4 1 1 1 1)))
    ;; quadrant q = (n + s) mod 4: cos(r + qπ/2) = cos r, −sin r, −cos r, sin r
    (local.set $q (v128.and (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (local.get $s))) (v128.const i32x4 3 3 3 3)))
    (v128.xor
      (v128.bitselect (local.get $sn) (local.get $cs) (i32x4.eq (v128.and (local.get $q) (v128.const i32x4 1 1 1 1)) (v128.const i32x4 1 1 1 1)))
      (v128.and (i32x4.eq (v128.and (i32x4.add (local.get $q) (v128.const i32x4 1 1 1 1)) (v128.const i32x4 2 2 2 2)) (v128.const i32x4 2 2 2 2))
        (v128.const f32x4 -0 -0 -0 -0))))

  ;; Wav-KAN's mother wavelets at t (kind 0: Mexican hat, 1: Morlet ω₀ = 5, 2: derivative of Gaussian),
  ;; or (deriv = 1) their derivatives dψ/dt, in float32 as the composite: t² = t·t, g = e^{−t²/2}
  ;; (exactly 0 where float32 underflows), ψ = S(1 − t²)g, cos(5t)·g, −t·g.
  (func $waveletf4 (param $t v128) (param $kind i32) (param $deriv i32) (result v128)
    (local $t2 v128) (local $g v128) (local $w v128)
    (local.set $t2 (f32x4.mul (local.get $t) (local.get $t)))
    (local.set $g (call $expNeg4 (f32x4.mul (local.get $t2) (v128.const f32x4 -0.5 -0.5 -0.5 -0.5))))
    (if (i32.eqz (local.get $kind))
      (then
        (return (select
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $t) (f32x4.sub (local.get $t2) (v128.const f32x4 3 3 3 3))) (local.get $g))
            (v128.const f32x4 0.8673250705840776 0.8673250705840776 0.8673250705840776 0.8673250705840776))
          (f32x4.mul (f32x4.mul (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $t2)) (local.get $g)) (v128.const f32x4 0.8673250705840776 0.8673250705840776 0.8673250705840776 0.8673250705840776))
          (local.get $deriv)))))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then
        (local.set $w (f32x4.mul (local.get $t) (v128.const f32x4 5 5 5 5)))
        (if (local.get $deriv)
          (then (return (f32x4.neg (f32x4.mul (local.get $g)
            (f32x4.add (f32x4.mul (v128.const f32x4 5 5 5 5) (call $cosf4 (local.get $w) (i32.const -1)))
                       (f32x4.mul (local.get $t) (call $cosf4 (local.get $w) (i32.const 0)))))))))
        (return (f32x4.mul (call $cosf4 (local.get $w) (i32.const 0)) (local.get $g)))))
    (select
      (f32x4.mul (local.get $g) (f32x4.sub (local.get $t2) (v128.const f32x4 1 1 1 1)))
      (f32x4.neg (f32x4.mul (local.get $t) (local.get $g)))
      (local.get $deriv)))

  ;; out[i, j] = ψ(t), t = (x_i − c_j)/h; params f32 [K + 1] = c_0 … c_{K−1}, h; f32x4 as rbfForward.
  (func (export "waveletForward") (param $x i32) (param $kind i32) (param $K i32) (param $p i32) (param $out i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $v v128) (local $h v128) (local $K4 i32) (local $o i32) (local $j i32) (local $t v128)
    (local.set $h (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))) (local.get $h)))
        (v128.store align=4 (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))) (call $waveletf4 (local.get $t) (local.get $kind) (i32.const 0)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))) (local.get $h)))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.extract_lane 0 (call $waveletf4 (local.get $t) (local.get $kind) (i32.const 0))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; dx_i = Σ_j dy[i, j]·ψ'(t_j)/h: float32 terms, f32x4 partial sums, the lanes added in float64.
  (func (export "waveletBackward") (param $dy i32) (param $x i32) (param $kind i32) (param $K i32) (param $p i32) (param $dx i32) (param $begin i32) (param $end i32)
    (local $idx i32) (local $v v128) (local $h v128) (local $K4 i32) (local $o i32) (local $j i32) (local $t v128) (local $acc v128)
    (local.set $h (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))))
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $idx (local.get $begin))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $v (f32x4.splat (f32.load (i32.add (local.get $x) (i32.shl (local.get $idx) (i32.const 2))))))
      (local.set $o (i32.add (local.get $dy) (i32.shl (i32.mul (local.get $idx) (local.get $K)) (i32.const 2))))
      (local.set $acc (v128.const f32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $K4)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (v128.load align=4 (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))) (local.get $h)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load align=4 (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
          (call $waveletf4 (local.get $t) (local.get $kind) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $K)))
        (local.set $t (f32x4.div (f32x4.sub (local.get $v) (f32x4.splat (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))) (local.get $h)))
        (local.set $acc (f32x4.replace_lane 0 (local.get $acc) (f32.add (f32x4.extract_lane 0 (local.get $acc))
          (f32.mul (f32.load (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))))
            (f32x4.extract_lane 0 (call $waveletf4 (local.get $t) (local.get $kind) (i32.const 1)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (f32.store (i32.add (local.get $dx) (i32.shl (local.get $idx) (i32.const 2)))
        (f32.demote_f64 (f64.div (call $sum4 (local.get $acc)) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $h))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (br $each))))

  ;; First output row o of [0, outSize) whose input row o·s + offset is ≥ 0 (s ≥ 1), at most outSize.
  (func $validBegin (param $offset i32) (param $s i32) (param $outSize i32) (result i32)
    (local $first i32)
    (if (i32.lt_s (local.get $offset) (i32.const 0))
      (then (local.set $first (i32.div_u (i32.sub (i32.add (i32.sub (i32.const 0) (local.get $offset)) (local.get $s)) (i32.const 1)) (local.get $s)))))
    (select (local.get $first) (local.get $outSize) (i32.lt_s (local.get $first) (local.get $outSize))))

  ;; One past the last output row o < outSize whose input row o·s + offset is < size; at least $begin (empty range).
  (func $validEnd (param $offset i32) (param $s i32) (param $size i32) (param $outSize i32) (param $begin i32) (result i32)
    (local $d i32) (local $e i32)
    (local.set $d (i32.sub (i32.sub (local.get $size) (i32.const 1)) (local.get $offset)))
    (if (i32.lt_s (local.get $d) (i32.const 0)) (then (return (local.get $begin))))
    (local.set $e (i32.add (i32.div_u (local.get $d) (local.get $s)) (i32.const 1)))
    (if (i32.gt_s (local.get $e) (local.get $outSize)) (then (local.set $e (local.get $outSize))))
    (select (local.get $e) (local.get $begin) (i32.gt_s (local.get $e) (local.get $begin))))

  ;; Filter gradient taps t ∈ [tapBegin, tapEnd) of a kH × kW filter (t = ky·kW + kx), each into its own slice
  ;; out + t·Cin·Cout·4 by conv2dFilterGradTap below, with r0 = ky·dH − top, c0 = kx·dW − left and the rows and
  ;; columns that read inside x. Taps write disjoint slices, so ranges can run on different threads (wasmThreadPool.ts).
  (func (export "conv2dFilterGradTaps")
    (param $x i32) (param $dy i32) (param $out i32)
    (param $N i32) (param $H i32) (param $W i32) (param $Cin i32) (param $OH i32) (param $OW i32) (param $Cout i32)
    (param $kW i32) (param $dH i32) (param $dW i32) (param $top i32) (param $left i32) (param $sH i32) (param $sW i32)
    (param $tapBegin i32) (param $tapEnd i32)
    (local $t i32) (local $r0 i32) (local $c0 i32) (local $oh0 i32) (local $ow0 i32)
    (local.set $t (local.get $tapBegin))
    (block $done (loop $taps
      (br_if $done (i32.ge_s (local.get $t) (local.get $tapEnd)))
      (local.set $r0 (i32.sub (i32.mul (i32.div_u (local.get $t) (local.get $kW)) (local.get $dH)) (local.get $top)))
      (local.set $c0 (i32.sub (i32.mul (i32.rem_u (local.get $t) (local.get $kW)) (local.get $dW)) (local.get $left)))
      (local.set $oh0 (call $validBegin (local.get $r0) (local.get $sH) (local.get $OH)))
      (local.set $ow0 (call $validBegin (local.get $c0) (local.get $sW) (local.get $OW)))
      (call $conv2dFilterGradTap (local.get $x) (local.get $dy)
        (i32.add (local.get $out) (i32.shl (i32.mul (local.get $t) (i32.mul (local.get $Cin) (local.get $Cout))) (i32.const 2)))
        (local.get $N) (local.get $H) (local.get $W) (local.get $Cin) (local.get $OH) (local.get $OW) (local.get $Cout)
        (local.get $oh0) (call $validEnd (local.get $r0) (local.get $sH) (local.get $H) (local.get $OH) (local.get $oh0))
        (local.get $ow0) (call $validEnd (local.get $c0) (local.get $sW) (local.get $W) (local.get $OW) (local.get $ow0))
        (local.get $r0) (local.get $c0) (local.get $sH) (local.get $sW))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $taps))))

  ;; Filter gradient of a 'valid' NHWC conv2d for one tap (ky, kx), in float32 like tfjs' conv:
  ;; out[ci, co] = Σ_{n, oh ∈ [oh0, oh1), ow ∈ [ow0, ow1)} x[n, oh·sH + r0, ow·sW + c0, ci] · dy[n, oh, ow, co],
  ;; where r0 = ky·dH − top, c0 = kx·dW − left and the ranges keep the read inside x (a zero border adds nothing).
  ;; Cout must be a multiple of 8. Register blocks of 4 input × 8 output channels (8 accumulators) run over
  ;; chunks of rows of one image (≥ 64 pixels), so that the chunk's x and dy stay in L1 while every block reads them.
  (func $conv2dFilterGradTap
    (param $x i32) (param $dy i32) (param $out i32)
    (param $N i32) (param $H i32) (param $W i32) (param $Cin i32) (param $OH i32) (param $OW i32) (param $Cout i32)
    (param $oh0 i32) (param $oh1 i32) (param $ow0 i32) (param $ow1 i32)
    (param $r0 i32) (param $c0 i32) (param $sH i32) (param $sW i32)
    (local $n i32) (local $ohA i32) (local $ohB i32) (local $oh i32) (local $R i32) (local $cols i32) (local $k i32)
    (local $ci i32) (local $co i32) (local $po i32) (local $px i32) (local $pd i32) (local $rowOut i32)
    (local $xStep i32) (local $dyPix i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $d0 v128) (local $d1 v128) (local $s v128)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (i32.mul (local.get $Cin) (local.get $Cout)) (i32.const 2)))
    (if (i32.or (i32.ge_s (local.get $oh0) (local.get $oh1)) (i32.ge_s (local.get $ow0) (local.get $ow1))) (then (return)))
    (local.set $cols (i32.sub (local.get $ow1) (local.get $ow0)))
    (local.set $R (i32.div_u (i32.const 64) (local.get $cols)))
    (if (i32.lt_s (local.get $R) (i32.const 1)) (then (local.set $R (i32.const 1))))
    (local.set $xStep (i32.shl (i32.mul (local.get $sW) (local.get $Cin)) (i32.const 2)))
    (local.set $dyPix (i32.shl (local.get $Cout) (i32.const 2)))
    (local.set $rowOut (i32.shl (local.get $Cout) (i32.const 2)))
    (local.set $n (i32.const 0))
    (block $nDone (loop $nLoop
      (br_if $nDone (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $ohA (local.get $oh0))
      (block $chunkDone (loop $chunkLoop
        (br_if $chunkDone (i32.ge_s (local.get $ohA) (local.get $oh1)))
        (local.set $ohB (i32.add (local.get $ohA) (local.get $R)))
        (if (i32.gt_s (local.get $ohB) (local.get $oh1)) (then (local.set $ohB (local.get $oh1))))
        (local.set $ci (i32.const 0))
        ;; blocks of 4 input channels
        (block $ci4Done (loop $ci4Loop
          (br_if $ci4Done (i32.gt_s (i32.add (local.get $ci) (i32.const 4)) (local.get $Cin)))
          (local.set $co (i32.const 0))
          (block $coDone (loop $coLoop
            (br_if $coDone (i32.ge_s (local.get $co) (local.get $Cout)))
            (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $ci) (local.get $Cout)) (local.get $co)) (i32.const 2))))
            (local.set $a0 (v128.load (local.get $po)))
            (local.set $a1 (v128.load offset=16 (local.get $po)))
            (local.set $a2 (v128.load (i32.add (local.get $po) (local.get $rowOut))))
            (local.set $a3 (v128.load offset=16 (i32.add (local.get $po) (local.get $rowOut))))
            (local.set $a4 (v128.load (i32.add (local.get $po) (i32.shl (local.get $rowOut) (i32.const 1)))))
            (local.set $a5 (v128.load offset=16 (i32.add (local.get $po) (i32.shl (local.get $rowOut) (i32.const 1)))))
            (local.set $a6 (v128.load (i32.add (local.get $po) (i32.mul (local.get $rowOut) (i32.const 3)))))
            (local.set $a7 (v128.load offset=16 (i32.add (local.get $po) (i32.mul (local.get $rowOut) (i32.const 3)))))
            (local.set $oh (local.get $ohA))
            (block $ohDone (loop $ohLoop
              (br_if $ohDone (i32.ge_s (local.get $oh) (local.get $ohB)))
              (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H))
                (i32.add (i32.mul (local.get $oh) (local.get $sH)) (local.get $r0))) (local.get $W))
                (i32.add (i32.mul (local.get $ow0) (local.get $sW)) (local.get $c0))) (local.get $Cin)) (local.get $ci)) (i32.const 2))))
              (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $OH))
                (local.get $oh)) (local.get $OW)) (local.get $ow0)) (local.get $Cout)) (local.get $co)) (i32.const 2))))
              (local.set $k (local.get $cols))
              (loop $owLoop
                (local.set $d0 (v128.load (local.get $pd)))
                (local.set $d1 (v128.load offset=16 (local.get $pd)))
                (local.set $s (v128.load32_splat (local.get $px)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (local.get $d0))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (local.get $d1))))
                (local.set $s (v128.load32_splat offset=4 (local.get $px)))
                (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $s) (local.get $d0))))
                (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $s) (local.get $d1))))
                (local.set $s (v128.load32_splat offset=8 (local.get $px)))
                (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $s) (local.get $d0))))
                (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $s) (local.get $d1))))
                (local.set $s (v128.load32_splat offset=12 (local.get $px)))
                (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $s) (local.get $d0))))
                (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $s) (local.get $d1))))
                (local.set $px (i32.add (local.get $px) (local.get $xStep)))
                (local.set $pd (i32.add (local.get $pd) (local.get $dyPix)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $owLoop (local.get $k)))
              (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
              (br $ohLoop)))
            (v128.store (local.get $po) (local.get $a0))
            (v128.store offset=16 (local.get $po) (local.get $a1))
            (v128.store (i32.add (local.get $po) (local.get $rowOut)) (local.get $a2))
            (v128.store offset=16 (i32.add (local.get $po) (local.get $rowOut)) (local.get $a3))
            (v128.store (i32.add (local.get $po) (i32.shl (local.get $rowOut) (i32.const 1))) (local.get $a4))
            (v128.store offset=16 (i32.add (local.get $po) (i32.shl (local.get $rowOut) (i32.const 1))) (local.get $a5))
            (v128.store (i32.add (local.get $po) (i32.mul (local.get $rowOut) (i32.const 3))) (local.get $a6))
            (v128.store offset=16 (i32.add (local.get $po) (i32.mul (local.get $rowOut) (i32.const 3))) (local.get $a7))
            (local.set $co (i32.add (local.get $co) (i32.const 8)))
            (br $coLoop)))
          (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
          (br $ci4Loop)))
        ;; the remaining 1–3 input channels one at a time
        (block $ci1Done (loop $ci1Loop
          (br_if $ci1Done (i32.ge_s (local.get $ci) (local.get $Cin)))
          (local.set $co (i32.const 0))
          (block $coDone1 (loop $coLoop1
            (br_if $coDone1 (i32.ge_s (local.get $co) (local.get $Cout)))
            (local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $ci) (local.get $Cout)) (local.get $co)) (i32.const 2))))
            (local.set $a0 (v128.load (local.get $po)))
            (local.set $a1 (v128.load offset=16 (local.get $po)))
            (local.set $oh (local.get $ohA))
            (block $ohDone1 (loop $ohLoop1
              (br_if $ohDone1 (i32.ge_s (local.get $oh) (local.get $ohB)))
              (local.set $px (i32.add (local.get $x) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H))
                (i32.add (i32.mul (local.get $oh) (local.get $sH)) (local.get $r0))) (local.get $W))
                (i32.add (i32.mul (local.get $ow0) (local.get $sW)) (local.get $c0))) (local.get $Cin)) (local.get $ci)) (i32.const 2))))
              (local.set $pd (i32.add (local.get $dy) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $OH))
                (local.get $oh)) (local.get $OW)) (local.get $ow0)) (local.get $Cout)) (local.get $co)) (i32.const 2))))
              (local.set $k (local.get $cols))
              (loop $owLoop1
                (local.set $s (v128.load32_splat (local.get $px)))
                (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $s) (v128.load (local.get $pd)))))
                (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $pd)))))
                (local.set $px (i32.add (local.get $px) (local.get $xStep)))
                (local.set $pd (i32.add (local.get $pd) (local.get $dyPix)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br_if $owLoop1 (local.get $k)))
              (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
              (br $ohLoop1)))
            (v128.store (local.get $po) (local.get $a0))
            (v128.store offset=16 (local.get $po) (local.get $a1))
            (local.set $co (i32.add (local.get $co) (i32.const 8)))
            (br $coLoop1)))
          (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
          (br $ci1Loop)))
        (local.set $ohA (local.get $ohB))
        (br $chunkLoop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nLoop))))

  ;; The sparse form of the cubic B-spline basis for sparseKanConv2d, of the zero-padded input: x is
  ;; [N, H, W, F] (knots [F, K] evenly spaced), out is [N, H + top + bottom, W + left + right, F] (Hp × Wp),
  ;; x = 0 on the border. Per value 8 lanes (32 bytes): lanes 0–3 the four bases B_start … B_{start+3}
  ;; (the only ones that can be non-zero), lane 4 SiLU(x), lane 5 start (i32, in [0, nb − 4]), lanes 6–7
  ;; zero. Values are bspline3Forward's (same float64 arithmetic, one rounding); outside the knots all
  ;; four are 0, for a non-finite x NaN (as efficient-kan).
  ;; Computes the padded rows r = n·Hp + hp in [begin, end).
  (func (export "bspline3Coefs") (param $x i32) (param $N i32) (param $H i32) (param $W i32) (param $F i32)
    (param $top i32) (param $left i32) (param $Hp i32) (param $Wp i32) (param $K i32) (param $knots i32) (param $out i32)
    (param $begin i32) (param $end i32)
    (local $nb i32) (local $idx i32) (local $f i32) (local $v f64) (local $o i32) (local $row i32) (local $i i32)
    (local $ti f64) (local $h f64) (local $u f64) (local $vals v128) (local $start i32) (local $p i32)
    (local $n i32) (local $hp i32) (local $wp i32) (local $src i32) (local $inside i32) (local $n4 i32)
    (local.set $nb (i32.sub (local.get $K) (i32.const 4)))
    ;; padded rows r = n·Hp + hp in [begin, end)
    (local.set $n (i32.div_u (local.get $begin) (local.get $Hp)))
    (local.set $hp (i32.rem_u (local.get $begin) (local.get $Hp)))
    (local.set $idx (i32.mul (i32.mul (local.get $begin) (local.get $Wp)) (local.get $F)))
    (local.set $n4 (i32.mul (i32.mul (local.get $end) (local.get $Wp)) (local.get $F)))
    (block $end (loop $each
      (br_if $end (i32.ge_u (local.get $idx) (local.get $n4)))
      ;; at a pixel's first feature: whether it is inside x (else the zero border), and where its values are
      (if (i32.eqz (local.get $f))
        (then
          (local.set $inside (i32.and
            (i32.lt_u (i32.sub (local.get $hp) (local.get $top)) (local.get $H))
            (i32.lt_u (i32.sub (local.get $wp) (local.get $left)) (local.get $W))))
          (if (local.get $inside)
            (then (local.set $src (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H))
              (i32.sub (local.get $hp) (local.get $top))) (local.get $W)) (i32.sub (local.get $wp) (local.get $left))) (local.get $F)) (i32.const 2))))))))
      (local.set $v (f64.const 0))
      (if (local.get $inside)
        (then (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl (local.get $f) (i32.const 2))))))))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $idx) (i32.const 5))))
      (v128.store (local.get $o) (v128.const i32x4 0 0 0 0))
      (v128.store offset=16 (local.get $o) (v128.const i32x4 0 0 0 0))
      (f32.store offset=16 (local.get $o) (f32.demote_f64 (f64.div (local.get $v) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $v)))))))
      (if (i32.eqz (call $finite (local.get $v)))
        (then (v128.store (local.get $o) (v128.const f32x4 nan nan nan nan)))
        (else
          (local.set $row (i32.add (local.get $knots) (i32.shl (i32.mul (local.get $f) (local.get $K)) (i32.const 2))))
          (local.set $i (call $interval (local.get $v) (local.get $row) (local.get $K)))
          (if (i32.ge_s (local.get $i) (i32.const 0))
            (then
              (local.set $ti (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2))))))
              (local.set $h (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))))
                (local.get $ti)))
              (local.set $u (f64.div (f64.sub (local.get $v) (local.get $ti)) (local.get $h)))
              (local.set $vals (call $cardinalPieces (local.get $u)))
              (local.set $start (i32.sub (local.get $i) (i32.const 3)))
              (if (i32.and (i32.ge_s (local.get $i) (i32.const 3)) (i32.lt_s (local.get $i) (local.get $nb)))
                (then (v128.store (local.get $o) (local.get $vals)))
                (else
                  ;; first and last intervals: the window [start, start + 4) is clamped into [0, nb) and
                  ;; only the bases with an index in [0, nb) are kept, each at its lane index − start
                  (if (i32.lt_s (local.get $start) (i32.const 0)) (then (local.set $start (i32.const 0))))
                  (if (i32.gt_s (local.get $start) (i32.sub (local.get $nb) (i32.const 4))) (then (local.set $start (i32.sub (local.get $nb) (i32.const 4)))))
                  ;; $p: byte offset of lane 0 (basis i − 3) relative to the window's start
                  (local.set $p (i32.add (local.get $o) (i32.shl (i32.sub (i32.sub (local.get $i) (i32.const 3)) (local.get $start)) (i32.const 2))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 3)) (i32.lt_s (i32.sub (local.get $i) (i32.const 3)) (local.get $nb)))
                    (then (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $vals)))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 2)) (i32.lt_s (i32.sub (local.get $i) (i32.const 2)) (local.get $nb)))
                    (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $vals)))))
                  (if (i32.and (i32.ge_s (local.get $i) (i32.const 1)) (i32.lt_s (i32.sub (local.get $i) (i32.const 1)) (local.get $nb)))
                    (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $vals)))))
                  (if (i32.lt_s (local.get $i) (local.get $nb))
                    (then (f32.store offset=12 (local.get $p) (f32x4.extract_lane 3 (local.get $vals)))))))
              (i32.store offset=20 (local.get $o) (local.get $start))))))
      (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
      (local.set $f (i32.add (local.get $f) (i32.const 1)))
      (if (i32.eq (local.get $f) (local.get $F))
        (then
          (local.set $f (i32.const 0))
          (local.set $wp (i32.add (local.get $wp) (i32.const 1)))
          (if (i32.eq (local.get $wp) (local.get $Wp))
            (then
              (local.set $wp (i32.const 0))
              (local.set $hp (i32.add (local.get $hp) (i32.const 1)))
              (if (i32.eq (local.get $hp) (local.get $Hp))
                (then (local.set $hp (i32.const 0)) (local.set $n (i32.add (local.get $n) (i32.const 1)))))))))
      (br $each))))

  ;; One output block of sparseKanConv2d for one pixel and tap: out[po … po + 32) (+=, or = when first)
  ;; Σ over Cg channels of SiLU·row 0 + Σ_m b_m·row (1 + start + m), 8 outputs. The five products are
  ;; summed as a tree, so each accumulator takes one add per channel.
  (func $sparseDot8 (param $cp i32) (param $wp i32) (param $po i32) (param $Cg i32) (param $cStep i32) (param $rowB i32) (param $first i32)
    (local $c i32) (local $sp i32) (local $s v128) (local $a0 v128) (local $a1 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (if (i32.eqz (local.get $first)) (then (local.set $a0 (v128.load (local.get $po))) (local.set $a1 (v128.load offset=16 (local.get $po)))))
    (local.set $c (local.get $Cg))
    (loop $cLoop
      (local.set $sp (i32.add (local.get $wp) (i32.mul (local.get $rowB) (i32.add (i32.load offset=20 (local.get $cp)) (i32.const 1)))))
      (local.set $s (v128.load32_splat offset=16 (local.get $cp)))
      (local.set $t0 (f32x4.mul (local.get $s) (v128.load (local.get $wp))))
      (local.set $t1 (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $wp))))
      (local.set $s (v128.load32_splat (local.get $cp)))
      (local.set $t2 (f32x4.mul (local.get $s) (v128.load (local.get $sp))))
      (local.set $t3 (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=4 (local.get $cp)))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=8 (local.get $cp)))
      (local.set $t2 (f32x4.add (local.get $t2) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t3 (f32x4.add (local.get $t3) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=12 (local.get $cp)))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.add (local.get $t0) (local.get $t2))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.add (local.get $t1) (local.get $t3))))
      (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
      (local.set $wp (i32.add (local.get $wp) (local.get $cStep)))
      (local.set $c (i32.sub (local.get $c) (i32.const 1)))
      (br_if $cLoop (local.get $c)))
    (v128.store (local.get $po) (local.get $a0))
    (v128.store offset=16 (local.get $po) (local.get $a1)))

  ;; $sparseDot8 for 16 outputs (4 v128 per row): 25 loads per 160 flops instead of 15 per 80.
  (func $sparseDot16 (param $cp i32) (param $wp i32) (param $po i32) (param $Cg i32) (param $cStep i32) (param $rowB i32) (param $first i32)
    (local $c i32) (local $sp i32) (local $s v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (if (i32.eqz (local.get $first))
      (then
        (local.set $a0 (v128.load (local.get $po))) (local.set $a1 (v128.load offset=16 (local.get $po)))
        (local.set $a2 (v128.load offset=32 (local.get $po))) (local.set $a3 (v128.load offset=48 (local.get $po)))))
    (local.set $c (local.get $Cg))
    (loop $cLoop
      (local.set $sp (i32.add (local.get $wp) (i32.mul (local.get $rowB) (i32.add (i32.load offset=20 (local.get $cp)) (i32.const 1)))))
      (local.set $s (v128.load32_splat offset=16 (local.get $cp)))
      (local.set $t0 (f32x4.mul (local.get $s) (v128.load (local.get $wp))))
      (local.set $t1 (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $wp))))
      (local.set $t2 (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $wp))))
      (local.set $t3 (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $wp))))
      (local.set $s (v128.load32_splat (local.get $cp)))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $t2 (f32x4.add (local.get $t2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $sp)))))
      (local.set $t3 (f32x4.add (local.get $t3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $sp)))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=4 (local.get $cp)))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $t2 (f32x4.add (local.get $t2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $sp)))))
      (local.set $t3 (f32x4.add (local.get $t3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $sp)))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=8 (local.get $cp)))
      (local.set $t0 (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp)))))
      (local.set $t1 (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp)))))
      (local.set $t2 (f32x4.add (local.get $t2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $sp)))))
      (local.set $t3 (f32x4.add (local.get $t3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $sp)))))
      (local.set $sp (i32.add (local.get $sp) (local.get $rowB)))
      (local.set $s (v128.load32_splat offset=12 (local.get $cp)))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.add (local.get $t0) (f32x4.mul (local.get $s) (v128.load (local.get $sp))))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.add (local.get $t1) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $sp))))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.add (local.get $t2) (f32x4.mul (local.get $s) (v128.load offset=32 (local.get $sp))))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.add (local.get $t3) (f32x4.mul (local.get $s) (v128.load offset=48 (local.get $sp))))))
      (local.set $cp (i32.add (local.get $cp) (i32.const 32)))
      (local.set $wp (i32.add (local.get $wp) (local.get $cStep)))
      (local.set $c (i32.sub (local.get $c) (i32.const 1)))
      (br_if $cLoop (local.get $c)))
    (v128.store (local.get $po) (local.get $a0))
    (v128.store offset=16 (local.get $po) (local.get $a1))
    (v128.store offset=32 (local.get $po) (local.get $a2))
    (v128.store offset=48 (local.get $po) (local.get $a3)))

  ;; The filter of sparseKanConv2d repacked by output block: filter [R, Cout] (R = kH·kW·Cin/G·(1 + nb)
  ;; rows) → packed [Cout/W, R, W], W = 16 or 8 (the block). Why: in [R, Cout] the rows of one block
  ;; are Cout·4 bytes apart, a power of two at 64 or 128 outputs, so a block's 9·Cin/G rows map to a
  ;; few L1 sets and evict each other; packed, a block's rows for one tap are one contiguous run.
  (func (export "packSparseFilter") (param $filter i32) (param $packed i32) (param $R i32) (param $Cout i32) (param $W i32)
    (local $r i32) (local $bi i32) (local $src i32) (local $dst i32) (local $blocks i32) (local $WB i32)
    (local.set $blocks (i32.div_u (local.get $Cout) (local.get $W)))
    (local.set $WB (i32.shl (local.get $W) (i32.const 2)))
    (block $rDone (loop $rLoop
      (br_if $rDone (i32.ge_u (local.get $r) (local.get $R)))
      (local.set $src (i32.add (local.get $filter) (i32.shl (i32.mul (local.get $r) (local.get $Cout)) (i32.const 2))))
      (local.set $dst (i32.add (local.get $packed) (i32.mul (local.get $r) (local.get $WB))))
      (local.set $bi (i32.const 0))
      (block $bDone (loop $bLoop
        (br_if $bDone (i32.ge_u (local.get $bi) (local.get $blocks)))
        (memory.copy (local.get $dst) (local.get $src) (local.get $WB))
        (local.set $src (i32.add (local.get $src) (local.get $WB)))
        (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $R) (local.get $WB))))
        (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
        (br $bLoop)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rLoop))))

  ;; ConvKAN's 'valid' grouped NHWC convolution over the expanded basis, using the B-spline's local
  ;; support: of the 1 + nb filter rows of a (tap, input channel) — SiLU's row, then nb spline rows —
  ;; only the SiLU row and the 4 rows start … start + 3 can meet a non-zero value, so each patch value
  ;; costs 5 row updates instead of 1 + nb (9 at grid 5). coef: bspline3Coefs, [N, Hp, Wp, Cin] (the
  ;; padded input, 32 bytes per value); filter: [kH, kW, Cin/G · (1 + nb), Cout] (the dense path's) as
  ;; packSparseFilter packed it; out [N, OH, OW, Cout]. Work units u = block · rows + r, one output row
  ;; r = n·OH + oh (rows = N·OH) for one block of W outputs (W = 16 or 8, as packSparseFilter packed
  ;; the filter; W divides Cout/G); computes units [begin, end). Split across threads, a
  ;; thread takes whole blocks first, so it reads only its blocks' filter rows (batch 1: few rows).
  ;; Loop order: for one block and one tap, the tap's rows of the block (Cin/G · (1 + nb) · W · 4 bytes,
  ;; 18 KB at 32 channels) stay in L1 while every pixel of the output row reads them; the output
  ;; block is the running sum across taps.
  (func (export "sparseKanConv2d")
    (param $coef i32) (param $filter i32) (param $out i32)
    (param $Hp i32) (param $Wp i32) (param $Cin i32) (param $OH i32) (param $OW i32) (param $Cout i32)
    (param $kh i32) (param $kw i32) (param $sH i32) (param $sW i32) (param $dH i32) (param $dW i32)
    (param $G i32) (param $nb i32) (param $W i32) (param $rows i32) (param $begin i32) (param $end i32)
    (local $u i32) (local $r i32) (local $n i32) (local $oh i32) (local $ow i32) (local $block i32) (local $ky i32) (local $kx i32)
    (local $Cg i32) (local $Cog i32) (local $rowB i32) (local $cStep i32) (local $tapStep i32) (local $first i32) (local $g i32)
    (local $wp0 i32) (local $po i32) (local $cpRow i32) (local $cpStep i32) (local $outOff i32)
    (local $wide i32) (local $prow i32) (local $blockStep i32)
    (local.set $Cg (i32.div_u (local.get $Cin) (local.get $G)))
    (local.set $Cog (i32.div_u (local.get $Cout) (local.get $G)))
    (local.set $wide (i32.eq (local.get $W) (i32.const 16)))
    (local.set $rowB (i32.shl (local.get $Cout) (i32.const 2)))
    ;; packed filter: a row of a block is W floats; a block holds all kH·kW·Cg·(1 + nb) rows
    (local.set $prow (i32.shl (local.get $W) (i32.const 2)))
    (local.set $cStep (i32.mul (i32.add (local.get $nb) (i32.const 1)) (local.get $prow)))
    (local.set $tapStep (i32.mul (local.get $Cg) (local.get $cStep)))
    (local.set $blockStep (i32.mul (i32.mul (local.get $kh) (local.get $kw)) (local.get $tapStep)))
    (local.set $cpStep (i32.shl (i32.mul (local.get $sW) (local.get $Cin)) (i32.const 5)))
    (local.set $u (local.get $begin))
    (block $uDone (loop $uLoop
      (br_if $uDone (i32.ge_s (local.get $u) (local.get $end)))
      (local.set $block (i32.div_u (local.get $u) (local.get $rows)))
      (local.set $r (i32.rem_u (local.get $u) (local.get $rows)))
      (local.set $n (i32.div_u (local.get $r) (local.get $OH)))
      (local.set $oh (i32.rem_u (local.get $r) (local.get $OH)))
      ;; the block's first output channel; blocks never straddle groups (W divides Cout/G)
      (local.set $outOff (i32.mul (local.get $block) (local.get $prow)))
      (local.set $g (i32.div_u (i32.mul (local.get $block) (local.get $W)) (local.get $Cog)))
      (local.set $first (i32.const 1))
      (local.set $ky (i32.const 0))
      (block $kyDone (loop $kyLoop
        (br_if $kyDone (i32.ge_s (local.get $ky) (local.get $kh)))
        (local.set $kx (i32.const 0))
        (block $kxDone (loop $kxLoop
          (br_if $kxDone (i32.ge_s (local.get $kx) (local.get $kw)))
          (local.set $wp0 (i32.add (i32.add (local.get $filter) (i32.mul (local.get $block) (local.get $blockStep)))
            (i32.mul (i32.add (i32.mul (local.get $ky) (local.get $kw)) (local.get $kx)) (local.get $tapStep))))
          ;; coef of pixel (oh·sH + ky·dH, kx·dW) of this tap's input row, channel g·Cg
          (local.set $cpRow (i32.add (local.get $coef) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $Hp))
            (i32.add (i32.mul (local.get $oh) (local.get $sH)) (i32.mul (local.get $ky) (local.get $dH)))) (local.get $Wp))
            (i32.mul (local.get $kx) (local.get $dW))) (local.get $Cin)) (i32.mul (local.get $g) (local.get $Cg))) (i32.const 5))))
          (local.set $po (i32.add (i32.add (local.get $out) (i32.shl (i32.mul (i32.mul (local.get $r) (local.get $OW)) (local.get $Cout)) (i32.const 2)))
            (local.get $outOff)))
          (local.set $ow (i32.const 0))
          (block $owDone (loop $owLoop
            (br_if $owDone (i32.ge_s (local.get $ow) (local.get $OW)))
            (if (local.get $wide)
              (then (call $sparseDot16 (local.get $cpRow) (local.get $wp0) (local.get $po) (local.get $Cg) (local.get $cStep) (local.get $prow) (local.get $first)))
              (else (call $sparseDot8 (local.get $cpRow) (local.get $wp0) (local.get $po) (local.get $Cg) (local.get $cStep) (local.get $prow) (local.get $first))))
            (local.set $po (i32.add (local.get $po) (local.get $rowB)))
            (local.set $cpRow (i32.add (local.get $cpRow) (local.get $cpStep)))
            (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
            (br $owLoop)))
          (local.set $first (i32.const 0))
          (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
          (br $kxLoop)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $kyLoop)))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br $uLoop))))
)
