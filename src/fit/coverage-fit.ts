/**
 * The coverage fit: smooth knots of sub-pixel (anti-aliased) contours, with their conic pieces,
 * fitted to the image's coverage along the boundary (conic mode, last pass of the knot loop;
 * docs/design.md §11.7).
 *
 * Reads: the fit context of a sub-pixel contour and its knots and pieces after the corner passes.
 * Produces: the same knots and pieces, with smooth knots between two conic pieces moved along their
 * normal and turned, and both pieces' λ₀, λ₁ refitted (u held), where that lowers the loss; every
 * moved piece is measured on its data as any piece is (docs/design.md §12) and kept only within the
 * bounds, without a loop and within HOOK_SLACK of its former largest deviation (band.ts's bandPiece).
 * Why: each sub-pixel point is the image's coverage summed along its pixel row (or column) across
 * the edge (the coverage-sum rule, §13.1), and the model's exact-area coverage summed over the same
 * pixels is the mean of its crossings over the row's unit-high strip. On the bench corpus that mean
 * and the crossing at the row's centre differ by about 1/30 of the points' own error (§11.7), so
 * the coverage difference of a row is, to that accuracy, the point's distance from the model. The knot
 * loop places smooth knots on the smoothed contour and their tangents on a local parabola (§4.4,
 * §18.7), and the refinement (§11) frees only (u, λ₀, λ₁) with knots fixed: here the knots move.
 * Method: the band fit's knot problem (band-loss.ts, §11.6: Levenberg–Marquardt, feet re-projected
 * at every evaluation, offset ≤ 0.5 px, turn ≤ 0.3 rad) on the points' signed distances, without
 * hinges. u stays as annealed and refined (shared design §5; freeing it raised u on hyperbolic
 * pieces and their SVG bytes, §11.7). Corners do not move; knots keep their data points (indices).
 */
import type { FittedPiece } from '../model.js';
import { moveSmoothKnots } from './band.js';
import type { FitContext } from './context.js';
import type { WorkKnot } from './knots.js';
import { BandWorkspace } from './workspace.js';
import * as dm from '../geometry/fdlibm.js';

/**
 * Fits the smooth knots of a sub-pixel contour and their conic pieces to its coverage (see the file
 * comment); knots and pieces are changed in place. Pixel-corner contours (band.ts), linear mode and
 * `refine: false` are left alone.
 *
 * @example fitCoverage(ctx, knots, pieces);
 */
export function fitCoverage(ctx: FitContext, knots: WorkKnot[], pieces: FittedPiece[]): void {
  // `refine: false` keeps the paper's fit (λ = 1; docs/design.md §18.13).
  if (!ctx.subpixel || ctx.mode !== 'conic' || !ctx.o.refine || knots.length < 2) return;
  if (!pieces.some((p) => p.kind === 'conic')) return;
  const bw = (ctx.ws.band ??= new BandWorkspace());
  loadPoints(bw, ctx);
  // Each smooth knot between two conic pieces: its offset along its normal and its tangent's turn,
  // with both pieces' λ₀, λ₁, u held (the band fit's second sweep, §11.6; its first, each piece
  // alone, only repeats the refinement on these points, §11.7).
  moveSmoothKnots(bw, ctx, knots, pieces, true);
}

/**
 * The contour's data points into bw in the band fit's crack slots (slot k: point k itself, so a
 * span from knot a to knot b looks at points a … b − 1), with the unit normal of the chord from
 * point k − 1 to k + 1 towards the ink (the walk keeps the ink on its right, docs/design.md §2.5;
 * zero where those points coincide: the slot is then skipped); hinge weight 0.
 */
function loadPoints(bw: BandWorkspace, ctx: FitContext): void {
  const { n, raw } = ctx;
  bw.ensureCracks(n);
  bw.cracksOf = null; // midX … now hold points, not cracks (loadCracks)
  bw.hinge = 0;
  bw.x.fill(0);
  bw.trial.fill(0);
  for (let k = 0; k < n; k++) {
    const h = k > 0 ? k - 1 : n - 1,
      j = k + 1 < n ? k + 1 : 0;
    const dx = raw[2 * j] - raw[2 * h],
      dy = raw[2 * j + 1] - raw[2 * h + 1];
    const len = dm.hypot(dx, dy);
    bw.midX[k] = raw[2 * k];
    bw.midY[k] = raw[2 * k + 1];
    bw.inkX[k] = len > 0 ? -dy / len : 0;
    bw.inkY[k] = len > 0 ? dx / len : 0;
  }
}
