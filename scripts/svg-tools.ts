/**
 * SVG and raster helpers shared by the dev tooling that renders known outlines to test bitmaps:
 * scripts/make-samples.ts (samples/) and bench/corpus.ts + bench/geometry.ts (the comparison
 * benchmark). Not part of the package.
 *
 * - `parsePath`: the full SVG path grammar (M L H V C S Q T A Z, absolute and relative, implicit
 *   repeats, compact numbers and arc flags) to absolute segments M / L / Q / C / A / Z.
 * - `fromOpentype`: opentype.js path commands to the same segments.
 * - `transformSegs`, `pathBBox`, `centreOnCanvas`, `formatPath`: uniform scale + translation,
 *   exact bounding box, the "longer side to N px, centred with a margin" layout rule, path data.
 * - `layoutPath`, `glyphOutline`, `FONT_FILES`: a shape laid out as an SVG document; a font's glyph outline.
 * - `encodePngGrey`, `renderGrey`: a deterministic 8-bit grey PNG encoder; resvg to grey levels.
 * - `fmt`, `serialisePath`: canonical compact path data in toSvg's style (bench/ and the SVG tests).
 */
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { pathCommand } from '../src/output/path-writer.js';

export interface Pt {
  x: number;
  y: number;
}

export type Seg =
  | { c: 'M'; p: Pt }
  | { c: 'L'; p: Pt }
  | { c: 'Q'; c1: Pt; p: Pt }
  | { c: 'C'; c1: Pt; c2: Pt; p: Pt }
  | { c: 'A'; rx: number; ry: number; rot: number; large: boolean; sweep: boolean; p: Pt }
  | { c: 'Z' };

export type ArcSeg = Extract<Seg, { c: 'A' }>;

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const NUM_RE = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;

/**
 * Parse SVG path data into absolute segments. Every subpath ends with Z (SVG fills close open
 * subpaths anyway); empty subpaths are dropped; an arc to the current point is omitted and an
 * arc with a zero radius becomes a line (as SVG draws them). Separators: space, tab, CR, LF, FF
 * and comma.
 */
