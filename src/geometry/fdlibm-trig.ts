/**
 * sin, cos, tan: ports of fdlibm 5.3's s_sin.c, s_cos.c, s_tan.c, k_sin.c, k_cos.c, k_tan.c and
 * e_rem_pio2.c (docs/design.md §8.5). Re-exported by src/geometry/fdlibm.ts.
 */
import { PI, at, clearLow, fromWords, highWord } from './fdlibm-words.js';

// ---------------------------------------------------------------------------------------------
// sin, cos, tan (s_sin.c, s_cos.c, s_tan.c, k_sin.c, k_cos.c, k_tan.c, e_rem_pio2.c)
// ---------------------------------------------------------------------------------------------

const KSIN = [
  -1.66666666666666324348e-1, 8.33333333332248946124e-3, -1.98412698298579493134e-4, 2.75573137070700676789e-6, -2.50507602534068634195e-8,
  1.58969099521155010221e-10,
] as const;
const KCOS = [
  4.16666666666666019037e-2, -1.38888888888741095749e-3, 2.48015872894767294178e-5, -2.75573143513906633035e-7, 2.0875723212981748279e-9,
  -1.13596475577881948265e-11,
] as const;
const KTAN = [
  3.33333333333334091986e-1, 1.33333333333201242699e-1, 5.39682539762260521377e-2, 2.18694882948595424599e-2, 8.86323982359930005737e-3,
  3.59207910759131235356e-3, 1.45620945432529025516e-3, 5.88041240820264096874e-4, 2.46463134818469906812e-4, 7.817944429395570923e-5,
  7.14072491382608190305e-5, -1.85586374855275456654e-5, 2.59073051863633712884e-5,
] as const;
const PIO4 = 7.85398163397448278999e-1;
const PIO4_LO = 3.06161699786838301793e-17;
const TRIG_T = {
  tiny27: at(0x3e400000),
  tiny28: at(0x3e300000),
  cos03: at(0x3fd33333),
  cos78: at(0x3fe90001),
  tan67: at(0x3fe59428),
  pio4: at(0x3fe921fc),
} as const;

function kernelSin(x: number, y: number, iy: number): number {
  if (Math.abs(x) < TRIG_T.tiny27 && Math.trunc(x) === 0) return x;
  const z = x * x;
  const v = z * x;
  const r = KSIN[1] + z * (KSIN[2] + z * (KSIN[3] + z * (KSIN[4] + z * KSIN[5])));
  if (iy === 0) return x + v * (KSIN[0] + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * KSIN[0]);
}

