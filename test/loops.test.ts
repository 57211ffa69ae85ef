import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldingU, intervalFolds, intervalLoops, pointOnPiece } from '../src/geometry/conic.js';
import { extractContours } from '../src/contours/index.js';
import { detectCorners } from '../src/corners.js';
import { fitConic } from '../src/fit/index.js';
import type { ConicPiece, FittedPiece } from '../src/model.js';
import { traceImage } from '../src/node.js';
import { bitmapFromAscii } from './helpers.js';

/** Independent check: the piece's 128-chord flattening crosses itself (chords sharing an end excluded). */
function selfCrosses(p: ConicPiece): boolean {
  const pts = Array.from({ length: 129 }, (_, s) => pointOnPiece(p, s / 128));
  const side = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  for (let i = 0; i < 128; i++) {
    for (let j = i + 2; j < 128; j++) {
      const [a, b, c, d] = [pts[i], pts[i + 1], pts[j], pts[j + 1]];
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) return true;
    }
  }
  return false;
}

/** Independent check: the piece's direction of travel at J, by a central difference on pointOnPiece, points against its chord. */
function runsBackAtJ(p: ConicPiece): boolean {
  const a = pointOnPiece(p, 0.5 - 1e-4),
    b = pointOnPiece(p, 0.5 + 1e-4);
  return (b.x - a.x) * (p.p1.x - p.p0.x) + (b.y - a.y) * (p.p1.y - p.p0.y) <= 0;
}

describe('conic pieces without loops (docs/design.md §11.5)', () => {
  it('a piece folds back at J exactly when u ≤ foldingU, and intervalLoops counts a fold as a loop', () => {
    const scratch = new Float64Array(4 * 17);
    // A nearly straight piece (the owl's eye, real data: 3 points, tangents 2.7° and 4.7° off the
    // chord): annealed u = 0.122 put V past P₁ and W behind P₀, a curl at J within 0.18 px of the data.
    const [p0, p1] = [
      { x: 13.456, y: 20.867 },
      { x: 15.5, y: 22 },
    ];
    const [d0, d1] = [
      { x: 0.924, y: 0.382 },
      { x: 0.857, y: 0.514 },
    ];
    const h = Math.hypot(p1.x - p0.x, p1.y - p0.y);
    const uFold = foldingU(p0.x, p0.y, p1.x, p1.y, d0.x, d0.y, d1.x, d1.y, 1, 1);
    expect(uFold).toBeGreaterThan(0.49);
    expect(uFold).toBeLessThan(0.5);
    for (const u of [0.122, 0.3, uFold * 0.99, uFold * 1.01, 0.7, 1, 3]) {
      const k = h / (4 * u);
      const v = { x: p0.x + k * d0.x, y: p0.y + k * d0.y },
        w = { x: p1.x - k * d1.x, y: p1.y - k * d1.y };
      const j = { x: (v.x + w.x) / 2, y: (v.y + w.y) / 2 };
      const piece = { kind: 'conic', from: 0, to: 0, p0, v, j, w, p1, u, d0, d1, report: {} as never } as ConicPiece;
      expect(runsBackAtJ(piece)).toBe(u <= uFold);
      expect(intervalFolds(p0.x, p0.y, v.x, v.y, w.x, w.y, p1.x, p1.y)).toBe(u <= uFold);
      expect(intervalLoops(p0.x, p0.y, v.x, v.y, j.x, j.y, w.x, w.y, p1.x, p1.y, u, scratch)).toBe(u <= uFold);
    }
  });

  it('intervalLoops agrees with a dense flattening on folded and plain intervals', () => {
    const scratch = new Float64Array(4 * 17);
    // A plain C (a semicircle-like arc) and an S never loop; the same C with its inner control
    // points pushed past each other folds its arcs across.
    const plain = { p0: { x: 0, y: 0 }, v: { x: 0, y: 4 }, j: { x: 5, y: 4 }, w: { x: 10, y: 4 }, p1: { x: 10, y: 0 }, u: 1 };
    const folded = { p0: { x: 0, y: 0 }, v: { x: 14, y: 6 }, j: { x: 5, y: 6 }, w: { x: -4, y: 6 }, p1: { x: 10, y: 0 }, u: 1 };
    const s = { p0: { x: 0, y: 0 }, v: { x: 3, y: 4 }, j: { x: 5, y: 0 }, w: { x: 7, y: -4 }, p1: { x: 10, y: 0 }, u: 0.7 };
    for (const [g, loops] of [
      [plain, false],
      [folded, true],
      [s, false],
    ] as const) {
      const piece = { kind: 'conic', from: 0, to: 0, d0: { x: 0, y: 1 }, d1: { x: 0, y: -1 }, report: {} as never, ...g } as ConicPiece;
      expect(selfCrosses(piece)).toBe(loops);
      expect(intervalLoops(g.p0.x, g.p0.y, g.v.x, g.v.y, g.j.x, g.j.y, g.w.x, g.w.y, g.p1.x, g.p1.y, g.u, scratch)).toBe(loops);
    }
  });

  it('on the samples and golden cases, no conic piece crosses itself or folds back at J', async () => {
    const dirs = [join(import.meta.dirname, 'golden', 'cases'), join(import.meta.dirname, '..', 'samples')];
    let pieces = 0,
      loops = 0,
      folds = 0;
    for (const f of dirs.flatMap((d) =>
      readdirSync(d)
        .filter((n) => n.endsWith('.png'))
        .map((n) => join(d, n)),
    )) {
      const result = await traceImage(readFileSync(f), { mode: 'conic' });
      for (const fit of result.fits) {
        for (const p of fit.pieces) {
          if (p.kind !== 'conic') continue;
          pieces++;
          if (selfCrosses(p)) loops++;
          if (runsBackAtJ(p)) folds++;
        }
      }
    }
    expect(pieces).toBeGreaterThan(1000);
    // Measured: 57 of 1497 crossed (3.8 %) before refined pieces with a loop kept their annealed
    // state; then 6 of 1438 crossed and 80 folded back at J (a curl) before folds were ruled out.
    expect(loops).toBe(0);
    expect(folds).toBe(0);
  });
});