export function parsePath(d: string): Seg[] {
  const out: Seg[] = [];
  let i = 0;
  const n = d.length;
  const isSep = (ch: string) => ch === ' ' || ch === ',' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\f';
  const skip = () => {
    while (i < n && isSep(d[i])) i++;
  };
  const num = (): number => {
    skip();
    NUM_RE.lastIndex = i;
    const m = NUM_RE.exec(d);
    if (!m) throw new Error(`path: number expected at ${i}: "${d.slice(i, i + 20)}"`);
    i += m[0].length;
    return parseFloat(m[0]);
  };
  const flag = (): boolean => {
    skip();
    const ch = d[i];
    if (ch !== '0' && ch !== '1') throw new Error(`path: arc flag expected at ${i}`);
    i++;
    return ch === '1';
  };
  const moreArgs = () => {
    skip();
    if (i >= n) return false;
    const ch = d[i];
    return ch === '-' || ch === '+' || ch === '.' || (ch >= '0' && ch <= '9');
  };
  let cur: Pt = { x: 0, y: 0 };
  let start: Pt = { x: 0, y: 0 };
  let lastC2: Pt | null = null; // for S
  let lastQ1: Pt | null = null; // for T
  let hasM = false;
  let open = false;
  const draw = (s: Seg) => {
    if (!hasM) {
      out.push({ c: 'M', p: cur });
      start = cur;
      hasM = true;
    }
    out.push(s);
    open = true;
  };
  /** S / T: the previous control point reflected about the current point (or the current point). */
  const reflect = (c: Pt | null): Pt => (c ? { x: 2 * cur.x - c.x, y: 2 * cur.y - c.y } : cur);
  for (;;) {
    skip();
    if (i >= n) break;
    const cmd = d[i++];
    if (!/[MmLlHhVvCcSsQqTtAaZz]/.test(cmd)) throw new Error(`path: bad command "${cmd}" at ${i - 1}`);
    const rel = cmd >= 'a';
    const C = cmd.toUpperCase();
    if (C === 'Z') {
      if (open) out.push({ c: 'Z' });
      open = false;
      hasM = false;
      cur = start;
      lastC2 = lastQ1 = null;
      continue;
    }
    let first = true;
    do {
      const P = (x: number, y: number): Pt => (rel ? { x: cur.x + x, y: cur.y + y } : { x, y });
      let nextC2: Pt | null = null;
      let nextQ1: Pt | null = null;
      switch (C) {
        case 'M': {
          const p = P(num(), num());
          if (first) {
            if (open) out.push({ c: 'Z' });
            out.push({ c: 'M', p });
            start = p;
            hasM = true;
            open = false;
          } else draw({ c: 'L', p });
          cur = p;
          break;
        }
        case 'L': {
          const p = P(num(), num());
          draw({ c: 'L', p });
          cur = p;
          break;
        }
        case 'H': {
          const x = num();
          const p = { x: rel ? cur.x + x : x, y: cur.y };
          draw({ c: 'L', p });
          cur = p;
          break;
        }
        case 'V': {
          const y = num();
          const p = { x: cur.x, y: rel ? cur.y + y : y };
          draw({ c: 'L', p });
          cur = p;
          break;
        }
        case 'C':
        case 'S': {
          const c1: Pt = C === 'C' ? P(num(), num()) : reflect(lastC2);
          const c2 = P(num(), num());
          const p = P(num(), num());
          draw({ c: 'C', c1, c2, p });
          nextC2 = c2;
          cur = p;
          break;
        }
        case 'Q':
        case 'T': {
          const c1: Pt = C === 'Q' ? P(num(), num()) : reflect(lastQ1);
          const p = P(num(), num());
          draw({ c: 'Q', c1, p });
          nextQ1 = c1;
          cur = p;
          break;
        }
        case 'A': {
          const rx = Math.abs(num());
          const ry = Math.abs(num());
          const rot = num();
          const large = flag();
          const sweep = flag();
          const p = P(num(), num());
          if (p.x === cur.x && p.y === cur.y) break; // SVG: an arc to the current point is omitted
          if (rx === 0 || ry === 0) draw({ c: 'L', p });
          else draw({ c: 'A', rx, ry, rot, large, sweep, p });
          cur = p;
          break;
        }
      }
      lastC2 = nextC2;
      lastQ1 = nextQ1;
      first = false;
    } while (moreArgs());
  }
  if (open) out.push({ c: 'Z' });
  return dropEmptySubpaths(out);
}

/** Drop empty subpaths (an M followed by another M, a Z or nothing). */
function dropEmptySubpaths(out: Seg[]): Seg[] {
  return out.filter((s, k) => s.c !== 'M' || (out[k + 1] !== undefined && out[k + 1].c !== 'M' && out[k + 1].c !== 'Z'));
}

// ---------------------------------------------------------------------------------------------
// opentype.js (untyped package: each caller declares the view of a font it uses)
// ---------------------------------------------------------------------------------------------

/** A path command, as src/font/opentype.d.ts types it. */
export type { PathCommand as OtCommand } from 'opentype.js';
import type { PathCommand as OtCommand } from 'opentype.js';

export interface OtPath {
  commands: OtCommand[];
}

const opentype = createRequire(import.meta.url)('opentype.js') as { parse(data: ArrayBuffer): unknown };

/** Reads a font file with opentype.js; `F` is the caller's view of opentype.js's Font. */
export function loadOpentypeFont<F>(file: string): F {
  const buf = fs.readFileSync(file);
  return opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer) as F;
}

/** opentype.js path commands (already y-down) to segments: every subpath closed, empty ones dropped. */
export function fromOpentype(commands: readonly OtCommand[]): Seg[] {
  const out: Seg[] = [];
  let open = false;
  for (const c of commands) {
    switch (c.type) {
      case 'M':
        if (open) out.push({ c: 'Z' });
        out.push({ c: 'M', p: { x: c.x!, y: c.y! } });
        open = false;
        break;
      case 'L':
        out.push({ c: 'L', p: { x: c.x!, y: c.y! } });
        open = true;
        break;
      case 'Q':
        out.push({ c: 'Q', c1: { x: c.x1!, y: c.y1! }, p: { x: c.x!, y: c.y! } });
        open = true;
        break;
      case 'C':
        out.push({ c: 'C', c1: { x: c.x1!, y: c.y1! }, c2: { x: c.x2!, y: c.y2! }, p: { x: c.x!, y: c.y! } });
        open = true;
        break;
      case 'Z':
        if (open) out.push({ c: 'Z' });
        open = false;
        break;
    }
  }
  if (open) out.push({ c: 'Z' });
  return dropEmptySubpaths(out);
}

