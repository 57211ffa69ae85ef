/**
 * Degenerate geometry, in both modes: one-pixel shapes, one-pixel-wide lines, checkerboards, all
 * ink, no ink, shapes on the border, 1×N and N×1 images, thin wedges, parallel and opposite
 * tangents (a thin U-turn, a stadium), zero-length chords (knots that coincide). Every result
 * must be valid — finite numbers everywhere in the model, the report, the JSON and the SVG, JSON
 * that round-trips, knots inside the image — and a property checks the same over random tiny
 * bitmaps (1–12 px a side, every ink density, bilevel and grey).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitConic, fitLinear, toJson, toSvg, traceImage, type Bitmap, type Contour, type Corner, type FitMode, type TraceResult } from '../src/index.js';
import { checkFits, checkTraceResult } from './invariants.js';
import { bitmapFromAscii, bitmapFromInk, bitmapFromShape } from './helpers.js';

const MODES: FitMode[] = ['linear', 'conic'];

/** Valid (see checkTraceResult) and every knot inside the image, give or take the tolerance. */
function expectValid(r: TraceResult, bm: { width: number; height: number }): void {
  checkTraceResult(r, { width: bm.width, height: bm.height });
  const slack = r.tolerance + 0.5;
  for (const f of r.fits) {
    for (const k of f.knots) {
      expect(k.x).toBeGreaterThanOrEqual(-slack);
      expect(k.y).toBeGreaterThanOrEqual(-slack);
      expect(k.x).toBeLessThanOrEqual(bm.width + slack);
      expect(k.y).toBeLessThanOrEqual(bm.height + slack);
    }
  }
  for (const svgOpts of [{}, { ellipse: 'cubic' as const }, { layers: { source: true, corners: true, intermediate: true, knots: true } }]) {
    expect(toSvg(r, svgOpts)).not.toMatch(/NaN|Infinity/);
  }
}

async function trace(bm: Bitmap, mode: FitMode, extra: Record<string, unknown> = {}): Promise<TraceResult> {
  const r = await traceImage(bm, { mode, minArea: 0, seed: 3, ...extra });
  expectValid(r, bm);
  return r;
}

function blank(width: number, height: number): Bitmap {
  return bitmapFromInk(width, height, new Uint8Array(width * height));
}
function full(width: number, height: number): Bitmap {
  return bitmapFromInk(width, height, new Uint8Array(width * height).fill(1));
}
function fromPredicate(width: number, height: number, ink: (x: number, y: number) => boolean): Bitmap {
  const a = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) a[y * width + x] = ink(x, y) ? 1 : 0;
  return bitmapFromInk(width, height, a);
}

