/**
 * Specimen sheets (docs/design.md §21.7): one traced image holding rows of glyphs split into
 * glyphs in reading order, and the measurements that place them (baseline per row, reference
 * heights). Browser-safe; reads a `TraceResult` only.
 *
 * A glyph is a group of top-level shapes (outer contours with no parent, each with its holes and
 * islands): shapes whose vertical ranges overlap form a row (a row much shorter than the others,
 * such as the dots of a row of i's and j's, joins the row below); in a row, shapes whose
 * horizontal ranges overlap form one glyph (an i and its dot, a % and its rings, a counter with
 * its letter). When there are more groups than characters, the groups with the narrowest gap
 * between them are joined (a " or a ÷ drawn apart) while that gap is under half the median gap
 * between neighbours, and the report counts it; otherwise the counts do not match (BAD_SPECIMEN).
 */
import { ConicfitError } from '../errors.js';
import type { TraceResult } from '../model.js';

/** Pixel box: x0 ≤ x < x1, y0 ≤ y < y1 (image px, y down). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One glyph of a sheet: the indices of its fits (every contour of its shapes) and its ink box. */
export interface GlyphGroup {
  fits: number[];
  box: Box;
  /** Row, counted from the top. */
  row: number;
  /** True for a group joined from shapes drawn apart to match the characters. */
  joined?: boolean;
}

export interface SpecimenSplit {
  /** Glyphs in reading order (rows top to bottom, left to right in each row). */
  glyphs: GlyphGroup[];
  /** Rows' ink boxes, top to bottom. */
  rows: Box[];
  /** Groups joined to match the number of characters. */
  joined: number;
}

/** A row shorter than this share of the tallest row joins the row below (dots above a row of i, j). */
const SHORT_ROW = 0.4;

/**
 * Splits a traced sheet into `count` glyphs in reading order.
 *
 * @example splitSpecimen(await traceImage('sheet.png'), 26).glyphs.map((g) => g.fits)
 * @throws ConicfitError BAD_SPECIMEN when the sheet has fewer glyphs than `count`.
 */
export function splitSpecimen(result: TraceResult, count: number): SpecimenSplit {
  const shapes = topLevelShapes(result);
  const rows = groupRows(shapes);
  const groups: GlyphGroup[][] = rows.map((row, r) => groupColumns(row, r));
  let total = groups.reduce((n, g) => n + g.length, 0);
  if (total < count) {
    throw new ConicfitError('BAD_SPECIMEN', `the sheet holds ${total} glyph${total === 1 ? '' : 's'} but ${count} characters were given`);
  }
  let joined = 0;
  const found = total;
  // Only gaps clearly narrower than the typical gap between glyphs are joined (half the median).
  const gaps = groups.flatMap((row) => row.slice(1).map((g, i) => g.box.x0 - row[i].box.x1)).sort((a, b) => a - b);
  const joinable = gaps.length > 0 ? 0.5 * gaps[Math.floor((gaps.length - 1) / 2)] : -Infinity;
  while (total > count) {
    // Join the two neighbours with the narrowest gap anywhere (ties: first in reading order).
    let best = Infinity,
      br = -1,
      bi = -1;
    groups.forEach((row, r) => {
      for (let i = 0; i + 1 < row.length; i++) {
        const gap = row[i + 1].box.x0 - row[i].box.x1;
        if (gap < best) {
          best = gap;
          br = r;
          bi = i;
        }
      }
    });
    if (br < 0 || !(best < joinable)) {
      throw new ConicfitError('BAD_SPECIMEN', `the sheet holds ${found} glyphs but ${count} characters were given (no gap narrow enough to join)`);
    }
    const [a, b] = groups[br].splice(bi, 2);
    groups[br].splice(bi, 0, { fits: [...a.fits, ...b.fits].sort((x, y) => x - y), box: union(a.box, b.box), row: br, joined: true });
    total--;
    joined++;
  }
  return { glyphs: groups.flat(), rows: rows.map((row) => row.map((s) => s.box).reduce(union)), joined };
}