function kernelCos(x: number, y: number): number {
  const ax = Math.abs(x);
  if (ax < TRIG_T.tiny27 && Math.trunc(x) === 0) return 1;
  const z = x * x;
  const r = z * (KCOS[0] + z * (KCOS[1] + z * (KCOS[2] + z * (KCOS[3] + z * (KCOS[4] + z * KCOS[5])))));
  if (ax < TRIG_T.cos03) return 1 - (0.5 * z - (z * r - x * y));
  const qx = ax >= TRIG_T.cos78 ? 0.28125 : fromWords((highWord(x) & 0x7fffffff) - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

function kernelTan(x: number, y: number, iy: number): number {
  const hx = highWord(x);
  const ax = Math.abs(x);
  if (ax < TRIG_T.tiny28 && Math.trunc(x) === 0) {
    if (x === 0 && iy === -1) return 1 / ax;
    if (iy === 1) return x;
    const w = x + y;
    const z = clearLow(w);
    const v = y - (z - x);
    const a = -1 / w;
    const t = clearLow(a);
    const s = 1 + t * z;
    return t + a * (s + t * v);
  }
  const big = ax >= TRIG_T.tan67;
  if (big) {
    if (hx < 0) {
      x = -x;
      y = -y;
    }
    const z = PIO4 - x;
    const w = PIO4_LO - y;
    x = z + w;
    y = 0;
  }
  const z = x * x;
  let w = z * z;
  let r = KTAN[1] + w * (KTAN[3] + w * (KTAN[5] + w * (KTAN[7] + w * (KTAN[9] + w * KTAN[11]))));
  let v = z * (KTAN[2] + w * (KTAN[4] + w * (KTAN[6] + w * (KTAN[8] + w * (KTAN[10] + w * KTAN[12])))));
  const s = z * x;
  r = y + z * (s * (r + v) + y);
  r += KTAN[0] * s;
  w = x + r;
  if (big) {
    v = iy;
    return (1 - ((hx >> 30) & 2)) * (v - 2 * (x - ((w * w) / (w + v) - r)));
  }
  if (iy === 1) return w;
  const zz = clearLow(w);
  v = r - (zz - x);
  const a = -1 / w;
  const t = clearLow(a);
  const s2 = 1 + t * zz;
  return t + a * (s2 + t * v);
}

const RP = {
  invpio2: 6.36619772367581382433e-1,
  pio2_1: 1.57079632673412561417,
  pio2_1t: 6.07710050650619224932e-11,
  pio2_2: 6.0771005063039659766e-11,
  pio2_2t: 2.02226624879595063154e-21,
  pio2_3: 2.0222662487111664558e-21,
  pio2_3t: 8.47842766036889956997e-32,
} as const;

/** High words of n·π/2, n = 1..32 (e_rem_pio2.c's npio2_hw). */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c,
  0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c,
  0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
] as const;

/** x − n·π/2 as y0 + y1 (|y| ≤ π/4), and n. Beyond 2¹⁹·π/2 the medium reduction is used anyway (see the header). */
function remPio2(x: number): [n: number, y0: number, y1: number] {
  // Huge arguments: first x mod 2π (rounded; `%` is exact in every engine), then as below.
  if (Math.abs(x) > at(0x413921fc)) x %= 2 * PI;
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    if (hx > 0) {
      let z = x - RP.pio2_1;
      if (ix !== 0x3ff921fb) {
        const y0 = z - RP.pio2_1t;
        return [1, y0, z - y0 - RP.pio2_1t];
      }
      z -= RP.pio2_2;
      const y0 = z - RP.pio2_2t;
      return [1, y0, z - y0 - RP.pio2_2t];
    }
    let z = x + RP.pio2_1;
    if (ix !== 0x3ff921fb) {
      const y0 = z + RP.pio2_1t;
      return [-1, y0, z - y0 + RP.pio2_1t];
    }
    z += RP.pio2_2;
    const y0 = z + RP.pio2_2t;
    return [-1, y0, z - y0 + RP.pio2_2t];
  }
  let t = Math.abs(x);
  const n = Math.trunc(t * RP.invpio2 + 0.5);
  const fn = n;
  let r = t - fn * RP.pio2_1;
  let w = fn * RP.pio2_1t;
  let y0: number;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    y0 = r - w;
  } else {
    const j = ix >> 20;
    y0 = r - w;
    let i = j - ((highWord(y0) >> 20) & 0x7ff);
    if (i > 16) {
      t = r;
      w = fn * RP.pio2_2;
      r = t - w;
      w = fn * RP.pio2_2t - (t - r - w);
      y0 = r - w;
      i = j - ((highWord(y0) >> 20) & 0x7ff);
      if (i > 49) {
        t = r;
        w = fn * RP.pio2_3;
        r = t - w;
        w = fn * RP.pio2_3t - (t - r - w);
        y0 = r - w;
      }
    }
  }
  const y1 = r - y0 - w;
  return hx < 0 ? [-n, -y0, -y1] : [n, y0, y1];
}

export function sin(x: number): number {
  if (Math.abs(x) < TRIG_T.pio4) return kernelSin(x, 0, 0);
  if (!Number.isFinite(x)) return NaN;
  const [n, y0, y1] = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(y0, y1, 1);
    case 1:
      return kernelCos(y0, y1);
    case 2:
      return -kernelSin(y0, y1, 1);
    default:
      return -kernelCos(y0, y1);
  }
}

export function cos(x: number): number {
  if (Math.abs(x) < TRIG_T.pio4) return kernelCos(x, 0);
  if (!Number.isFinite(x)) return NaN;
  const [n, y0, y1] = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(y0, y1);
    case 1:
      return -kernelSin(y0, y1, 1);
    case 2:
      return -kernelCos(y0, y1);
    default:
      return kernelSin(y0, y1, 1);
  }
}

export function tan(x: number): number {
  if (Math.abs(x) < TRIG_T.pio4) return kernelTan(x, 0, 1);
  if (!Number.isFinite(x)) return NaN;
  const [n, y0, y1] = remPio2(x);
  return kernelTan(y0, y1, 1 - ((n & 1) << 1));
}
