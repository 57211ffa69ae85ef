/**
 * Raster re-render of the fitted model (docs/design.md §14, "raster fidelity"); its comparison with
 * the input bitmap is raster-compare.ts.
 *
 * Reads: `FittedContour[]` (src/model.ts) and the image size.
 * Produces: per-pixel coverage (Float32Array, row-major, 0..1) of the filled model under the
 * nonzero rule.
 *
 * Method — exact-area cell accumulation, the scheme of font rasterisers (FreeType's "gray"
 * raster, stb_truetype v2, font-rs): every outline edge adds, to each pixel of each row band it
 * crosses, the signed change in "area to the right of the edge" (signed by the edge's vertical
 * direction); a running sum along each row then gives each pixel's signed covered area, and the
 * coverage is min(1, |sum|). This is the exact area of the (flattened) outline inside the pixel
 * wherever the winding number within the pixel is 0 or ±1 — always the case for a fitted model,
 * whose outer boundaries and holes nest without overlapping — and the usual nonzero
 * approximation where pieces with winding ±2 share a pixel. Exact for axis-aligned rectangles
 * and any polygon, up to float rounding (~10⁻⁷: deltas are stored as Float32, sums in Float64).
 *
 * Curves: lines are drawn exactly; each conic arc is flattened to a polyline by recursive
 * midpoint splitting (`splitArc`'s formula, with an explicit stack) until every chord is within
 * `flatness` (default 0.0025 px) of its arc — the distance is exact: for a sub-arc whose inner
 * control point projects inside its chord it is u/(1+u)·dist(B, chord) (see src/geometry/conic.ts).
 *
 * Memory: one Float32Array of width·height (deltas, then coverage in place); nothing else grows
 * with the image or the model. Work per row is clipped to the image, so coordinates far outside
 * (even ±10⁹) cost nothing.
 */
import { checkKnownKeys, ConicfitError, optionKeys } from '../errors.js';
import type { FittedContour } from '../model.js';
import * as dm from '../geometry/fdlibm.js';

export interface RasterOptions {
  /** Largest distance, px, between a conic arc and the chords that replace it. */
  flatness?: number;
  /** Largest width·height accepted. */
  maxPixels?: number;
}

/** The one place for `renderCoverage`'s defaults. */
export const RASTER_DEFAULTS = Object.freeze({
  /** Largest chord-to-arc distance, px: keeps the inward area bias of flattening below one grey level per edge pixel (docs/design.md §14.2, §18.27). */
  flatness: 0.0025,
  /** Same bound as `loadBitmap` (50 MP): a render is 4 bytes per pixel (docs/design.md §16.2). */
  maxPixels: 50_000_000,
});

// ---------------------------------------------------------------------------------------------
// renderCoverage
// ---------------------------------------------------------------------------------------------

/**
 * Coverage 0..1 per pixel (row-major, length width·height) of the filled model, nonzero rule.
 *
 * @example const cov = renderCoverage(result.fits, result.width, result.height)
 * @throws ConicfitError BAD_OPTION (size, options), TOO_MANY_PIXELS, BAD_MODEL (non-finite
 *   number, u ≤ 0, unknown piece kind).
 */
export function renderCoverage(fits: FittedContour[], width: number, height: number, options?: RasterOptions): Float32Array {
  const { flatness, maxPixels } = resolveRasterOptions(options);
  if (!(Number.isSafeInteger(width) && width >= 0 && Number.isSafeInteger(height) && height >= 0)) {
    throw new ConicfitError('BAD_OPTION', `renderCoverage: width and height must be non-negative integers, got ${String(width)} × ${String(height)}`);
  }
  if (width * height > maxPixels) {
    throw new ConicfitError('TOO_MANY_PIXELS', `renderCoverage: ${width} × ${height} exceeds maxPixels (${maxPixels})`);
  }
  if (!Array.isArray(fits)) throw badModel('fits is not an array');
  const acc = new Float32Array(width * height);
  if (width === 0 || height === 0) return acc;
  const r: Raster = {
    acc,
    w: width,
    h: height,
    flat: flatness,
    stack: new Float64Array(8 * (MAX_FLATTEN_DEPTH + 2)),
    rowFirst: new Int32Array(height).fill(width),
    rowLast: new Int32Array(height).fill(-1),
  };
  fits.forEach((fit, i) => drawFit(r, fit, `fits[${i}]`));
  // Running sum along each row: signed covered area → coverage (nonzero). Only between the first
  // and last delta an edge wrote in the row (docs/design.md §14.1): before it the sum is 0 and
  // the pixels already are; after it the sum stays what it is, so its coverage fills the rest.
  for (let j = 0; j < height; j++) {
    const first = r.rowFirst[j],
      last = r.rowLast[j];
    if (last < first) continue;
    let s = 0,
      v = 0;
    const row = j * width;
    for (let i = first; i <= last; i++) {
      // A zero delta (most pixels between edges) leaves the sum, and so its coverage, as it was.
      const d = acc[row + i];
      if (d !== 0) {
        s += d;
        v = snapCoverage(s);
      }
      acc[row + i] = v;
    }
    const rest = snapCoverage(s);
    if (rest !== 0 && last + 1 < width) acc.fill(rest, row + last + 1, row + width);
  }
  return acc;
}