interface Shape {
  fits: number[];
  box: Box;
}

/** Every outer contour without a parent, with all the contours nested in it. */
function topLevelShapes(result: TraceResult): Shape[] {
  const n = result.fits.length;
  const root = (i: number): number => {
    let k = i;
    for (let guard = 0; guard <= n && result.fits[k].parent >= 0; guard++) k = result.fits[k].parent;
    return k;
  };
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (result.fits[i].pieces.length === 0) continue;
    const r = root(i);
    const list = byRoot.get(r) ?? [];
    list.push(i);
    byRoot.set(r, list);
  }
  const shapes: Shape[] = [];
  for (const [r, fits] of [...byRoot.entries()].sort((a, b) => a[0] - b[0])) shapes.push({ fits, box: contourBox(result, r) });
  return shapes;
}

/** Box of a contour's boundary points (the fitted outline stays within the tolerance of them). */
function contourBox(result: TraceResult, i: number): Box {
  const pts = result.contours[i]?.points;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  const add = (x: number, y: number) => {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  };
  if (pts && pts.length >= 2) for (let k = 0; k + 1 < pts.length; k += 2) add(pts[k], pts[k + 1]);
  else for (const p of result.fits[i].pieces) add(p.p0.x, p.p0.y);
  return { x0, y0, x1, y1 };
}

function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Shapes into rows by overlapping vertical ranges, top to bottom; short rows join the row below. */
function groupRows(shapes: Shape[]): Shape[][] {
  const sorted = [...shapes].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
  const rows: { box: Box; shapes: Shape[] }[] = [];
  for (const s of sorted) {
    const last = rows[rows.length - 1];
    if (last && s.box.y0 < last.box.y1) {
      last.shapes.push(s);
      last.box = union(last.box, s.box);
    } else rows.push({ box: s.box, shapes: [s] });
  }
  const tallest = Math.max(0, ...rows.map((r) => r.box.y1 - r.box.y0));
  for (let r = rows.length - 2; r >= 0; r--) {
    if (rows[r].box.y1 - rows[r].box.y0 < SHORT_ROW * tallest) {
      rows[r + 1].shapes.push(...rows[r].shapes);
      rows[r + 1].box = union(rows[r + 1].box, rows[r].box);
      rows.splice(r, 1);
    }
  }
  return rows.map((r) => r.shapes);
}

/** A row's shapes into glyphs by overlapping horizontal ranges, left to right. */
function groupColumns(row: Shape[], r: number): GlyphGroup[] {
  const sorted = [...row].sort((a, b) => a.box.x0 - b.box.x0 || a.box.y0 - b.box.y0);
  const out: GlyphGroup[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.box.x0 < last.box.x1) {
      last.fits.push(...s.fits);
      last.box = union(last.box, s.box);
    } else out.push({ fits: [...s.fits], box: s.box, row: r });
  }
  for (const g of out) g.fits.sort((a, b) => a - b);
  return out;
}

/**
 * The baseline of a row of glyph boxes, image y px: the bottom shared by most glyphs (within 2 %
 * of the row's height, so round overshoots count with flat bottoms), the median of that cluster.
 * Descenders and raised marks fall outside it.
 */
export function detectBaseline(boxes: readonly Box[]): number {
  if (boxes.length === 0) return 0;
  const bottoms = boxes.map((b) => b.y1).sort((a, b) => a - b);
  const height = Math.max(...boxes.map((b) => b.y1)) - Math.min(...boxes.map((b) => b.y0));
  const w = Math.max(1, 0.02 * height);
  let best: number[] = [];
  for (const b of bottoms) {
    const cluster = bottoms.filter((c) => Math.abs(c - b) <= w);
    if (cluster.length > best.length) best = cluster;
  }
  return best[Math.floor((best.length - 1) / 2)];
}