/** Independent check: proper crossings between non-adjacent chords of a fitted contour's outline, each conic piece flattened into 128 chords. */
function outlineCrossings(pieces: FittedPiece[]): number {
  const pts: { x: number; y: number }[] = [];
  for (const p of pieces) {
    if (p.kind === 'line') pts.push(p.p0);
    else for (let s = 0; s < 128; s++) pts.push(pointOnPiece(p, s / 128));
  }
  const side = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) => (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
  const m = pts.length;
  let crossings = 0;
  for (let i = 0; i < m; i++) {
    for (let j = i + 2; j < m; j++) {
      if (i === 0 && j === m - 1) continue;
      const [a, b, c, d] = [pts[i], pts[(i + 1) % m], pts[j], pts[(j + 1) % m]];
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) crossings++;
    }
  }
  return crossings;
}

describe('outlines without self-crossings (docs/design.md §11.8)', () => {
  it("a bilevel 1 px slit's corners are not pulled across the slit's other side", () => {
    // A one-pixel-high slit in a block of ink, 6–20 px long: the band loss moved the corner at a
    // slit's end along the slit, and its piece, leaving the corner almost back along the other
    // side, hooked across it. Measured without the check in cornersInBand: 11 crossings over these
    // 15 slits; with it none.
    let crossings = 0,
      holes = 0;
    for (let len = 6; len <= 20; len++) {
      const art = [
        '.'.repeat(len + 10),
        '.' + '#'.repeat(len + 8) + '.',
        '.####' + '.'.repeat(len) + '####.',
        '.' + '#'.repeat(len + 8) + '.',
        '.'.repeat(len + 10),
      ];
      const contours = extractContours(bitmapFromAscii(art));
      holes += contours.filter((c) => c.hole).length;
      for (const c of contours) crossings += outlineCrossings(fitConic(c, detectCorners(c)).pieces);
    }
    expect(holes).toBe(15);
    expect(crossings).toBe(0);
  });

  it('no outline of the fork sample crosses itself', async () => {
    // Measured: fork-64-bilevel had one crossing (a corner moved by cornersInBand), now none.
    const result = await traceImage(readFileSync(join(import.meta.dirname, '..', 'samples', 'fork-64-bilevel.png')), { mode: 'conic' });
    expect(result.fits.reduce((sum, fit) => sum + outlineCrossings(fit.pieces), 0)).toBe(0);
  });
});
