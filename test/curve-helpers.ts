/** Independent curve evaluation and distances for the SVG and geometry tests (not via src/geometry/). */
import type { ConicArc } from '../src/geometry/index.js';
import type { Point } from '../src/types.js';
import { segmentDistance } from './helpers.js';

/** Independent evaluation of conic(A, B, C, u; s), not via src/geometry/. */
export function conicAt(arc: ConicArc, s: number): Point {
  const b0 = (1 - s) ** 2,
    b1 = 2 * arc.u * s * (1 - s),
    b2 = s * s,
    d = b0 + b1 + b2;
  return { x: (b0 * arc.a.x + b1 * arc.b.x + b2 * arc.c.x) / d, y: (b0 * arc.a.y + b1 * arc.b.y + b2 * arc.c.y) / d };
}

/** A cubic Bézier at t (control points c[0..3]). */
export function bezier3(c: Point[], t: number): Point {
  const r = 1 - t;
  return {
    x: r ** 3 * c[0].x + 3 * r * r * t * c[1].x + 3 * r * t * t * c[2].x + t ** 3 * c[3].x,
    y: r ** 3 * c[0].y + 3 * r * r * t * c[1].y + 3 * r * t * t * c[2].y + t ** 3 * c[3].y,
  };
}

/** Grid of polyline segments (cells of 0.25 px) for fast nearest-segment queries. */
export class SegmentIndex {
  private readonly cells = new Map<string, number[]>();
  constructor(private readonly pts: Point[]) {
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i],
        b = pts[i + 1];
      for (let gx = Math.floor(Math.min(a.x, b.x) / 0.25); gx <= Math.floor(Math.max(a.x, b.x) / 0.25); gx++) {
        for (let gy = Math.floor(Math.min(a.y, b.y) / 0.25); gy <= Math.floor(Math.max(a.y, b.y) / 0.25); gy++) {
          const key = `${gx},${gy}`;
          const list = this.cells.get(key);
          if (list) list.push(i);
          else this.cells.set(key, [i]);
        }
      }
    }
  }
  /** Distance from (x, y) to the polyline. */
  distance(x: number, y: number): number {
    let best = Infinity;
    const gx = Math.floor(x / 0.25),
      gy = Math.floor(y / 0.25);
    for (let a = -1; a <= 1; a++)
      for (let b = -1; b <= 1; b++) {
        for (const i of this.cells.get(`${gx + a},${gy + b}`) ?? []) {
          const p = this.pts[i],
            q = this.pts[i + 1];
          best = Math.min(best, segmentDistance(x, y, p.x, p.y, q.x, q.y));
        }
      }
    if (best <= 0.25) return best;
    for (let i = 0; i + 1 < this.pts.length; i++) {
      const p = this.pts[i],
        q = this.pts[i + 1];
      best = Math.min(best, segmentDistance(x, y, p.x, p.y, q.x, q.y));
    }
    return best;
  }
}

export function hausdorff(a: Point[], b: Point[]): number {
  const ia = new SegmentIndex(a),
    ib = new SegmentIndex(b);
  let worst = 0;
  for (const p of a) worst = Math.max(worst, ib.distance(p.x, p.y));
  for (const p of b) worst = Math.max(worst, ia.distance(p.x, p.y));
  return worst;
}