/** The @fontsource WOFF files of the benchmark corpus (regular weight; paths from the package root). */
export const FONT_FILES = {
  'Libre Baskerville': 'node_modules/@fontsource/libre-baskerville/files/libre-baskerville-latin-400-normal.woff',
  'Noto Serif': 'node_modules/@fontsource/noto-serif/files/noto-serif-latin-400-normal.woff',
} as const;

/** The view of an opentype.js Font that `glyphOutline` uses. */
export interface OtGlyphFont {
  unitsPerEm: number;
  charToGlyph(ch: string): { index: number; getPath(x: number, y: number, size: number): OtPath };
}

/** A character's outline in a font (font units, y down) and its glyph index. */
export function glyphOutline(font: OtGlyphFont, ch: string): { segs: Seg[]; index: number } {
  const glyph = font.charToGlyph(ch);
  return { segs: fromOpentype(glyph.getPath(0, 0, font.unitsPerEm).commands), index: glyph.index };
}

// ---------------------------------------------------------------------------------------------
// Transform, bounding box, layout, serialisation
// ---------------------------------------------------------------------------------------------

/** p ↦ s·p + t (uniform scale, s > 0): arcs stay arcs with radii scaled. */
export function transformSegs(segs: Seg[], s: number, tx: number, ty: number): Seg[] {
  const f = (p: Pt): Pt => ({ x: s * p.x + tx, y: s * p.y + ty });
  return segs.map((g): Seg => {
    switch (g.c) {
      case 'M':
      case 'L':
        return { c: g.c, p: f(g.p) };
      case 'Q':
        return { c: 'Q', c1: f(g.c1), p: f(g.p) };
      case 'C':
        return { c: 'C', c1: f(g.c1), c2: f(g.c2), p: f(g.p) };
      case 'A':
        return { ...g, rx: g.rx * s, ry: g.ry * s, p: f(g.p) };
      case 'Z':
        return g;
    }
  });
}

/** Adds the points of an arc that bound it (its end point is added by the caller). */
export type ArcExtent = (from: Pt, arc: ArcSeg, add: (x: number, y: number) => void) => void;

/**
 * Bounding box of a path: exact for lines, quadratics and cubics (derivative roots); arcs by
 * `arcExtent` (each tool keeps its own approximation: sampling or flattening).
 */
export function pathBBox(segs: Seg[], arcExtent: ArcExtent): Box {
  const b: Box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  const add = (x: number, y: number) => {
    if (x < b.x0) b.x0 = x;
    if (x > b.x1) b.x1 = x;
    if (y < b.y0) b.y0 = y;
    if (y > b.y1) b.y1 = y;
  };
  const quadRoots = (a: number, bb: number, c: number): number[] => {
    if (Math.abs(a) < 1e-12) return Math.abs(bb) < 1e-12 ? [] : [-c / bb];
    const disc = bb * bb - 4 * a * c;
    if (disc < 0) return [];
    const s = Math.sqrt(disc);
    return [(-bb + s) / (2 * a), (-bb - s) / (2 * a)];
  };
  let cur: Pt = { x: 0, y: 0 };
  let start = cur;
  for (const s of segs) {
    switch (s.c) {
      case 'M':
        cur = start = s.p;
        add(cur.x, cur.y);
        break;
      case 'L':
        add(s.p.x, s.p.y);
        cur = s.p;
        break;
      case 'Q': {
        add(s.p.x, s.p.y);
        const at = (t: number, a: number, c: number, e: number) => (1 - t) * (1 - t) * a + 2 * t * (1 - t) * c + t * t * e;
        for (const k of ['x', 'y'] as const) {
          const den = cur[k] - 2 * s.c1[k] + s.p[k];
          if (Math.abs(den) < 1e-12) continue;
          const t = (cur[k] - s.c1[k]) / den;
          if (t > 0 && t < 1) add(at(t, cur.x, s.c1.x, s.p.x), at(t, cur.y, s.c1.y, s.p.y));
        }
        cur = s.p;
        break;
      }
      case 'C': {
        add(s.p.x, s.p.y);
        const at = (t: number, a: number, c: number, d: number, e: number) =>
          (1 - t) ** 3 * a + 3 * t * (1 - t) ** 2 * c + 3 * t * t * (1 - t) * d + t ** 3 * e;
        for (const k of ['x', 'y'] as const) {
          const [p0, p1, p2, p3] = [cur[k], s.c1[k], s.c2[k], s.p[k]];
          for (const t of quadRoots(3 * (-p0 + 3 * p1 - 3 * p2 + p3), 6 * (p0 - 2 * p1 + p2), 3 * (p1 - p0))) {
            if (t > 0 && t < 1) add(at(t, cur.x, s.c1.x, s.c2.x, s.p.x), at(t, cur.y, s.c1.y, s.c2.y, s.p.y));
          }
        }
        cur = s.p;
        break;
      }
      case 'A':
        arcExtent(cur, s, add);
        add(s.p.x, s.p.y);
        cur = s.p;
        break;
      case 'Z':
        cur = start;
        break;
    }
  }
  return b;
}

