/**
 * Deterministic elementary functions: ports of fdlibm 5.3 (Sun Microsystems, 1993; the code V8's
 * `base::ieee754` derives from) for exp, log, sin, cos, tan, atan, atan2 and acos, written with
 * IEEE-754 double arithmetic only (+ − × ÷, sqrt, which every engine rounds the same way).
 *
 * Why (docs/design.md §8.5): ECMAScript leaves `Math.exp`, `Math.sin`, … implementation-
 * approximated, and engines differ in the last bit — Chromium 156 and Node 20 disagree on about
 * 10 % of `Math.exp` and 18 % of `Math.atan2` results. The fit takes decisions on such numbers
 * (annealing acceptance, refinement steps, SVG command choice), so with `Math.*` the same pixels
 * gave a different SVG in a browser than in Node. With these, every engine computes the same bits,
 * and they equal Node 20's `Math.*` (test/fdlibm.test.ts), so outputs made before are unchanged.
 *
 * Arguments of sin/cos/tan beyond 2¹⁹·π/2 are first reduced modulo the rounded 2π (inaccurate
 * there, still deterministic); this library only passes angles of a few turns.
 */

import { PI, at, clearLow, fromWords, highWord, lowWord, twoPow } from './fdlibm-words.js';

export { cos, sin, tan } from './fdlibm-trig.js';

// ---------------------------------------------------------------------------------------------
// exp (e_exp.c)
// ---------------------------------------------------------------------------------------------

const EXP = {
  oThreshold: 7.09782712893383973096e2,
  uThreshold: -7.4513321910194110842e2,
  ln2Hi: 6.9314718036912381649e-1,
  ln2Lo: 1.90821492927058770002e-10,
  invLn2: 1.4426950408889634,
  P1: 1.66666666666666019037e-1,
  P2: -2.77777777770155933842e-3,
  P3: 6.61375632143793436117e-5,
  P4: -1.6533902205465251539e-6,
  P5: 4.13813679705723846039e-8,
  above709: at(0x40862e42),
  halfLn2: at(0x3fd62e43), // |x| > 0.5 ln2 ⇔ high word > 0x3fd62e42
  oneAndHalfLn2: at(0x3ff0a2b2),
  tiny: at(0x3e300000),
} as const;

