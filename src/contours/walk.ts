/**
 * Contours, part 2 (docs/design.md §2.5): crack walking and chain codes.
 *
 * Reads a `Bitmap` and its component labels (labels.ts). Produces one raw contour per boundary:
 * the crack walk with ink on its right (outer boundaries clockwise, holes counter-clockwise), its
 * Freeman chain code (the ink pixel on the right of each crack), its points (points.ts), area,
 * and the ink and background components on either side, from which index.ts builds the hierarchy.
 */
import type { Bitmap } from '../types.js';
import { AHEAD_LEFT_PX, AHEAD_LEFT_PY, AHEAD_RIGHT_PX, AHEAD_RIGHT_PY, FREEMAN_OF_MOVE, RIGHT_PX, RIGHT_PY, STEP_X, STEP_Y } from './cracks.js';
import type { CrackSpans, Labels } from './labels.js';
import { cornerPoints, polygonArea, subpixelPoints, type SubpixelSettings } from './points.js';

export interface RawContour {
  startX: number;
  startY: number;
  chain: Uint8Array;
  points: Float64Array;
  hole: boolean;
  area: number;
  inkLabel: number;
  backgroundLabel: number;
  /** Sub-pixel points that fell back to the crack's own estimate (points.ts). */
  fallbacks: number;
}

/**
 * `joinsInk` decides each saddle the walk meets, as it did for the labels (saddles.ts); `cracks`:
 * the horizontal cracks (`crackSpans` of the labels' runs), where the walks start.
 */
export function walkAllBoundaries(
  bitmap: Bitmap,
  labels: Labels,
  subpixel: SubpixelSettings | null,
  joinsInk: (x: number, y: number) => boolean,
  cracks: CrackSpans,
): RawContour[] {
  const { width: w, height: h, ink } = bitmap;
  const isInk = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < w && y < h && ink[y * w + x] === 1;
  // A horizontal crack lies on the top edge of pixel (x, y), y in 0..h; one flag each.
  const visited = new Uint8Array(w * (h + 1));
  const out: RawContour[] = [];
  // Growable scratch buffers for one walk: crack start vertices and headings.
  let vx = new Int32Array(1024);
  let vy = new Int32Array(1024);
  let vd = new Uint8Array(1024);

  // Start cracks in raster order: only where the pixels above and below differ (the spans come
  // from the rows' runs, so the scan does not touch every pixel; docs/design.md §2.5).
  const { spans, count } = cracks;
  for (let s = 0; s < count; s++) {
    const y = spans[3 * s],
      x1 = spans[3 * s + 2];
    for (let x = spans[3 * s + 1], p = y * w + x; x < x1; x++, p++) {
      if (visited[p]) continue;
      const below = y < h && ink[p] === 1;
      // Ink below: walk +x from (x, y). Ink above: walk −x from (x + 1, y). Ink is on the right.
      // x + 0 or x + 1 (not `below ? x : x + 1`): the addition then runs for the first walk and
      // has type feedback when the loop is optimised (docs/design.md §8.4).
      let cx = x + (below ? 0 : 1);
      let cy = y;
      let d = below ? 0 : 2;
      const sx = cx;
      const sy = cy;
      const sd = d;
      let n = 0;
      do {
        if (n === vx.length) {
          vx = grow(vx);
          vy = grow(vy);
          vd = growU8(vd);
        }
        vx[n] = cx;
        vy[n] = cy;
        vd[n] = d;
        n++;
        if (d === 0) visited[cy * w + cx] = 1;
        else if (d === 2) visited[cy * w + cx - 1] = 1;
        cx += STEP_X[d];
        cy += STEP_Y[d];
        // Choose the next heading at vertex (cx, cy): ink ahead-left → turn left, unless ahead-right
        // is background (a saddle: ink only diagonally ahead) and the rule joins the background
        // there (docs/design.md §2.7); else ink ahead-right → straight; else turn right.
        const aheadRight = isInk(cx + AHEAD_RIGHT_PX[d], cy + AHEAD_RIGHT_PY[d]);
        if (isInk(cx + AHEAD_LEFT_PX[d], cy + AHEAD_LEFT_PY[d]) && (aheadRight || joinsInk(cx, cy))) d = (d + 3) & 3;
        else if (!aheadRight) d = (d + 1) & 3;
      } while (cx !== sx || cy !== sy || d !== sd);

      out.push(buildContour(bitmap, labels, vx, vy, vd, n, subpixel));
    }
  }
  return out;
}

function buildContour(
  bitmap: Bitmap,
  labels: Labels,
  vx: Int32Array,
  vy: Int32Array,
  vd: Uint8Array,
  n: number,
  subpixel: SubpixelSettings | null,
): RawContour {
  const w = bitmap.width;
  // Chain code: the ink pixel on the right of each crack, consecutive repeats dropped.
  const px = new Int32Array(n);
  const py = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = vx[i] + RIGHT_PX[vd[i]];
    const y = vy[i] + RIGHT_PY[vd[i]];
    if (m > 0 && px[m - 1] === x && py[m - 1] === y) continue;
    px[m] = x;
    py[m] = y;
    m++;
  }
  while (m > 1 && px[m - 1] === px[0] && py[m - 1] === py[0]) m--;
  const chain = new Uint8Array(m > 1 ? m : 0);
  for (let i = 0; i < chain.length; i++) {
    const j = (i + 1) % m;
    chain[i] = FREEMAN_OF_MOVE[(py[j] - py[i] + 1) * 3 + (px[j] - px[i] + 1)];
  }

  const { points, fallbacks } = subpixel ? subpixelPoints(bitmap, subpixel, vx, vy, vd, n) : { points: cornerPoints(vx, vy, n), fallbacks: 0 };
  let area2 = 0;
  // Shoelace on the crack polygon (exact pixel area), whatever the point kind.
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    area2 += vx[i] * vy[j] - vx[j] * vy[i];
  }
  const hole = area2 < 0;
  // The first crack: ink on its right, background on its left.
  const ix = vx[0] + RIGHT_PX[vd[0]];
  const iy = vy[0] + RIGHT_PY[vd[0]];
  const bx = vd[0] === 0 ? vx[0] : vx[0] - 1; // left pixel of a horizontal start crack
  const by = vd[0] === 0 ? vy[0] - 1 : vy[0];
  const inkLabel = labels.labelAt(ix, iy);
  const bgInside = bx >= 0 && by >= 0 && bx < w && by < bitmap.height;
  const backgroundLabel = bgInside ? -1 - labels.labelAt(bx, by) : labels.exteriorLabel;
  return {
    startX: px[0],
    startY: py[0],
    chain,
    points,
    hole,
    area: subpixel ? polygonArea(points) : area2 / 2,
    fallbacks,
    inkLabel,
    backgroundLabel,
  };
}
function grow(a: Int32Array) {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
function growU8(a: Uint8Array) {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
}
