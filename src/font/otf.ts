/**
 * OpenType output (docs/design.md §21.6): a `CapturedFont` as an OpenType font with CFF outlines,
 * written by opentype.js (browser-safe; it bundles without Node built-ins). CFF curves are cubic,
 * so capture with `outline: 'cubic'` (counter-clockwise outer contours); quadratic glyphs are
 * raised to cubics by opentype.js (exact degree elevation, then CFF's own number encoding).
 * A `.notdef` glyph (empty, half an em wide) comes first, as the format requires.
 */
// The ambient module types must come along wherever otf.ts is compiled (demo/tsconfig.json reaches src/ only by imports).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./opentype.d.ts" />
import * as ot from 'opentype.js';
import type { CapturedFont } from './capture.js';
import type { FontContour, FontGlyph, FontPoint } from './glyph.js';

/** opentype.js's namespace: named exports in bundlers (ESM build), under `default` from Node's UMD build. */
function lib(): typeof ot {
  const m = ot as typeof ot & { default?: typeof ot };
  return typeof m.Font === 'function' ? m : m.default!;
}

/**
 * The font as OpenType (CFF) bytes. Deterministic: the 'head' table's created and modified dates
 * (opentype.js writes the current time) are set to `timestamp` (seconds since 1970, default 0)
 * and the checksums recomputed.
 *
 * @example writeFileSync('My.otf', new Uint8Array(toOpenType(fontFromSpecimen(result, 'ABC', { outline: 'cubic' }))))
 */
export function toOpenType(font: CapturedFont, timestamp = 0): ArrayBuffer {
  const { Font, Glyph, Path } = lib();
  const notdef = new Glyph({ name: '.notdef', advanceWidth: Math.round(font.info.unitsPerEm / 2), path: new Path() });
  const glyphs = [
    notdef,
    ...font.glyphs.map(
      (g) =>
        new Glyph({ name: g.name, ...(g.unicode === undefined ? {} : { unicode: g.unicode }), advanceWidth: g.advanceWidth, path: glyphPath(g, new Path()) }),
    ),
  ];
  const { familyName, styleName, unitsPerEm, ascender, descender } = font.info;
  return withTimestamp(new Font({ familyName, styleName, unitsPerEm, ascender, descender, glyphs }).toArrayBuffer(), timestamp);
}

/** Seconds from 1904-01-01 (OpenType's LONGDATETIME epoch) to 1970-01-01. */
const MAC_EPOCH_OFFSET = 2082844800;

/**
 * Sets 'head' created and modified (offsets 20 and 28, 64-bit) and recomputes the table's
 * checksum and the font's checkSumAdjustment (0xB1B0AFBA − sum of the whole font; OpenType
 * spec, 'head' and "Calculating checksums").
 */
function withTimestamp(buffer: ArrayBuffer, seconds: number): ArrayBuffer {
  const view = new DataView(buffer);
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const entry = 12 + 16 * i;
    if (view.getUint32(entry) !== 0x68656164) continue; // 'head'
    const offset = view.getUint32(entry + 8),
      length = view.getUint32(entry + 12);
    const t = seconds + MAC_EPOCH_OFFSET;
    for (const at of [20, 28]) {
      view.setUint32(offset + at, Math.floor(t / 2 ** 32));
      view.setUint32(offset + at + 4, t % 2 ** 32);
    }
    view.setUint32(offset + 8, 0); // checkSumAdjustment, while summing
    view.setUint32(entry + 4, checksum(view, offset, length));
    view.setUint32(offset + 8, (0xb1b0afba - checksum(view, 0, buffer.byteLength) + 2 ** 32) % 2 ** 32);
  }
  return buffer;
}

/** Sum of big-endian uint32 words (the last one zero-padded) modulo 2³². */
function checksum(view: DataView, offset: number, length: number): number {
  let sum = 0;
  for (let k = 0; k < length; k += 4) {
    let word = 0;
    for (let b = 0; b < 4; b++) word = word * 256 + (offset + k + b < Math.min(view.byteLength, offset + length) ? view.getUint8(offset + k + b) : 0);
    sum = (sum + word) % 2 ** 32;
  }
  return sum;
}

/** What `glyphPath` draws into: an opentype.js `Path`, or any object with the same five methods. */
export interface PathSink {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(x1: number, y1: number, x: number, y: number): void;
  bezierCurveTo(x1: number, y1: number, x2: number, y2: number, x: number, y: number): void;
  closePath(): void;
}

/** A glyph's contours as path commands in font units (y up). */
export function glyphPath<P extends PathSink>(g: Pick<FontGlyph, 'contours' | 'kind'>, path: P): P {
  for (const c of g.contours) contourCommands(c, g.kind === 'quadratic', path);
  return path;
}

function contourCommands(c: FontContour, quadratic: boolean, path: PathSink): void {
  const pts = c.points,
    n = pts.length;
  if (n === 0) return;
  path.moveTo(pts[0].x, pts[0].y);
  let i = 1;
  while (i <= n) {
    const offs: FontPoint[] = [];
    while (i < n && !pts[i].on) offs.push(pts[i++]);
    const end = pts[i % n];
    if (offs.length === 0) {
      if (i < n) path.lineTo(end.x, end.y);
    } else if (!quadratic && offs.length === 2) {
      path.bezierCurveTo(offs[0].x, offs[0].y, offs[1].x, offs[1].y, end.x, end.y);
    } else {
      offs.forEach((p, k) => {
        const to = k === offs.length - 1 ? end : { x: (p.x + offs[k + 1].x) / 2, y: (p.y + offs[k + 1].y) / 2 };
        path.quadraticCurveTo(p.x, p.y, to.x, to.y);
      });
    }
    i++;
  }
  path.closePath();
}
