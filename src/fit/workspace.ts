/**
 * Scratch state of the fitter: every buffer and register the hot loops reuse.
 *
 * Reads: nothing; the fit stages size it on demand (interval length m, flattened vertex count).
 * Produces: `FitWorkspace`, one per fitLinear/fitConic call (or per trace, passed in), carried in
 * the fit context, holding the interval buffers, the deviation search's boxes and registers and a
 * `RefineWorkspace` for src/fit/refine.ts. Buffers grow by doubling and are never shrunk, so a
 * fit allocates nothing per interval in steady state.
 *
 * Nothing here is module-level: two fits (or two traces) with their own workspaces share no state
 * (docs/design.md §17.3).
 */

/** The interval's ends as deviationReport treats them (set by fitInterval; see WorkKnot.dataSide). */
export interface IntervalEnds {
  /** Leave out the first / last data point (a corner's, checked in the neighbouring piece). */
  skipFirst: boolean;
  skipLast: boolean;
  /** Contour index of the data point before the first / after the last, or −1: the curve→data check also measures against those segments. */
  before: number;
  after: number;
}

import { LOOP_SAMPLES } from '../geometry/conic.js';

/** Scratch buffers of one fit (grown on demand): data points, parameters, flattening, search state. */
export class FitWorkspace {
  /** An interval's data points (x, y) and chord-length parameters θⱼ. */
  bufX = new Float64Array(256);
  bufY = new Float64Array(256);
  bufT = new Float64Array(256);
  /** Bernstein factors of θⱼ per point: (1−s)², 2s(1−s), s² (fitConicInterval). */
  bufB0 = new Float64Array(256);
  bufC1 = new Float64Array(256);
  bufB2 = new Float64Array(256);
  /** A conic interval's inner control points [Vx, Vy, Wx, Wy, Jx, Jy] (geometry/conic.ts conicControlPoints). */
  readonly controlPoints = new Float64Array(6);
  /** Both arcs of a conic interval, coarsely flattened, for the loop test (geometry/conic.ts intervalLoops). */
  readonly loopScratch = new Float64Array(4 * (LOOP_SAMPLES + 1));
  /** The piece flattened into a polyline, x and y interleaved (flattenConic, fitLine). */
  bufFlat = new Float64Array(1024);
  /** Bounding boxes (min x, min y, max x, max y) of blocks of SCAN_BLOCK segments; see blockBoxes. */
  bufBoxes = new Float64Array(4 * 256);
  /** Index of the segment `nearestSegment` found (a slot, so the hot loop allocates nothing). */
  nearestIndex = 0;
  /** Where a hopeless interval is to be split (contour index; fitIntervalWithin with stop 'split'). */
  splitAt = 0;
  /** A hopeless interval's largest residual there, px (Infinity when none is a number): orders the insertion's splits (§9.3). */
  splitResidual = 0;
  /** The current interval's ends (see IntervalEnds). */
  readonly ends: IntervalEnds = { skipFirst: false, skipLast: false, before: -1, after: -1 };
  /** Linear mode's sector test: polygonOk[k] = 1 when chord (i, i + k) is admitted (src/fit/polygon.ts). */
  polygonOk = new Uint8Array(256);
  /** Scratch of the geometric refinement (src/fit/refine.ts), made at first use: linear mode never refines, and its ~30 arrays were a few per cent of a linear fit of a small image. */
  get refine(): RefineWorkspace {
    return (this.refineScratch ??= new RefineWorkspace());
  }
  private refineScratch: RefineWorkspace | null = null;
  /** Scratch of the band fit (src/fit/band-loss.ts), made at a contour's first conic piece there: most contours have none. */
  band: BandWorkspace | null = null;

  constructor() {
    storeBuffersAgain(this);
  }