export function exp(x: number): number {
  const E = EXP;
  const ax = Math.abs(x);
  if (!(ax < E.above709)) {
    if (x !== x) return x;
    if (x === Infinity) return x;
    if (x === -Infinity) return 0;
    if (x > E.oThreshold) return Infinity;
    if (x < E.uThreshold) return 0;
  }
  let hi = 0,
    lo = 0,
    k = 0;
  if (ax >= E.halfLn2) {
    if (ax < E.oneAndHalfLn2) {
      if (x === 1) return Math.E; // as V8 has it (the reduction below gets its last bit wrong)
      hi = x < 0 ? x + E.ln2Hi : x - E.ln2Hi;
      lo = x < 0 ? -E.ln2Lo : E.ln2Lo;
      k = x < 0 ? -1 : 1;
    } else {
      k = Math.trunc(E.invLn2 * x + (x < 0 ? -0.5 : 0.5));
      hi = x - k * E.ln2Hi;
      lo = k * E.ln2Lo;
    }
    x = hi - lo;
  } else if (ax < E.tiny) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (E.P1 + t * (E.P2 + t * (E.P3 + t * (E.P4 + t * E.P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * twoPow(1023) : y * twoPow(k);
  return y * twoPow(k + 1000) * twoPow(-1000);
}

// ---------------------------------------------------------------------------------------------
// log (e_log.c)
// ---------------------------------------------------------------------------------------------

const LOG = {
  ln2Hi: 6.9314718036912381649e-1,
  ln2Lo: 1.90821492927058770002e-10,
  two54: 1.8014398509481984e16,
  Lg1: 6.66666666666673513e-1,
  Lg2: 3.999999999940941908e-1,
  Lg3: 2.857142874366239149e-1,
  Lg4: 2.222219843214978396e-1,
  Lg5: 1.818357216161805012e-1,
  Lg6: 1.531383769920937332e-1,
  Lg7: 1.479819860511658591e-1,
} as const;

export function log(x: number): number {
  const L = LOG;
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    if (x === 0) return -Infinity;
    if (hx < 0 || x !== x) return NaN;
    k -= 54;
    x *= L.two54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = fromWords(hx | (i ^ 0x3ff00000), lowWord(x));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    if (f === 0) return k === 0 ? 0 : dk * L.ln2Hi + dk * L.ln2Lo;
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - R : dk * L.ln2Hi - (R - dk * L.ln2Lo - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  let j = hx - 0x6147a;
  const w = z * z;
  const jj = 0x6b851 - hx;
  const t1 = w * (L.Lg2 + w * (L.Lg4 + w * L.Lg6));
  const t2 = z * (L.Lg1 + w * (L.Lg3 + w * (L.Lg5 + w * L.Lg7)));
  j |= jj;
  const R = t2 + t1;
  if (j > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : dk * L.ln2Hi - (hfsq - (s * (hfsq + R) + dk * L.ln2Lo) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * L.ln2Hi - (s * (f - R) - dk * L.ln2Lo - f);
}

// ---------------------------------------------------------------------------------------------
// atan (s_atan.c), atan2 (e_atan2.c), acos (e_acos.c)
// ---------------------------------------------------------------------------------------------

const ATAN_HI = [4.63647609000806093515e-1, 7.85398163397448278999e-1, 9.82793723247329054082e-1, 1.570796326794896558] as const;
const ATAN_LO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17] as const;
const AT = [
  3.33333333333329318027e-1, -1.99999999998764832476e-1, 1.42857142725034663711e-1, -1.1111110405462355788e-1, 9.09088713343650656196e-2,
  -7.69187620504482999495e-2, 6.66107313738753120669e-2, -5.83357013379057348645e-2, 4.97687799461593236017e-2, -3.6531572744216915527e-2,
  1.62858201153657823623e-2,
] as const;
const ATAN_T = { huge: at(0x44100000), small: at(0x3fdc0000), tiny: at(0x3e400000), a: at(0x3ff30000), b: at(0x3fe60000), c: at(0x40038000) } as const;

export function atan(x: number): number {
  const T = ATAN_T;
  const negative = x < 0;
  const ax = Math.abs(x);
  if (!(ax < T.huge)) {
    if (x !== x) return x;
    return x > 0 ? ATAN_HI[3] + ATAN_LO[3] : -ATAN_HI[3] - ATAN_LO[3];
  }
  let id: number;
  if (ax < T.small) {
    if (ax < T.tiny) return x;
    id = -1;
  } else {
    x = ax;
    if (ax < T.a) {
      if (ax < T.b) {
        id = 0;
        x = (2 * x - 1) / (2 + x);
      } else {
        id = 1;
        x = (x - 1) / (x + 1);
      }
    } else if (ax < T.c) {
      id = 2;
      x = (x - 1.5) / (1 + 1.5 * x);
    } else {
      id = 3;
      x = -1 / x;
    }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
  const s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
  if (id < 0) return x - x * (s1 + s2);
  const r = ATAN_HI[id] - (x * (s1 + s2) - ATAN_LO[id] - x);
  return negative ? -r : r;
}

const PI_O_2 = 1.570796326794896558;
const PI_O_4 = 7.85398163397448279e-1;
const PI_LO = 1.2246467991473532e-16;
const TINY = 1.0e-300;

export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === 1) return atan(y);
  const hx = highWord(x),
    hy = highWord(y);
  const m = ((hy >>> 31) & 1) | ((hx >>> 30) & 2);
  if (y === 0) {
    if (m < 2) return y;
    return m === 2 ? PI + TINY : -PI - TINY;
  }
  if (x === 0) return hy < 0 ? -PI_O_2 - TINY : PI_O_2 + TINY;
  if (!Number.isFinite(x)) {
    if (!Number.isFinite(y)) return [PI_O_4 + TINY, -PI_O_4 - TINY, 3 * PI_O_4 + TINY, -3 * PI_O_4 - TINY][m];
    return [0, -0, PI + TINY, -PI - TINY][m];
  }
  if (!Number.isFinite(y)) return hy < 0 ? -PI_O_2 - TINY : PI_O_2 + TINY;
  const k = ((hy & 0x7fffffff) - (hx & 0x7fffffff)) >> 20;
  let z: number;
  let mm = m;
  if (k > 60) {
    z = PI_O_2 + 0.5 * PI_LO;
    mm &= 1;
  } else if (hx < 0 && k < -60) z = 0;
  else z = atan(Math.abs(y / x));
  switch (mm) {
    case 0:
      return z;
    case 1:
      return -z;
    case 2:
      return PI - (z - PI_LO);
    default:
      return z - PI_LO - PI;
  }
}

const ACOS = {
  pio2Hi: 1.570796326794896558,
  pio2Lo: 6.12323399573676603587e-17,
  pS0: 1.66666666666666657415e-1,
  pS1: -3.25565818622400915405e-1,
  pS2: 2.01212532134862925881e-1,
  pS3: -4.00555345006794114027e-2,
  pS4: 7.91534994289814532176e-4,
  pS5: 3.4793310759602116757e-5,
  qS1: -2.40339491173441421878,
  qS2: 2.02094576023350569471,
  qS3: -6.8828397160545329303e-1,
  qS4: 7.70381505559019352791e-2,
  half: at(0x3fe00000),
  tiny: at(0x3c600001), // |x| ≤ high word 0x3c600000
} as const;

/** acos's rational approximation p(z)/q(z) (e_acos.c); a module function, not a closure made per call. */
function acosPq(z: number): number {
  const A = ACOS;
  const p = z * (A.pS0 + z * (A.pS1 + z * (A.pS2 + z * (A.pS3 + z * (A.pS4 + z * A.pS5)))));
  const q = 1 + z * (A.qS1 + z * (A.qS2 + z * (A.qS3 + z * A.qS4)));
  return p / q;
}

export function acos(x: number): number {
  const A = ACOS;
  const ax = Math.abs(x);
  if (!(ax < 1)) {
    if (x === 1) return 0;
    if (x === -1) return PI + 2 * A.pio2Lo;
    return NaN;
  }
  if (ax < A.half) {
    if (ax < A.tiny) return A.pio2Hi + A.pio2Lo;
    const r = acosPq(x * x);
    return A.pio2Hi - (x - (A.pio2Lo - x * r));
  }
  if (x < 0) {
    const z = (1 + x) * 0.5;
    const r = acosPq(z);
    const s = Math.sqrt(z);
    const w = r * s - A.pio2Lo;
    return PI - 2 * (s + w);
  }
  const z = (1 - x) * 0.5;
  const s = Math.sqrt(z);
  const df = clearLow(s);
  const c = (z - df * df) / (s + df);
  const r = acosPq(z);
  const w = r * s + c;
  return 2 * (df + w);
}

// ---------------------------------------------------------------------------------------------
// hypot (not fdlibm: V8's formula, src/builtins/math.tq)
// ---------------------------------------------------------------------------------------------

/**
 * √(x² + y²) as V8's `Math.hypot` computes it: both magnitudes divided by the larger, squared,
 * summed, square-rooted and scaled back. ECMAScript leaves `Math.hypot` implementation-
 * approximated too (engines built on a libm `hypot` round differently), so this is the same bits
 * everywhere and Node's bits (test/fdlibm.test.ts); as a plain function V8 inlines it, where the
 * builtin is a call (a third of the band fit's foot search, docs/design.md §11.6).
 */
export function hypot(x: number, y: number): number {
  const ax = Math.abs(x),
    ay = Math.abs(y);
  if (ax === Infinity || ay === Infinity) return Infinity;
  const max = ax > ay ? ax : ay;
  if (!(max > 0)) return ax === 0 && ay === 0 ? 0 : NaN;
  const a = ax / max,
    b = ay / max;
  return Math.sqrt(a * a + b * b) * max;
}

/** √(x² + y² + z²) as V8's `Math.hypot` computes it for three arguments (the same scaling, Kahan-compensated sum). */
export function hypot3(x: number, y: number, z: number): number {
  const ax = Math.abs(x),
    ay = Math.abs(y),
    az = Math.abs(z);
  if (ax === Infinity || ay === Infinity || az === Infinity) return Infinity;
  if (Number.isNaN(ax) || Number.isNaN(ay) || Number.isNaN(az)) return NaN;
  const max = Math.max(ax, ay, az);
  if (max === 0) return 0;
  const a = ax / max,
    b = ay / max,
    c = az / max;
  // Kahan summation of a² + b² + c², in V8's order (the first step's compensation is exactly 0).
  const ab = a * a + b * b;
  const compensation = ab - a * a - b * b;
  return Math.sqrt(ab + (c * c - compensation)) * max;
}