/** A signed area sum as coverage: |s|, with float noise (Float32 deltas, ~10⁻⁷) snapped so background is exactly 0 and ink exactly 1. */
/**
 * `renderCoverage` at an image's own size (the raster compare, the colour repair): loading already
 * admitted that many pixels under its own maxPixels, so the count is never refused here; any other
 * option as renderCoverage's (an invalid one is still BAD_OPTION).
 */
export function renderAtImageSize(fits: FittedContour[], width: number, height: number, options?: RasterOptions): Float32Array {
  const { flatness, maxPixels } = resolveRasterOptions(options);
  const own = width * height;
  return renderCoverage(fits, width, height, { flatness, maxPixels: Number.isSafeInteger(own) ? Math.max(maxPixels, own, 1) : maxPixels });
}

function snapCoverage(s: number): number {
  const c = Math.abs(s);
  return c < SNAP ? 0 : c > 1 - SNAP ? 1 : c;
}

function resolveRasterOptions(options: unknown): { flatness: number; maxPixels: number } {
  const out: { flatness: number; maxPixels: number } = { flatness: RASTER_DEFAULTS.flatness, maxPixels: RASTER_DEFAULTS.maxPixels };
  if (options === undefined) return out;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConicfitError('BAD_OPTION', `renderCoverage: options must be an object, got ${typeof options}`);
  }
  checkKnownKeys(options, optionKeys<RasterOptions>()(['flatness', 'maxPixels']), 'renderCoverage');
  const o = options as Record<string, unknown>;
  if (o.flatness !== undefined) {
    const f = o.flatness;
    if (!(typeof f === 'number' && Number.isFinite(f) && f >= 1e-6)) {
      throw new ConicfitError('BAD_OPTION', `renderCoverage: option flatness must be a number ≥ 1e-6 (px), got ${String(f)}`);
    }
    out.flatness = f;
  }
  if (o.maxPixels !== undefined) {
    const m = o.maxPixels;
    if (!(typeof m === 'number' && Number.isSafeInteger(m) && m > 0)) {
      throw new ConicfitError('BAD_OPTION', `renderCoverage: option maxPixels must be a positive integer, got ${String(m)}`);
    }
    out.maxPixels = m;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outline → edges
// ---------------------------------------------------------------------------------------------

interface Raster {
  acc: Float32Array;
  w: number;
  h: number;
  flat: number;
  /** `flattenArc`'s explicit stack: depth-first, ≤ MAX_FLATTEN_DEPTH + 1 entries of 8 numbers. */
  stack: Float64Array;
  /** Per row, the first and last pixel any edge wrote a delta to (w and −1 while none has). */
  rowFirst: Int32Array;
  rowLast: Int32Array;
}

function drawFit(r: Raster, fit: FittedContour, where: string): void {
  if (fit === null || typeof fit !== 'object' || !Array.isArray(fit.pieces)) throw badModel(`${where}.pieces is not an array`);
  const pieces = fit.pieces;
  if (pieces.length === 0) return;
  let sx = NaN,
    sy = NaN,
    cx = NaN,
    cy = NaN;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    const at = `${where}.pieces[${i}]`;
    if (p === null || typeof p !== 'object') throw badModel(`${at} is not an object`);
    const x0 = num(p.p0?.x, at),
      y0 = num(p.p0?.y, at),
      x1 = num(p.p1?.x, at),
      y1 = num(p.p1?.y, at);
    if (i === 0) {
      sx = x0;
      sy = y0;
    } else if (x0 !== cx || y0 !== cy) {
      accumulateLine(r, cx, cy, x0, y0); // keep the outline closed across a gap in the model
    }
    if (p.kind === 'line') {
      accumulateLine(r, x0, y0, x1, y1);
    } else if (p.kind === 'conic') {
      const u = num(p.u, at);
      if (!(u > 0)) throw badModel(`${at}.u must be positive, got ${u}`);
      const vx = num(p.v?.x, at),
        vy = num(p.v?.y, at),
        jx = num(p.j?.x, at),
        jy = num(p.j?.y, at);
      const wx = num(p.w?.x, at),
        wy = num(p.w?.y, at);
      flattenArc(r, x0, y0, vx, vy, jx, jy, u);
      flattenArc(r, jx, jy, wx, wy, x1, y1, u);
    } else {
      throw badModel(`${at}.kind must be 'line' or 'conic'`);
    }
    cx = x1;
    cy = y1;
  }
  if (cx !== sx || cy !== sy) accumulateLine(r, cx, cy, sx, sy);
}