/**
 * A shape laid out by `centreOnCanvas` at `size` px as an SVG document (nonzero fill, black on
 * the transparent canvas; `renderGrey` puts it on white) and its path data (4 decimals). Arcs
 * enter the bounding box through `arcExtent`.
 */
export function layoutPath(segs: Seg[], size: number, arcExtent: ArcExtent): { svg: string; d: string; width: number; height: number } {
  const { scale, width, height, tx, ty } = centreOnCanvas(pathBBox(segs, arcExtent), size);
  const d = serialisePath(transformSegs(segs, scale, tx, ty), 4);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<path fill="#000" fill-rule="nonzero" d="${d}"/></svg>`;
  return { svg, d, width, height };
}

/** Margin on every side of a shape laid out at `size` px: max(4, round(2 % of size)) px. */
export function canvasMargin(size: number): number {
  return Math.max(4, Math.round(size * 0.02));
}

/**
 * Layout rule of samples/ and of the benchmark corpus: the box's longer side scaled to `size` px,
 * centred on a canvas of ceil(shape + 2·margin) px. The shape maps by p ↦ scale·p + (tx, ty).
 */
export function centreOnCanvas(b: Box, size: number): { scale: number; width: number; height: number; tx: number; ty: number } {
  const w0 = b.x1 - b.x0,
    h0 = b.y1 - b.y0;
  const margin = canvasMargin(size);
  const scale = size / Math.max(w0, h0);
  const width = Math.ceil(w0 * scale + 2 * margin);
  const height = Math.ceil(h0 * scale + 2 * margin);
  const tx = (width - w0 * scale) / 2 - b.x0 * scale;
  const ty = (height - h0 * scale) / 2 - b.y0 * scale;
  return { scale, width, height, tx, ty };
}

/** Path data: absolute commands M L Q C A Z, each letter written out, numbers by `num`, space-separated. */
export function formatPath(segs: Seg[], num: (v: number) => string): string {
  const pt = (p: Pt) => `${num(p.x)} ${num(p.y)}`;
  let s = '';
  for (const g of segs) {
    switch (g.c) {
      case 'M':
      case 'L':
        s += `${g.c}${pt(g.p)}`;
        break;
      case 'Q':
        s += `Q${pt(g.c1)} ${pt(g.p)}`;
        break;
      case 'C':
        s += `C${pt(g.c1)} ${pt(g.c2)} ${pt(g.p)}`;
        break;
      case 'A':
        s += `A${num(g.rx)} ${num(g.ry)} ${num(g.rot)} ${g.large ? 1 : 0} ${g.sweep ? 1 : 0} ${pt(g.p)}`;
        break;
      case 'Z':
        s += 'Z';
        break;
    }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// PNG encoding (8-bit grey) and rendering
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let k = 0; k < buf.length; k++) c = CRC_TABLE[(c ^ buf[k]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * 8-bit greyscale PNG, zlib level 9, deterministic. Row filters: 'up' = filter 2 (Up) on every
 * row; 'min-sum' = per row, the filter 0–4 with the least sum of |residuals| (the usual
 * heuristic; the lowest filter number on a tie).
 */
export function encodePngGrey(w: number, h: number, grey: Uint8Array, rowFilter: 'up' | 'min-sum'): Buffer {
  const filters = rowFilter === 'up' ? [2] : [0, 1, 2, 3, 4];
  const raw = Buffer.alloc((w + 1) * h);
  const cand = Array.from({ length: 5 }, () => Buffer.alloc(w));
  for (let y = 0; y < h; y++) {
    const row = grey.subarray(y * w, (y + 1) * w);
    const up = y > 0 ? grey.subarray((y - 1) * w, y * w) : new Uint8Array(w);
    let best = filters[0];
    let bestSum = Infinity;
    for (const f of filters) {
      const out = cand[f];
      let sum = 0;
      for (let x = 0; x < w; x++) {
        const a = x > 0 ? row[x - 1] : 0;
        const b = up[x];
        const c = x > 0 ? up[x - 1] : 0;
        let pred = 0;
        if (f === 1) pred = a;
        else if (f === 2) pred = b;
        else if (f === 3) pred = (a + b) >> 1;
        else if (f === 4) {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
        const v = (row[x] - pred) & 0xff;
        out[x] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    raw[y * (w + 1)] = best;
    cand[best].copy(raw, y * (w + 1) + 1);
  }
  const ihdr = Buffer.alloc(13); // compression, filter and interlace methods: 0
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * resvg at the SVG's own size, default anti-aliasing, white background → grey levels (the red
 * channel). With `requireNeutral`, throws unless every pixel is neutral grey and opaque.
 */
export function renderGrey(svg: string, opts: { requireNeutral?: boolean } = {}): { width: number; height: number; grey: Uint8Array } {
  const img = new Resvg(svg, { background: 'white', fitTo: { mode: 'original' } }).render();
  const { width, height, pixels } = img;
  const grey = new Uint8Array(width * height);
  for (let k = 0; k < width * height; k++) {
    if (opts.requireNeutral) {
      const [r, g, b, a] = [pixels[4 * k], pixels[4 * k + 1], pixels[4 * k + 2], pixels[4 * k + 3]];
      if (r !== g || g !== b || a !== 255) throw new Error(`non-grey pixel ${k}: ${r},${g},${b},${a}`);
    }
    grey[k] = pixels[4 * k];
  }
  return { width, height, grey };
}

// ---------------------------------------------------------------------------------------------
// Serialisation (canonical, compact: the same style as conicfit's toSvg; used by bench/ and the SVG tests)
// ---------------------------------------------------------------------------------------------

/**
 * Fixed decimals, trailing zeros trimmed, "-0" → "0", leading zero dropped (0.5 → ".5",
 * −0.5 → "-.5"): src/output/path-writer.ts formatPathNumber, without its throw on non-finite numbers.
 */
export function fmt(x: number, digits: number): string {
  let s = x.toFixed(digits);
  if (s.includes('.') && !s.includes('e')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  if (s.startsWith('0.')) s = s.slice(1);
  else if (s.startsWith('-0.')) s = '-' + s.slice(2);
  return s;
}

/**
 * Absolute commands M L Q C A Z, each letter written out, `digits` decimals, numbers separated
 * as toSvg separates them (src/output/path-writer.ts pathCommand: no separator before '-', none before '.'
 * after a number holding a '.'), so path bytes compare like with like.
 */
export function serialisePath(segs: Seg[], digits = 3): string {
  const n = (v: number) => fmt(v, digits);
  let s = '';
  for (const g of segs) {
    switch (g.c) {
      case 'M':
      case 'L':
        s += pathCommand(g.c, [n(g.p.x), n(g.p.y)]);
        break;
      case 'Q':
        s += pathCommand('Q', [n(g.c1.x), n(g.c1.y), n(g.p.x), n(g.p.y)]);
        break;
      case 'C':
        s += pathCommand('C', [n(g.c1.x), n(g.c1.y), n(g.c2.x), n(g.c2.y), n(g.p.x), n(g.p.y)]);
        break;
      case 'A':
        s += pathCommand('A', [n(g.rx), n(g.ry), n(g.rot), g.large ? '1' : '0', g.sweep ? '1' : '0', n(g.p.x), n(g.p.y)]);
        break;
      case 'Z':
        s += 'Z';
        break;
    }
  }
  return s;
}