describe.each(MODES)('degenerate shapes, %s mode', (mode) => {
  it('one-pixel shapes: in the middle and in every corner, one contour each', async () => {
    for (const [x, y] of [
      [3, 3],
      [0, 0],
      [6, 0],
      [0, 6],
      [6, 6],
    ]) {
      const r = await trace(
        fromPredicate(7, 7, (i, j) => i === x && j === y),
        mode,
      );
      expect(r.contours).toHaveLength(1);
      expect(r.contours[0].area).toBe(1);
    }
    // The speck filter drops it by default — and still a valid, empty result.
    const dropped = await traceImage(
      fromPredicate(7, 7, (i, j) => i === 3 && j === 3),
      { mode },
    );
    expectValid(dropped, { width: 7, height: 7 });
    expect(dropped.fits).toHaveLength(0);
    expect(dropped.report.removedContours).toBe(1);
  });

  it('one-pixel-wide lines: horizontal, vertical, diagonal, anti-diagonal, across the whole image', async () => {
    const n = 24;
    const lines: Record<string, (x: number, y: number) => boolean> = {
      horizontal: (_x, y) => y === 10,
      vertical: (x) => x === 10,
      diagonal: (x, y) => x === y,
      antiDiagonal: (x, y) => x + y === n - 1,
      shallow: (x, y) => y === Math.floor(x / 3) + 2,
    };
    for (const [name, ink] of Object.entries(lines)) {
      const r = await trace(fromPredicate(n, n, ink), mode);
      expect(r.contours.length, name).toBeGreaterThanOrEqual(1);
      expect(
        r.fits.every((f) => f.pieces.length >= 2),
        name,
      ).toBe(true);
    }
  });

  it('checkerboards: every ink pixel touches the next only at corners', async () => {
    for (const size of [2, 3, 8, 13]) {
      const r = await trace(
        fromPredicate(size, size, (x, y) => (x + y) % 2 === 0),
        mode,
      );
      expect(r.contours.length).toBeGreaterThanOrEqual(1);
    }
    await trace(
      fromPredicate(12, 12, (x, y) => (Math.floor(x / 2) + Math.floor(y / 2)) % 2 === 0),
      mode,
    );
  });

  it('all ink: one contour along the image border, enclosing every pixel', async () => {
    for (const [w, h] of [
      [1, 1],
      [5, 3],
      [16, 16],
    ]) {
      const r = await trace(full(w, h), mode);
      expect(r.contours).toHaveLength(1);
      expect(r.contours[0].area).toBe(w * h);
    }
  });

  it('no ink: no contours, an SVG without a path, JSON that round-trips', async () => {
    for (const [w, h] of [
      [1, 1],
      [9, 4],
    ]) {
      const r = await trace(blank(w, h), mode);
      expect(r.fits).toHaveLength(0);
      expect(toSvg(r)).not.toContain('<path');
      expect(toJson(r)).toContain('"fits":[]');
    }
  });

  it('shapes on the border: touching one edge, a corner, two opposite edges, and a ring cut by the edge', async () => {
    const shapes: Record<string, (x: number, y: number) => boolean> = {
      leftEdge: (x, y) => x < 4 && y > 3 && y < 12,
      corner: (x, y) => x < 5 && y < 5,
      spanning: (_x, y) => y > 5 && y < 9,
      ringCut: (x, y) => {
        const d = Math.hypot(x + 0.5 - 2, y + 0.5 - 8);
        return d > 3 && d < 6;
      },
    };
    for (const [name, ink] of Object.entries(shapes)) {
      const r = await trace(fromPredicate(16, 16, ink), mode);
      expect(r.contours.length, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('1×N and N×1 images: all ink, alternating, one ink pixel, no ink', async () => {
    for (const [w, h] of [
      [1, 20],
      [20, 1],
      [1, 2],
      [2, 1],
    ]) {
      const len = Math.max(w, h);
      await trace(full(w, h), mode);
      await trace(
        fromPredicate(w, h, (x, y) => (x + y) % 2 === 0),
        mode,
      );
      await trace(
        fromPredicate(w, h, (x, y) => x + y === Math.floor(len / 2)),
        mode,
      );
      await trace(blank(w, h), mode);
    }
  });

  it('thin wedges (3° to 15° tips), bilevel and anti-aliased', async () => {
    for (const deg of [3, 7, 15]) {
      const t = Math.tan((deg * Math.PI) / 360);
      const inside = (x: number, y: number) => x > 2 && x < 58 && Math.abs(y - 10) < (x - 2) * t;
      for (const bilevel of [true, false]) {
        const bm = bitmapFromShape(60, 20, inside, { bilevel, samples: 8 });
        await trace(bm, mode, { subpixel: 'auto' });
      }
    }
  });

  it('opposite tangents: a thin U-turn (hairpin), 1 and 2 px arms with a 1 px gap', async () => {
    const hairpin1 = bitmapFromAscii(`
##########.
..........#
##########.`);
    const hairpin2 = bitmapFromAscii(`
############
############.
..........##
############
############`);
    for (const bm of [hairpin1, hairpin2]) {
      const r = await trace(bm, mode);
      expect(r.contours.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('parallel tangents: a stadium (long straight sides, round ends), bilevel and anti-aliased, and a thin one', async () => {
    const stadium = (r: number) => (x: number, y: number) => {
      const cx = Math.min(Math.max(x, 10), 50);
      return Math.hypot(x - cx, y - 12) <= r;
    };
    for (const r of [8, 1.2]) {
      for (const bilevel of [true, false]) {
        const res = await trace(bitmapFromShape(62, 24, stadium(r), { bilevel, samples: 8 }), mode, { subpixel: 'auto' });
        expect(res.contours.length).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('zero-length chords from the image: two squares touching at one corner (the contour passes the pinch twice)', async () => {
    const pinch = bitmapFromAscii(`
###...
###...
###...
...###
...###
...###`);
    const r = await trace(pinch, mode);
    // Whichever way the pinch is resolved, the ink area is kept (holes count negative).
    expect(r.contours.reduce((a, c) => a + c.area, 0)).toBe(18);
  });
});

describe.each(MODES)('zero-length chords through the fitter, %s mode', (mode) => {
  const fit = mode === 'linear' ? fitLinear : fitConic;
  function contour(points: number[]): Contour {
    return {
      start: { x: 0, y: 0 },
      chain: new Uint8Array(0),
      points: Float64Array.from(points),
      hole: false,
      parent: -1,
      area: 0,
      pixelCount: 1,
      subpixel: false,
    };
  }
  const corner = (index: number): Corner => ({ index, angle: 90, convex: true });
  const cases: Record<string, { points: number[]; corners: number[] }> = {
    'two consecutive knots at the same point': { points: [0, 0, 0, 0, 4, 0, 4, 4, 0, 4], corners: [0, 1] },
    'three knots, two coinciding': { points: [0, 0, 0, 0, 4, 0, 4, 4, 0, 4], corners: [0, 1, 3] },
    'every point the same': { points: [1, 1, 1, 1, 1, 1, 1, 1], corners: [0, 2] },
    'every point the same, no corners': { points: [1, 1, 1, 1, 1, 1], corners: [] },
    'two coincident points': { points: [2, 2, 2, 2], corners: [0] },
    'back and forth on a line (opposite tangents at both ends)': { points: [0, 0, 1, 0, 2, 0, 3, 0, 2, 0, 1, 0], corners: [0, 3] },
    'back and forth on a line, no corners': { points: [0, 0, 1, 0, 2, 0, 3, 0, 2, 0, 1, 0], corners: [] },
    'a contour revisiting a point, corners on both visits': { points: [0, 0, 2, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2, 0, 2], corners: [2, 6] },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const con = contour(c.points);
      const corners = c.corners.map(corner);
      const f = fit(con, corners, { seed: 5 });
      // The result traceImage would make of this fit (warnings included).
      const result: TraceResult = checkFits({ width: 8, height: 8 }, mode, [con], [corners], [f], { tolerance: 1, seed: 5 });
      expectValid(result, { width: 8, height: 8 });
      // Every piece is still there and closed up: the last piece ends where the first begins.
      if (f.pieces.length > 0) {
        const first = f.pieces[0].p0,
          last = f.pieces[f.pieces.length - 1].p1;
        expect(Math.hypot(first.x - last.x, first.y - last.y)).toBeLessThan(1e-9);
      }
    });
  }
});

describe('property: random tiny bitmaps (1–12 px a side, every density, bilevel and grey) give valid output in both modes', () => {
  const arbTiny = fc.record({
    width: fc.integer({ min: 1, max: 12 }),
    height: fc.integer({ min: 1, max: 12 }),
    density: fc.double({ min: 0, max: 1, noNaN: true }),
    grey: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
  function build(spec: { width: number; height: number; density: number; grey: boolean; seed: number }) {
    let s = spec.seed >>> 0 || 1;
    const rnd = () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 2 ** 32;
    };
    const data = new Uint8Array(spec.width * spec.height);
    for (let i = 0; i < data.length; i++) {
      const ink = rnd() < spec.density;
      data[i] = spec.grey ? (ink ? Math.floor(rnd() * 128) : 128 + Math.floor(rnd() * 128)) : ink ? 0 : 255;
    }
    return { width: spec.width, height: spec.height, data };
  }
  for (const mode of MODES) {
    it(`${mode} mode`, async () => {
      await fc.assert(
        fc.asyncProperty(arbTiny, fc.constantFrom(0, 3), async (spec, minArea) => {
          const r = await traceImage(build(spec), { mode, minArea, seed: 1, threshold: 128 });
          expectValid(r, spec);
        }),
        { numRuns: 200, seed: 4242 + (mode === 'conic' ? 1 : 0) },
      );
    });
  }
});