/** Coverage within this of 0 or 1 is float noise from the Float32 deltas, and is snapped (2⁻²⁰ ≈ 10⁻⁶). */
const SNAP = 2 ** -20;

/** Deepest midpoint split when flattening (2³⁰ chords: never reached, the weights tend to 1). */
const MAX_FLATTEN_DEPTH = 30;

/**
 * Flatten the arc conic(A, B, C, u) into chords within `r.flat` px and accumulate them. No
 * allocation. A sub-arc is accepted when its inner control point projects inside its chord (then
 * the arc, which lies in the triangle ABC, is nearest the chord's interior) and its shoulder
 * distance u/(1+u)·dist(B, AC) — the exact largest distance of the arc from the chord — is within
 * tolerance; or when its control triangle lies wholly outside the image on the top, bottom, left
 * or right, where only its end points matter (left: the chord carries the same signed cover).
 */
function flattenArc(r: Raster, ax: number, ay: number, bx: number, by: number, cx: number, cy: number, u: number): void {
  const st = r.stack;
  st[0] = ax;
  st[1] = ay;
  st[2] = bx;
  st[3] = by;
  st[4] = cx;
  st[5] = cy;
  st[6] = u;
  st[7] = 0;
  let top = 1;
  const tol = r.flat;
  while (top > 0) {
    top--;
    const o = 8 * top;
    const Ax = st[o],
      Ay = st[o + 1],
      Bx = st[o + 2],
      By = st[o + 3],
      Cx = st[o + 4],
      Cy = st[o + 5],
      U = st[o + 6],
      depth = st[o + 7];
    let done = depth >= MAX_FLATTEN_DEPTH;
    if (!done) {
      const minX = Math.min(Ax, Bx, Cx),
        maxX = Math.max(Ax, Bx, Cx),
        minY = Math.min(Ay, By, Cy),
        maxY = Math.max(Ay, By, Cy);
      done = maxY <= 0 || minY >= r.h || minX >= r.w || maxX <= 0;
    }
    if (!done) {
      const ex = Cx - Ax,
        ey = Cy - Ay;
      const bxr = Bx - Ax,
        byr = By - Ay;
      const l2 = ex * ex + ey * ey;
      if (l2 > 0) {
        const tau = (bxr * ex + byr * ey) / l2;
        if (tau >= 0 && tau <= 1) {
          const h = Math.abs(bxr * ey - byr * ex) / Math.sqrt(l2);
          done = (U / (1 + U)) * h <= tol;
        }
      } else {
        done = dm.hypot(bxr, byr) <= tol; // closed loop A = C: the arc lies within |B − A| of A
      }
    }
    if (done) {
      accumulateLine(r, Ax, Ay, Cx, Cy);
      continue;
    }
    // Midpoint split (geometry/conic.ts `splitArc`): push the right half, then the left.
    const k = 1 / (1 + U);
    const Lx = (Ax + U * Bx) * k,
      Ly = (Ay + U * By) * k;
    const Rx = (Cx + U * Bx) * k,
      Ry = (Cy + U * By) * k;
    const Sx = (Ax + 2 * U * Bx + Cx) * 0.5 * k,
      Sy = (Ay + 2 * U * By + Cy) * 0.5 * k;
    const W = Math.sqrt((1 + U) / 2);
    let q = 8 * top;
    st[q] = Sx;
    st[q + 1] = Sy;
    st[q + 2] = Rx;
    st[q + 3] = Ry;
    st[q + 4] = Cx;
    st[q + 5] = Cy;
    st[q + 6] = W;
    st[q + 7] = depth + 1;
    q += 8;
    st[q] = Ax;
    st[q + 1] = Ay;
    st[q + 2] = Lx;
    st[q + 3] = Ly;
    st[q + 4] = Sx;
    st[q + 5] = Sy;
    st[q + 6] = W;
    st[q + 7] = depth + 1;
    top += 2;
  }
}

// ---------------------------------------------------------------------------------------------
// Edge accumulation
// ---------------------------------------------------------------------------------------------

/**
 * Accumulate the edge (x0, y0) → (x1, y1). Clipped in x first: the part left of the image is
 * moved onto x = 0 (it covers every pixel of its rows, which is what a vertical edge at x = 0
 * does), the part right of it is dropped (it covers no visible pixel).
 */
