/**
 * How a knot's extra parameters in the band fit's Levenberg–Marquardt problem (src/fit/band-loss.ts)
 * move the two spans that meet at it (docs/design.md §11.6, §11.8).
 *
 * Reads: the knot as given and the parameter vector. Produces: the end of spans[0] and the start of
 * spans[1] (position and unit tangents).
 * Method: a smooth knot shifts along its normal and turns its one tangent (both spans share it, G¹);
 * a corner moves in x and y and turns each arm on its own, while a line span's tangents follow its
 * chord so that it stays straight.
 */
import type { Span } from './band-loss.js';
import type { WorkKnot } from './knots.js';
import * as dm from '../geometry/fdlibm.js';

/** Knot k moved by `shift` along its normal (−Ty, Tx) and its tangent turned by `turn` radians: the end of spans[0] and the start of spans[1]. */
function moveKnot(k: WorkKnot, shift: number, turn: number, spans: Span[]): void {
  const tx = k.outX,
    ty = k.outY;
  const c = dm.cos(turn),
    s = dm.sin(turn);
  spans[0].p1x = spans[1].p0x = k.x - shift * ty;
  spans[0].p1y = spans[1].p0y = k.y + shift * tx;
  spans[0].d1x = spans[1].d0x = c * tx - s * ty;
  spans[0].d1y = spans[1].d0y = s * tx + c * ty;
}

/**
 * Corner k moved by (v[at], v[at + 1]) and its arms turned by v[at + 2] (in) and v[at + 3] (out):
 * the end of spans[0] and the start of spans[1]; a line span's tangents follow its chord instead
 * (docs/design.md §11.8).
 */
function moveCorner(k: WorkKnot, v: Float64Array, at: number, spans: Span[]): void {
  const x = k.x + v[at],
    y = k.y + v[at + 1];
  const l = spans[0],
    r = spans[1];
  l.p1x = r.p0x = x;
  l.p1y = r.p0y = y;
  if (l.line) chordTangents(l);
  else turnEnd(l, k.inX, k.inY, v[at + 2]);
  if (r.line) chordTangents(r);
  else turnStart(r, k.outX, k.outY, v[at + 3]);
}

/** The span's end tangent: (tx, ty) turned by `turn` radians. */
function turnEnd(sp: Span, tx: number, ty: number, turn: number): void {
  const c = dm.cos(turn),
    s = dm.sin(turn);
  sp.d1x = c * tx - s * ty;
  sp.d1y = s * tx + c * ty;
}

/** The span's start tangent: (tx, ty) turned by `turn` radians. */
function turnStart(sp: Span, tx: number, ty: number, turn: number): void {
  const c = dm.cos(turn),
    s = dm.sin(turn);
  sp.d0x = c * tx - s * ty;
  sp.d0y = s * tx + c * ty;
}

/** A line span's tangents along its chord (a straight quadratic). */
export function chordTangents(sp: Span): void {
  const h = dm.hypot(sp.p1x - sp.p0x, sp.p1y - sp.p0y) || 1;
  sp.d0x = sp.d1x = (sp.p1x - sp.p0x) / h;
  sp.d0y = sp.d1y = (sp.p1y - sp.p0y) / h;
}

/** The knot's extra parameters from v[at …] applied to the spans: a corner's moveCorner, a smooth knot's moveKnot. */
export function moveExtra(k: WorkKnot, v: Float64Array, at: number, spans: Span[]): void {
  if (k.kind === 'corner') moveCorner(k, v, at, spans);
  else moveKnot(k, v[at], v[at + 1], spans);
}
