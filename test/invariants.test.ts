/** The checker itself: it passes a real result and catches each kind of broken one. */
import { describe, expect, it } from 'vitest';
import { fromJson, toJson, traceImage, type TraceResult } from '../src/index.js';
import { checkTraceResult, InvariantFailure } from './invariants.js';
import { bitmapFromShape } from './helpers.js';

// A ring with a square notch: outer boundary and hole, corners and curves, in conic mode.
const bitmap = bitmapFromShape(48, 48, (x, y) => {
  const d = Math.hypot(x - 24, y - 24);
  return d < 18 && d > 8 && !(x > 36 && Math.abs(y - 24) < 4);
});

async function fresh(): Promise<TraceResult> {
  return fromJson(toJson(await traceImage(bitmap, { mode: 'conic', seed: 1 })));
}

describe('checkTraceResult', () => {
  it('passes a real result', async () => {
    const r = await fresh();
    expect(r.fits.length).toBe(2);
    expect(r.fits.some((f) => f.knots.some((k) => k.kind === 'corner'))).toBe(true);
    expect(r.fits.some((f) => f.pieces.some((p) => p.kind === 'conic'))).toBe(true);
    expect(() => checkTraceResult(r, bitmap)).not.toThrow();
  });

  const breakages: Array<[string, RegExp, (r: TraceResult) => void]> = [
    ['a size other than the input', /input was/, (r) => (r.width += 1)],
    ['a non-finite number', /non-finite/, (r) => (r.fits[0].pieces[0].report.S = NaN)],
    ['a contour whose parent comes later', /parent/, (r) => (r.contours[0].parent = 1)],
    ['corners out of contour order', /corners\[0\] not in contour order/, (r) => r.corners[0].reverse()],
    ['knots out of contour order', /not in contour order|runs/, (r) => r.fits[0].knots.reverse()],
    ['a corner knot that is not a detected corner', /corner knots at/, (r) => (r.fits[0].knots.find((k) => k.kind !== 'corner')!.kind = 'corner')],
    ['a piece whose p0 is not its knot', /p0\/p1 are not its knots/, (r) => (r.fits[0].pieces[0].p0.x += 1e-6)],
    ['a piece whose `to` is not the next knot', /runs/, (r) => (r.fits[0].pieces[0].to = r.fits[0].pieces[0].from)],
    ['a pointCount that is not the interval', /pointCount/, (r) => (r.fits[0].pieces[0].report.pointCount += 1)],
    ['a worst point outside the piece', /worstIndex/, (r) => (r.fits[0].pieces[0].report.worstIndex = r.fits[0].pieces[1].to)],
    ['withinTolerance disagreeing with the deviation', /withinTolerance/, (r) => (r.fits[0].pieces[0].report.withinTolerance = false)],
    ['a conic J off (V + W)/2', /J is not/, (r) => ((r.fits.flatMap((f) => f.pieces).find((p) => p.kind === 'conic') as { j: { x: number } }).j.x += 0.01)],
    [
      'a tangent that is not a unit vector',
      /not a unit vector/,
      (r) => ((r.fits.flatMap((f) => f.pieces).find((p) => p.kind === 'conic') as { d0: { x: number } }).d0.x *= 1.01),
    ],
    ['an interval count that is not the pieces', /report.intervals/, (r) => (r.fits[0].report.intervals += 1)],
    ['totals that are not the sums', /totals.points/, (r) => (r.report.totals.points -= 1)],
    ["a polishGain that is not the pieces'", /polishGain/, (r) => (r.report.polishGain += 1)],
    ['an IoU above 1', /iou/, (r) => (r.report.raster!.iou = 1.5)],
  ];
  it.each(breakages)('catches %s', async (_name, message, breakIt) => {
    const r = await fresh();
    breakIt(r);
    expect(() => checkTraceResult(r, bitmap)).toThrow(InvariantFailure);
    expect(() => checkTraceResult(r, bitmap)).toThrow(message);
  });
});
