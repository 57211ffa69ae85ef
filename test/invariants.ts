/**
 * The one checker of what every `TraceResult` must satisfy, used by every test that produces one
 * (traceImage, fitAll + summarise, fromJson, the command line's JSON) and by the fuzz harness
 * (test/fuzz/harness.ts), which re-exports it.
 *
 * `checkTraceResult` throws an `InvariantFailure` naming the first broken invariant; it never
 * returns a verdict to be ignored. The invariants are the model's documented contract
 * (src/model.ts, src/types.ts): finite numbers, an accepted echo of the options, a consistent
 * contour hierarchy, corners in contour order, knots in contour order with one piece per
 * interval whose ends are its knots, conic geometry as model.ts defines it, per-piece reports
 * that bound each other, per-contour reports that are the sums of their pieces, image totals that
 * are the sums of the per-contour reports, JSON that round-trips and an SVG document.
 */
import {
  FIT_DEFAULTS,
  REPORT_DEFAULTS,
  assessTrace,
  fromJson,
  summarise,
  toJson,
  toSvg,
  traceImage,
  type Bitmap,
  type Contour,
  type Corner,
  type FitMode,
  type FittedContour,
  type LoadInput,
  type TraceOptions,
  type TraceResult,
} from '../src/node.js';

/** A broken invariant (the fuzz harness calls it FuzzFailure and counts failures by `kind`). */
export class InvariantFailure extends Error {
  /** A short class of the failure (for counting in keep-going runs), e.g. "TypeError: Do not know how to serialize a BigInt". */
  kind: string;
  constructor(message: string, options?: { cause?: unknown; kind?: string }) {
    super(message, options);
    this.name = 'InvariantFailure';
    this.kind = options?.kind ?? message.replace(/\d+(\.\d+)?/g, 'N').slice(0, 80);
  }
}

const fail = (message: string, kind?: string): never => {
  throw new InvariantFailure(message, kind ? { kind } : undefined);
};