  /** Room for m data points and `flat` flattened vertices (either 0: leave that buffer alone). */
  ensureScratch(m: number, flat: number): void {
    if (this.bufX.length < m) {
      const size = Math.max(m, this.bufX.length * 2);
      this.bufX = new Float64Array(size);
      this.bufY = new Float64Array(size);
      this.bufT = new Float64Array(size);
      this.bufB0 = new Float64Array(size);
      this.bufC1 = new Float64Array(size);
      this.bufB2 = new Float64Array(size);
    }
    if (this.bufFlat.length < 2 * flat) this.bufFlat = new Float64Array(Math.max(2 * flat, this.bufFlat.length * 2));
  }

  /** Linear mode's dynamic programme per point: chords so far, their ISE, the previous vertex (src/fit/polygon.ts). */
  polygonChords = new Int32Array(256);
  polygonIse = new Float64Array(256);
  polygonBack = new Int32Array(256);

  /** The dynamic programme's tables with room for `size` points. */
  polygonTables(size: number): { chords: Int32Array; ise: Float64Array; back: Int32Array } {
    if (this.polygonChords.length < size) {
      const grown = Math.max(size, 2 * this.polygonChords.length);
      this.polygonChords = new Int32Array(grown);
      this.polygonIse = new Float64Array(grown);
      this.polygonBack = new Int32Array(grown);
    }
    return { chords: this.polygonChords, ise: this.polygonIse, back: this.polygonBack };
  }

  /** polygonOk with room for `size` entries. */
  polygonAdmitted(size: number): Uint8Array {
    if (this.polygonOk.length < size) this.polygonOk = new Uint8Array(Math.max(size, 2 * this.polygonOk.length));
    return this.polygonOk;
  }

  /** Room for `blocks` boxes in bufBoxes, keeping the ones already there. */
  ensureBoxes(blocks: number): void {
    if (this.bufBoxes.length < 4 * blocks) {
      const grown = new Float64Array(Math.max(4 * blocks, 2 * this.bufBoxes.length));
      grown.set(this.bufBoxes);
      this.bufBoxes = grown;
    }
  }
}

/** Scratch of refineInterval (grown on demand: no allocation per call in steady state). */
export class RefineWorkspace {
  /** The current curve's [Vx, Vy, Wx, Wy, Jx, Jy] (setCurve). */
  readonly controlPoints = new Float64Array(6);
  /** Feet parameters θⱼ, residuals (x, y interleaved), trial residuals, Jacobian (3 columns of 2m). */
  theta = new Float64Array(256);
  footSeg = new Int32Array(256);
  residual = new Float64Array(512);
  trialResidual = new Float64Array(512);
  jacobian = new Float64Array(3 * 512);
  /** Curve samples for the foot search (x, y interleaved) and the chords between them (direction, squared length); sized by ensureSamples at first use. */
  samples = new Float64Array(0);
  chordX = new Float64Array(0);
  chordY = new Float64Array(0);
  chordL2 = new Float64Array(0);
  /** The samples' parameters for sampleCount samples (refine.ts sampleFactors): s and r = 1 − s on their arc, r², s²; samples 0 … sampleHalf lie on the first arc. */
  sampleCount = 0;
  sampleHalf = -1;
  sampleS = new Float64Array(0);
  sampleR = new Float64Array(0);
  sampleW0 = new Float64Array(0);
  sampleW2 = new Float64Array(0);
  /** Which samples the current held evaluation has computed (== sampleStamp). */
  sampleDone = new Int32Array(0);
  sampleStamp = 0;
  /** The last log parameters setCurve exponentiated and their exponentials (NaN: none yet). */
  readonly expIn = Float64Array.of(NaN, NaN, NaN);
  readonly expOut = new Float64Array(3);
  /** 3 × 3 normal equations, damped copy, right-hand side, trial state, step, Cramer minor, start state, last rejected trial. */
  readonly normal = new Float64Array(9);
  readonly damped = new Float64Array(9);
  readonly rhs = new Float64Array(3);
  readonly trial = new Float64Array(3);
  readonly delta = new Float64Array(3);
  readonly minor = new Float64Array(9);
  readonly startState = new Float64Array(3);
  readonly rejected = new Float64Array(3);
  /** The subsampled points of a long interval. */
  subX = new Float64Array(64);
  subY = new Float64Array(64);
  /** The curve of the last `setCurve` (docs/design.md §4.1, with tangent lengths λ₀, λ₁): P₀, V, J, W, P₁ and u. */
  cu = 1;
  cp0x = 0;
  cp0y = 0;
  cvx = 0;
  cvy = 0;
  cjx = 0;
  cjy = 0;
  cwx = 0;
  cwy = 0;
  cp1x = 0;
  cp1y = 0;
  /** The point `curveAt` computed last (a slot: no allocation per point). */
  readonly point = new Float64Array(2);