function accumulateLine(r: Raster, x0: number, y0: number, x1: number, y1: number): void {
  if (y0 === y1) return;
  const w = r.w;
  if (x0 >= w && x1 >= w) return;
  if ((y0 <= 0 && y1 <= 0) || (y0 >= r.h && y1 >= r.h)) return;
  if (x0 >= 0 && x1 >= 0 && x0 <= w && x1 <= w) {
    accumulateRows(r, x0, y0, x1, y1);
    return;
  }
  // Split at the crossings of x = 0 and x = w (parameters in (0, 1)), then clip each part.
  const dx = x1 - x0,
    dy = y1 - y0;
  let ta = dx !== 0 ? (0 - x0) / dx : -1;
  let tb = dx !== 0 ? (w - x0) / dx : -1;
  if (ta > tb) {
    const t = ta;
    ta = tb;
    tb = t;
  }
  let tPrev = 0,
    xPrev = x0,
    yPrev = y0;
  for (let k = 0; k < 3; k++) {
    const t = k === 0 ? ta : k === 1 ? tb : 1;
    if (!(t > tPrev && t <= 1)) continue;
    const xt = k === 2 ? x1 : x0 + t * dx,
      yt = k === 2 ? y1 : y0 + t * dy;
    const xm = x0 + ((tPrev + t) / 2) * dx;
    if (xm < 0) accumulateRows(r, 0, yPrev, 0, yt);
    else if (xm <= w) accumulateRows(r, clamp(xPrev, 0, w), yPrev, clamp(xt, 0, w), yt);
    tPrev = t;
    xPrev = xt;
    yPrev = yt;
  }
}

/**
 * Accumulate an edge with 0 ≤ x ≤ w. For each row band it crosses (clipped to 0 ≤ y ≤ h), with
 * the edge going from x = xa to xb (sorted) over a height dy, signed d = ±dy (+ when going down):
 * the pixel i of the band gains d × (mean over the band of the part of the pixel right of the
 * edge) = d·(G(i+1) − G(i)), where G(t) = E[max(t − X, 0)] for X uniform on [xa, xb]:
 *   G(t) = 0 (t ≤ xa),  (t − xa)²/(2(xb − xa)) (xa < t < xb),  t − (xa + xb)/2 (t ≥ xb).
 * Stored as differences between neighbouring pixels, so that the row's running sum restores it;
 * pixels right of ceil(xb) then get the full d without being touched.
 */
function accumulateRows(r: Raster, xa0: number, ya0: number, xb0: number, yb0: number): void {
  let dir = 1;
  let xa = xa0,
    ya = ya0,
    xb = xb0,
    yb = yb0;
  if (ya > yb) {
    dir = -1;
    xa = xb0;
    ya = yb0;
    xb = xa0;
    yb = ya0;
  }
  const h = r.h;
  if (yb <= 0 || ya >= h || ya === yb) return;
  const dxdy = (xb - xa) / (yb - ya);
  const yStart = Math.max(ya, 0),
    yEnd = Math.min(yb, h);
  const acc = r.acc,
    w = r.w;
  const jEnd = Math.ceil(yEnd);
  for (let j = Math.floor(yStart); j < jEnd; j++) {
    const yt = Math.max(j, yStart),
      ybm = Math.min(j + 1, yEnd);
    const dy = ybm - yt;
    if (dy <= 0) continue;
    let xl = xa + (yt - ya) * dxdy,
      xr = xa + (ybm - ya) * dxdy;
    if (xl > xr) {
      const t = xl;
      xl = xr;
      xr = t;
    }
    xl = clamp(xl, 0, w);
    xr = clamp(xr, 0, w);
    const d = dir * dy;
    const span = xr - xl,
      mid = (xl + xr) / 2;
    const row = j * w;
    const iEnd = Math.min(w - 1, Math.ceil(xr));
    const iStart = Math.floor(xl);
    if (iStart < r.rowFirst[j]) r.rowFirst[j] = iStart;
    if (iEnd > r.rowLast[j]) r.rowLast[j] = iEnd;
    let prev = 0;
    let gi = 0; // G(i) for i = floor(xl) ≤ xl: 0
    for (let i = iStart; i <= iEnd; i++) {
      const t = i + 1;
      const gn = t <= xl ? 0 : t >= xr ? t - mid : ((t - xl) * (t - xl)) / (2 * span);
      const a = d * (gn - gi);
      acc[row + i] += a - prev;
      prev = a;
      gi = gn;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badModel(`${where} holds a non-finite or missing number (${String(v)})`);
  return v;
}

function badModel(why: string): ConicfitError {
  return new ConicfitError('BAD_MODEL', `renderCoverage: ${why}`);
}