const NON_FINITE_TEXT = /NaN|Infinity|undefined|\[object /;
// XML 1.0 forbids these characters anywhere in a document.
// eslint-disable-next-line no-control-regex -- these control characters are what it looks for
const XML_ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every number reachable from `v` (typed arrays included) is finite; returns the path of the first that is not. */
export function findNonFinite(v: unknown, path = '$', seen = new Set<unknown>()): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (v === null || typeof v !== 'object') return null;
  if (seen.has(v)) return null;
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${path}[${i}] = ${a[i]}`;
    return null;
  }
  for (const [k, x] of Object.entries(v)) {
    const r = findNonFinite(x, `${path}.${k}`, seen);
    if (r) return r;
  }
  return null;
}

export function checkBitmap(bm: Bitmap): void {
  const n = bm.width * bm.height;
  if (!(Number.isInteger(bm.width) && bm.width > 0 && Number.isInteger(bm.height) && bm.height > 0)) {
    fail(`bitmap size ${bm.width}×${bm.height}`);
  }
  if (bm.ink.length !== n || bm.coverage.length !== n) fail('bitmap arrays do not hold width·height values');
  for (let i = 0; i < n; i++) {
    const c = bm.coverage[i];
    if (!(c >= 0 && c <= 1)) fail(`coverage[${i}] = ${c}`);
    if (bm.ink[i] !== 0 && bm.ink[i] !== 1) fail(`ink[${i}] = ${bm.ink[i]}`);
  }
  if (!(Number.isInteger(bm.threshold) && bm.threshold >= 0 && bm.threshold <= 255)) fail(`threshold ${bm.threshold}`);
}

/** A document toSvg could have written: starts and ends right, no non-finite numbers, no characters XML forbids. */
export function checkSvgText(svg: string, where = 'svg'): void {
  if (typeof svg !== 'string') fail(`${where}: not a string`);
  if (!svg.startsWith('<svg ') || !svg.endsWith('</svg>\n')) fail(`${where}: not an <svg> document`);
  const bad = NON_FINITE_TEXT.exec(svg);
  if (bad) fail(`${where}: contains "${bad[0]}" near …${svg.slice(Math.max(0, bad.index - 60), bad.index + 20)}…`);
  const ill = XML_ILLEGAL.exec(svg);
  if (ill) fail(`${where}: contains a character XML forbids (U+${ill[0].charCodeAt(0).toString(16).padStart(4, '0')})`);
  // Every attribute value closed: an even number of double quotes per tag.
  for (const tag of svg.match(/<[^>]*>/g) ?? []) {
    if ((tag.match(/"/g)?.length ?? 0) % 2 !== 0) fail(`${where}: unbalanced quotes in ${tag.slice(0, 80)}`);
  }
  for (const d of svg.matchAll(/ d="([^"]*)"/g)) {
    if (!/^([MLHVQTCAZmlhvqtcaz][-0-9. e+]*)*$/.test(d[1])) fail(`${where}: malformed path data ${d[1].slice(0, 80)}`);
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const near = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * (1 + scale);

/**
 * A valid trace result (see the file header for the list; each check names what it found):
 *
 * - options echoed as traceImage accepts them (mode, tolerance 0.001..10000, integer seed,
 *   positive rmsTolerance); the input's size when `expect` gives it; finite numbers everywhere;
 * - contours, corners and fits of one length; each contour an even number of coordinates, its
 *   parent earlier in the list, a hole's parent an outer boundary and an outer's a hole (or −1);
 * - each contour's corners at distinct point indices in increasing (contour) order;
 * - each fit: the contour's mode, hole and parent; no knot and no piece under 2 points, else as
 *   many pieces as knots, knots at distinct point indices in contour order (one wrap-around), the
 *   corner knots exactly at the detector's corners, piece k running from knot k to knot k + 1
 *   (`from`, `to`, `p0`, `p1` equal to the knots), holding the points between them (pointCount),
 *   its worst point inside it;
 * - each conic piece: unit tangents d0, d1; V on the ray from P₀ along d0, W on the ray into P₁
 *   along d1, J = (V + W)/2; u > 0; annealing energies that never rise (start ≥ anneal ≥ polish);
 * - each piece report: S, rms, maxDeviation finite and ≥ 0, rms ≤ maxDeviation, withinTolerance
 *   exactly when maxDeviation ≤ tolerance;
 * - each contour report: its points, corner and intermediate knots, intervals (= pieces),
 *   largest piece deviation and failed (not within tolerance) pieces;
 * - the image totals and report: the sums (or the maximum) of the per-contour reports, polishGain
 *   the sum of the pieces' anneal − polish energies, raster fidelity in range;
 * - JSON with no NaN / Infinity that round-trips byte for byte, and an SVG document.
 */
export function checkTraceResult(r: TraceResult, expect?: { width: number; height: number }): void {
  // The options echoed in the result must be ones traceImage accepts (docs/design.md §8.1 contract names).
  const echoed = 'unvalidated option echoed in the result';
  if (r.mode !== 'linear' && r.mode !== 'conic') fail(`result.mode = ${show(r.mode)}`, echoed);
  if (!(typeof r.tolerance === 'number' && r.tolerance >= 1e-3 && r.tolerance <= 1e4))
    fail(`result.tolerance = ${show(r.tolerance)} (outside 0.001..10000)`, echoed);
  if (!(typeof r.seed === 'number' && Number.isSafeInteger(r.seed))) fail(`result.seed = ${show(r.seed)} (not an integer)`, echoed);
  if (r.rmsTolerance !== undefined && !(typeof r.rmsTolerance === 'number' && r.rmsTolerance > 0))
    fail(`result.rmsTolerance = ${show(r.rmsTolerance)}`, echoed);
  const nf = findNonFinite(r);
  if (nf) fail(`non-finite number in the result: ${nf}`);
  if (!(Number.isInteger(r.width) && r.width > 0 && Number.isInteger(r.height) && r.height > 0)) fail(`result size ${r.width}×${r.height}`);
  if (expect && (r.width !== expect.width || r.height !== expect.height)) {
    fail(`result is ${r.width}×${r.height}, input was ${expect.width}×${expect.height}`);
  }
  if (r.fits.length !== r.contours.length || r.corners.length !== r.contours.length) fail('contours, corners and fits differ in length');

  r.contours.forEach((c, i) => {
    if (c.points.length % 2 !== 0) fail(`contours[${i}].points holds an odd number of coordinates`);
    if (!(Number.isInteger(c.parent) && c.parent >= -1 && c.parent < i)) fail(`contours[${i}].parent = ${c.parent} (parents come first)`);
    if (c.parent >= 0 && r.contours[c.parent].hole === c.hole) fail(`contours[${i}] (hole: ${c.hole}) has a parent of the same kind`);
    if (c.hole && c.parent < 0) fail(`contours[${i}] is a hole without a parent`);
  });

  r.corners.forEach((cs, i) => {
    const n = r.contours[i].points.length / 2;
    cs.forEach((k, j) => {
      if (!(Number.isInteger(k.index) && k.index >= 0 && k.index < n)) fail(`corners[${i}][${j}].index = ${k.index} (contour of ${n} points)`);
      if (j > 0 && !(k.index > cs[j - 1].index)) fail(`corners[${i}] not in contour order at ${j}: ${cs[j - 1].index}, ${k.index}`);
      if (typeof k.convex !== 'boolean') fail(`corners[${i}][${j}].convex is not a boolean`);
    });
  });

  r.fits.forEach((f, i) => checkFit(r, f, i));

  const t = r.report.totals;
  for (const [k, v] of Object.entries(t)) if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) fail(`report.totals.${k} = ${v}`);
  const sum = (key: 'points' | 'corners' | 'intermediatePoints' | 'intervals' | 'failedIntervals') => r.fits.reduce((s, f) => s + f.report[key], 0);
  if (t.contours !== r.fits.length) fail(`report.totals.contours = ${t.contours}, fits: ${r.fits.length}`);
  for (const key of ['points', 'corners', 'intermediatePoints', 'intervals'] as const) {
    if (t[key] !== sum(key)) fail(`report.totals.${key} = ${t[key]}, the per-contour reports sum to ${sum(key)}`);
  }
  const maxDev = r.fits.reduce((m, f) => Math.max(m, f.report.maxDeviation), 0);
  if (t.maxDeviation !== maxDev) fail(`report.totals.maxDeviation = ${t.maxDeviation}, largest per-contour: ${maxDev}`);
  if (r.report.failedIntervals !== sum('failedIntervals'))
    fail(`report.failedIntervals = ${r.report.failedIntervals}, per-contour sum ${sum('failedIntervals')}`);
  if (!isCount(r.report.removedContours)) fail(`report.removedContours = ${r.report.removedContours}`);
  let gain = 0,
    gainScale = 0;
  for (const f of r.fits) {
    for (const p of f.pieces) {
      if (p.report.energyAnneal !== undefined && p.report.energyPolish !== undefined) {
        gain += p.report.energyAnneal - p.report.energyPolish;
        gainScale += p.report.energyAnneal;
      }
    }
  }
  if (!(r.report.polishGain >= 0 && near(r.report.polishGain, gain, gainScale))) fail(`report.polishGain = ${r.report.polishGain}, the pieces give ${gain}`);
  for (const [k, v] of Object.entries(r.report.timings)) if (!(typeof v === 'number' && v >= 0)) fail(`report.timings.${k} = ${v}`);
  const raster = r.report.raster;
  if (raster) {
    if (!(raster.iou >= 0 && raster.iou <= 1)) fail(`report.raster.iou = ${raster.iou}`);
    if (!(isCount(raster.differingPixels) && raster.differingPixels <= r.width * r.height)) fail(`report.raster.differingPixels = ${raster.differingPixels}`);
    if (!(raster.meanCoverageError >= 0 && raster.meanCoverageError <= 1)) fail(`report.raster.meanCoverageError = ${raster.meanCoverageError}`);
    if (!(raster.iouBeyondEdge >= 0 && raster.iouBeyondEdge <= 1)) fail(`report.raster.iouBeyondEdge = ${raster.iouBeyondEdge}`);
    for (const key of ['inkArea', 'fitArea'] as const) {
      if (!(raster[key] >= 0 && raster[key] <= r.width * r.height + 1e-6)) fail(`report.raster.${key} = ${raster[key]}`);
    }
  }
  // The fields the real-input work added (docs/design.md §2.6, §7.4, §13.4).
  const levels = r.report.levels;
  if (levels) {
    if (!(levels.paper >= 0 && levels.paper <= 255 && levels.ink >= 0 && levels.ink <= 255)) fail(`report.levels paper ${levels.paper}, ink ${levels.ink}`);
    if (!(levels.noise >= 0) || !near(levels.contrast, Math.abs(levels.paper - levels.ink) / 255, 1e-12)) fail(`report.levels = ${JSON.stringify(levels)}`);
  }
  const fallbacks = r.contours.reduce((sum, c) => sum + (c.subpixelFallbacks ?? 0), 0);
  if (r.report.subpixelFallbacks !== fallbacks || fallbacks > r.report.totals.points)
    fail(`report.subpixelFallbacks = ${r.report.subpixelFallbacks}, contours give ${fallbacks}`);
  if (!(r.report.edgeBlur >= 0)) fail(`report.edgeBlur = ${r.report.edgeBlur}`);
  const codes = r.report.warnings.map((w) => w.code);
  if (new Set(codes).size !== codes.length) fail(`report.warnings repeats a code: ${codes.join(', ')}`);
  if (raster && codes.includes('LOW_FIDELITY') !== (raster.iouBeyondEdge < REPORT_DEFAULTS.minIou && r.contours.length > 0)) {
    fail(`LOW_FIDELITY ${codes.includes('LOW_FIDELITY') ? 'given' : 'missing'} at iouBeyondEdge ${raster.iouBeyondEdge}`);
  }
  if (codes.includes('NO_INK') !== (r.contours.length === 0))
    fail(`NO_INK ${codes.includes('NO_INK') ? 'given' : 'missing'} with ${r.contours.length} contours`);
  if (codes.includes('OVER_TOLERANCE') !== r.report.failedIntervals > 0) fail(`OVER_TOLERANCE and failedIntervals ${r.report.failedIntervals} disagree`);

  const json = toJson(r);
  if (NON_FINITE_TEXT.test(json)) fail('JSON holds NaN / Infinity / undefined');
  if (toJson(fromJson(json)) !== json) fail('JSON does not round-trip byte for byte');
  checkSvgText(toSvg(r), 'toSvg(result)');
}

function checkFit(r: TraceResult, f: FittedContour, i: number): void {
  const c = r.contours[i];
  const n = c.points.length / 2;
  const at = `fits[${i}]`;
  if (f.mode !== r.mode) fail(`${at}.mode = ${f.mode} in a ${r.mode} result`);
  if (f.hole !== c.hole || f.parent !== c.parent) fail(`${at} hole/parent ${f.hole}/${f.parent}, contour ${c.hole}/${c.parent}`);
  const { knots, pieces, report } = f;
  if (n < 2) {
    if (knots.length !== 0 || pieces.length !== 0) fail(`${at}: a contour of ${n} point(s) has knots or pieces`);
  } else if (pieces.length < 1 || knots.length !== pieces.length) {
    fail(`${at}: ${knots.length} knots, ${pieces.length} pieces (want as many pieces as knots, at least one)`);
  }
  const m = knots.length;
  let wraps = 0;
  knots.forEach((k, j) => {
    if (!(Number.isInteger(k.index) && k.index >= 0 && k.index < n)) fail(`${at}.knots[${j}].index = ${k.index} (contour of ${n} points)`);
    if (k.kind !== 'corner' && k.kind !== 'intermediate' && k.kind !== 'seed') fail(`${at}.knots[${j}].kind = ${show(k.kind)}`);
    if (knots[(j + 1) % m].index <= k.index) wraps++;
  });
  if (m > 0 && wraps !== 1) fail(`${at}: knots not in contour order (indices ${knots.map((k) => k.index).join(', ')})`);
  // The corner knots are the detector's corners (corners are always knots; the fitter adds none);
  // in linear mode each may sit on the data point beside its detected one (docs/design.md §9.9).
  const cornerKnots = knots
    .filter((k) => k.kind === 'corner')
    .map((k) => k.index)
    .sort((a, b) => a - b);
  const detected = n < 2 ? [] : r.corners[i].map((k) => k.index);
  const sameCorner = (a: number, b: number) => (r.mode === 'linear' ? Math.min((a - b + n) % n, (b - a + n) % n) <= 1 : a === b);
  // With dropCorners (linear mode) a detected corner may carry no knot; every corner knot is still a detected one.
  const mayDrop = r.mode === 'linear' && r.dropCorners === true;
  const matched =
    (mayDrop || cornerKnots.length === detected.length) &&
    (mayDrop || detected.every((d) => cornerKnots.some((c) => sameCorner(c, d)))) &&
    cornerKnots.every((c) => detected.some((d) => sameCorner(c, d)));
  if (!matched) fail(`${at}: corner knots at [${cornerKnots.join()}], detector corners at [${detected.join()}]`);

  let maxDeviation = 0,
    failed = 0;
  pieces.forEach((p, k) => {
    const pa = `${at}.pieces[${k}]`;
    const a = knots[k],
      b = knots[(k + 1) % m];
    if (p.kind !== 'line' && p.kind !== 'conic') fail(`${pa}.kind = ${show((p as { kind: unknown }).kind)}`);
    if (r.mode === 'linear' && p.kind !== 'line') fail(`${pa} is a ${p.kind} piece in a linear fit`);
    if (p.from !== a.index || p.to !== b.index) fail(`${pa} runs ${p.from} → ${p.to}, its knots are at ${a.index} → ${b.index}`);
    if (p.p0.x !== a.x || p.p0.y !== a.y || p.p1.x !== b.x || p.p1.y !== b.y) fail(`${pa}: p0/p1 are not its knots`);
    const rep = p.report;
    const span = (p.to - p.from + n) % n || n;
    if (rep.pointCount !== span + 1) fail(`${pa}.report.pointCount = ${rep.pointCount}, interval ${p.from} → ${p.to} holds ${span + 1}`);
    if (!(Number.isInteger(rep.worstIndex) && (rep.worstIndex - p.from + n) % n <= span))
      fail(`${pa}.report.worstIndex = ${rep.worstIndex} outside ${p.from} → ${p.to}`);
    for (const key of ['S', 'rms', 'maxDeviation'] as const) {
      if (!(typeof rep[key] === 'number' && Number.isFinite(rep[key]) && rep[key] >= 0)) fail(`${pa}.report.${key} = ${rep[key]}`);
    }
    // (Computed on separate paths; they may differ by rounding.)
    if (!(rep.rms <= rep.maxDeviation + 1e-6)) fail(`${pa}: rms ${rep.rms} > maxDeviation ${rep.maxDeviation}`);
    if (typeof rep.withinTolerance !== 'boolean') fail(`${pa}.report.withinTolerance is not a boolean`);
    if (rep.withinTolerance !== rep.maxDeviation <= r.tolerance) {
      fail(`${pa}.report.withinTolerance = ${rep.withinTolerance} with maxDeviation ${rep.maxDeviation}, tolerance ${r.tolerance}`);
    }
    if (rep.maxDeviation > maxDeviation) maxDeviation = rep.maxDeviation;
    if (!rep.withinTolerance) failed++;
    if (p.kind === 'conic') {
      if (!(p.u > 0 && Number.isFinite(p.u))) fail(`${pa}.u = ${p.u}`);
      const scale =
        Math.abs(p.p0.x) +
        Math.abs(p.p0.y) +
        Math.abs(p.p1.x) +
        Math.abs(p.p1.y) +
        Math.hypot(p.v.x - p.p0.x, p.v.y - p.p0.y) +
        Math.hypot(p.w.x - p.p1.x, p.w.y - p.p1.y);
      for (const [name, d] of [
        ['d0', p.d0],
        ['d1', p.d1],
      ] as const) {
        if (!(Math.abs(Math.hypot(d.x, d.y) - 1) <= 1e-9)) fail(`${pa}.${name} is not a unit vector (|${name}| = ${Math.hypot(d.x, d.y)})`);
      }
      // V = P₀ + t·d0 and W = P₁ − t'·d1 with t, t' ≥ 0 (model.ts; annealTangents scales t and t').
      const vx = p.v.x - p.p0.x,
        vy = p.v.y - p.p0.y,
        wx = p.p1.x - p.w.x,
        wy = p.p1.y - p.w.y;
      if (!(near(vx * p.d0.y - vy * p.d0.x, 0, scale) && vx * p.d0.x + vy * p.d0.y >= -1e-9 * (1 + scale))) fail(`${pa}: V is not on the tangent ray from P₀`);
      if (!(near(wx * p.d1.y - wy * p.d1.x, 0, scale) && wx * p.d1.x + wy * p.d1.y >= -1e-9 * (1 + scale))) fail(`${pa}: W is not on the tangent ray into P₁`);
      if (!(near(p.j.x, (p.v.x + p.w.x) / 2, scale) && near(p.j.y, (p.v.y + p.w.y) / 2, scale))) fail(`${pa}: J is not (V + W)/2`);
      const { energyStart: e0, energyAnneal: e1, energyPolish: e2 } = rep;
      if (e0 !== undefined || e1 !== undefined || e2 !== undefined) {
        if (e0 === undefined || e1 === undefined || e2 === undefined) fail(`${pa}: some annealing energies missing`);
        else if (!(e1 <= e0 * (1 + 1e-12) && e2 <= e1 * (1 + 1e-12))) fail(`${pa}: annealing energies rise (start ${e0}, anneal ${e1}, polish ${e2})`);
      }
    }
  });

  const count = (kind: string) => knots.filter((k) => k.kind === kind).length;
  const expected = {
    points: n,
    corners: count('corner'),
    intermediatePoints: count('intermediate'),
    intervals: pieces.length,
    maxDeviation,
    failedIntervals: failed,
  };
  for (const [key, want] of Object.entries(expected)) {
    const got = report[key as keyof typeof expected];
    if (got !== want) fail(`${at}.report.${key} = ${got}, its knots and pieces give ${want}`);
  }
  if (!(report.rms >= 0)) fail(`${at}.report.rms = ${report.rms}`);
  if (!(report.rms <= report.maxDeviation + 1e-9)) fail(`${at}.report.rms ${report.rms} > maxDeviation ${report.maxDeviation}`);
}

/** `traceImage`, then `checkTraceResult` (with the input's size when the input states one). */
export async function traceChecked(input: LoadInput | Bitmap, options: TraceOptions = {}): Promise<TraceResult> {
  const r = await traceImage(input, options);
  const sized = typeof input === 'object' && input !== null && 'width' in input && 'height' in input;
  checkTraceResult(r, sized ? { width: input.width, height: input.height } : undefined);
  return r;
}

/**
 * Checks fits made stage by stage (extractContours → detectCorners → fitLinear / fitConic, as
 * traceImage runs them) as the TraceResult traceImage would assemble from them. `tolerance` and
 * `seed` are the fit options used (defaults as the fitter's).
 */
export function checkFits(
  size: { width: number; height: number },
  mode: FitMode,
  contours: Contour[],
  corners: Corner[][],
  fits: FittedContour[],
  options: { tolerance?: number; seed?: number } = {},
): TraceResult {
  const r: TraceResult = {
    width: size.width,
    height: size.height,
    mode,
    tolerance: options.tolerance ?? FIT_DEFAULTS.tolerance,
    seed: options.seed ?? FIT_DEFAULTS.seed,
    contours,
    corners,
    fits,
    report: summarise(fits, 0, {}),
  };
  r.report.subpixelFallbacks = contours.reduce((sum, c) => sum + (c.subpixelFallbacks ?? 0), 0);
  r.report.warnings = assessTrace(r.report, contours, { removedContours: 0, removedPixels: 0, edgeBlur: 0 });
  checkTraceResult(r, size);
  return r;
}

/** A short, total description of any value (NaN, BigInt, symbols, typed arrays, null-prototype objects). */
export function show(v: unknown, max = 400): string {
  const s = showInner(v, 0);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
function showInner(v: unknown, depth: number): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'object') return typeof v;
  if (depth > 3) return '…';
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (ArrayBuffer.isView(v)) return `${(v as object).constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (v instanceof ArrayBuffer) return `ArrayBuffer(${v.byteLength})`;
  if (Array.isArray(v)) return v.length > 12 ? `[array of ${v.length}]` : `[${v.map((x) => showInner(x, depth + 1)).join(', ')}]`;
  const proto = Object.getPrototypeOf(v) === null ? 'Object.create(null)' : '';
  const keys = Reflect.ownKeys(v);
  const body = keys.map((k) => `${String(k)}: ${showInner((v as Record<PropertyKey, unknown>)[k], depth + 1)}`).join(', ');
  return `${proto}{${body}}`;
}