  constructor() {
    storeBuffersAgain(this);
  }

  /** Room for m points in theta, the residuals and the Jacobian. */
  ensure(m: number): void {
    if (this.theta.length < m) {
      const size = Math.max(m, 2 * this.theta.length);
      this.theta = new Float64Array(size);
      this.footSeg = new Int32Array(size);
      this.residual = new Float64Array(2 * size);
      this.trialResidual = new Float64Array(2 * size);
      this.jacobian = new Float64Array(6 * size);
    }
  }

  /** Room for `count` curve samples. */
  ensureSamples(count: number): void {
    if (this.sampleS.length < count) {
      this.samples = new Float64Array(2 * count);
      this.chordX = new Float64Array(count);
      this.chordY = new Float64Array(count);
      this.chordL2 = new Float64Array(count);
      this.sampleS = new Float64Array(count);
      this.sampleR = new Float64Array(count);
      this.sampleW0 = new Float64Array(count);
      this.sampleW2 = new Float64Array(count);
      this.sampleDone = new Int32Array(count);
    }
  }

  /** Room for `count` subsampled points. */
  ensureSub(count: number): void {
    if (this.subX.length < count) {
      this.subX = new Float64Array(count);
      this.subY = new Float64Array(count);
    }
  }
}

/** Parameters of the band fit's largest problem: two pieces' (ln u, ln λ₀, ln λ₁) and a corner's move and two turns (docs/design.md §11.6, §11.8). */
export const BAND_MAX_PARAMS = 10;

/** Scratch of the band fit (src/fit/band-loss.ts; grown on demand, no allocation per problem in steady state). */
export class BandWorkspace {
  /** Per crack of the contour (loadCracks): midpoint and unit normal towards the ink pixel. */
  midX = new Float64Array(0);
  midY = new Float64Array(0);
  inkX = new Float64Array(0);
  inkY = new Float64Array(0);
  /** The fit context whose cracks midX … hold (loadCracks), or null. */
  cracksOf: object | null = null;
  /** Weight of the hinge residuals: BAND_DEFAULTS.hinge for the band fit (band-corners.ts retries with more, §11.8), 0 for the coverage fit's data points (§11.7). */
  hinge = 1;
  readonly controlPoints = new Float64Array(6);
  /** The last log parameters spanCurve exponentiated and their exponentials (NaN: none yet). */
  readonly expIn = Float64Array.of(NaN, NaN, NaN);
  readonly expOut = new Float64Array(3);
  /** A point of a curve (a slot: no allocation per point). */
  readonly point = new Float64Array(2);
  /** Curve samples of a span (x, y interleaved), and the weights of the sample parameters i / perArc (both arcs share them). */
  samples = new Float64Array(0);
  sampleW0 = new Float64Array(0);
  sampleW1 = new Float64Array(0);
  sampleW2 = new Float64Array(0);
  sampleD = new Float64Array(0);
  residual = new Float64Array(0);
  trialResidual = new Float64Array(0);
  /** Per crack looked at: its foot's parameter θ on the curve, the curve's unit normal there (to the ink side), the hinges active (1 ink, 2 paper), and the curve's point at θ. */
  theta = new Float64Array(0);
  normalX = new Float64Array(0);
  normalY = new Float64Array(0);
  active = new Uint8Array(0);
  footX = new Float64Array(0);
  footY = new Float64Array(0);
  /** Per foot: its arc (0 first, 1 second) and rational weights at the current u (held while the Jacobian moves λ or the knot). */
  footArc = new Uint8Array(0);
  footW0 = new Float64Array(0);
  footW1 = new Float64Array(0);
  footW2 = new Float64Array(0);
  footD = new Float64Array(0);
  /** Per foot and parameter (row-major, BAND_MAX_PARAMS columns): the midpoint's signed distance's derivative. */
  jacobian = new Float64Array(0);
  /** The optimisation's parameters, bounds, trial and step, normal equations and gradient. */
  readonly x = new Float64Array(BAND_MAX_PARAMS);
  readonly lo = new Float64Array(BAND_MAX_PARAMS);
  readonly hi = new Float64Array(BAND_MAX_PARAMS);
  readonly trial = new Float64Array(BAND_MAX_PARAMS);
  readonly step = new Float64Array(BAND_MAX_PARAMS);
  readonly gradient = new Float64Array(BAND_MAX_PARAMS);
  readonly normal = new Float64Array(BAND_MAX_PARAMS * BAND_MAX_PARAMS);
  readonly augmented = new Float64Array(BAND_MAX_PARAMS * (BAND_MAX_PARAMS + 1));
  /** The free parameters' indices, normal equations and gradient (band-solve.ts freeSystem), and their step. */
  readonly freeIndex = new Int32Array(BAND_MAX_PARAMS);
  readonly freeNormal = new Float64Array(BAND_MAX_PARAMS * BAND_MAX_PARAMS);
  readonly freeGradient = new Float64Array(BAND_MAX_PARAMS);
  readonly freeStep = new Float64Array(BAND_MAX_PARAMS);
  /** First residual of each span of the problem (at most two spans), and its cracks looked at. */
  readonly offsets = new Int32Array(2);
  readonly looked = new Int32Array(2);
  /** Centres on the wrong side of the curve at the last evaluation. */
  wrong = 0;

  constructor() {
    storeBuffersAgain(this);
  }

  /** Room for n cracks. */
  ensureCracks(n: number): void {
    if (this.midX.length < n) {
      this.midX = new Float64Array(n);
      this.midY = new Float64Array(n);
      this.inkX = new Float64Array(n);
      this.inkY = new Float64Array(n);
    }
  }

  /** Room for perArc + 1 sample weights and 2·perArc + 1 samples. */
  ensureSamples(perArc: number): void {
    if (this.sampleD.length < perArc + 1) {
      this.samples = new Float64Array(2 * (2 * perArc + 1));
      this.sampleW0 = new Float64Array(perArc + 1);
      this.sampleW1 = new Float64Array(perArc + 1);
      this.sampleW2 = new Float64Array(perArc + 1);
      this.sampleD = new Float64Array(perArc + 1);
    }
  }

  /** Room for `feet` feet (three residuals each). */
  ensure(feet: number): void {
    if (this.theta.length < feet) {
      const size = Math.max(feet, 2 * this.theta.length);
      this.residual = new Float64Array(3 * size);
      this.trialResidual = new Float64Array(3 * size);
      this.theta = new Float64Array(size);
      this.normalX = new Float64Array(size);
      this.normalY = new Float64Array(size);
      this.active = new Uint8Array(size);
      this.footX = new Float64Array(size);
      this.footY = new Float64Array(size);
      this.footArc = new Uint8Array(size);
      this.footW0 = new Float64Array(size);
      this.footW1 = new Float64Array(size);
      this.footW2 = new Float64Array(size);
      this.footD = new Float64Array(size);
      this.jacobian = new Float64Array(size * BAND_MAX_PARAMS);
    }
  }
}

/**
 * Stores every typed-array field of a new workspace once more (a copy). V8 marks a field constant
 * until its second store, and optimised code that read a buffer field relied on that: the first
 * regrowth of a buffer then deoptimised the functions using it (measureDeviation, refineInterval,
 * reproject, loadInterval, …) and aborted compiles under way. Stored twice at construction, the
 * fields are mutable before any code runs on them (docs/design.md §8.4).
 */
function storeBuffersAgain(ws: object): void {
  const fields = ws as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint8Array) fields[key] = value.slice();
  }
}
