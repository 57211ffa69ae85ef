/**
 * Writes the bitmap test samples in `samples/` (run: `npx tsx scripts/make-samples.ts`).
 *
 * For every shape (a glyph or word from an OFL font, a simple-icons logo, or a silhouette drawn
 * here) and every size (longest side of the shape 64 px and 600 px) it writes
 *
 *   samples/<shape>-<size>-aa.png        anti-aliased, 8-bit grey (resvg's rendering)
 *   samples/<shape>-<size>-bilevel.png   the same rendering thresholded at 50 % (0 or 255 only)
 *   samples/truth/<name>.svg             the exact outline the PNG was rendered from
 *
 * plus samples/samples.json (one entry per PNG) and samples/README.md.
 *
 * Coordinates: the truth SVG's viewBox is `0 0 width height` of the PNG, so a truth coordinate
 * (x, y) is a PNG pixel coordinate with the origin at the top-left corner of the image and
 * pixel (i, j) covering [i, i+1] × [j, j+1]. The PNG *is* resvg's rendering of the truth file
 * (the same SVG string), so the two cannot drift apart.
 *
 * Deterministic: no clocks, no randomness, no file-system order; PNGs are encoded by
 * scripts/svg-tools.ts (grey, zlib level 9, fixed per-row filter choice), so a rerun is byte-identical.
 *
 * Arabic: opentype.js 2 cannot shape Amiri (its Arabic path throws on Amiri's `ccmp` lookup
 * (chaining context format 1) and ignores the multiple-substitution lookups Amiri uses for
 * init/medi/fina), so the word is shaped here by a small GSUB interpreter (joining analysis,
 * then the font's own ccmp, isol/fina/medi/init, rlig and calt lookups in HarfBuzz's Arabic
 * stage order) and cross-checked against resvg's own text engine (rustybuzz, a HarfBuzz port).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { siApple, siNpm, siToyota, type SimpleIcon } from 'simple-icons';
import { svgArcToCenter } from '../src/geometry/conversion.js';
import {
  canvasMargin,
  centreOnCanvas,
  encodePngGrey,
  formatPath,
  fromOpentype,
  loadOpentypeFont,
  parsePath,
  pathBBox,
  renderGrey,
  transformSegs,
  type ArcExtent,
  type Box,
  type OtPath,
  type Seg,
} from './svg-tools.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'samples');
const TRUTH = path.join(OUT, 'truth');

const SIZES = [64, 600] as const;
const DECIMALS = 3;

// =============================================================================================
// opentype.js (untyped package: a minimal local view of the parts used here)
// =============================================================================================

interface OtGlyph {
  index: number;
  advanceWidth?: number;
  getPath(x: number, y: number, fontSize: number): OtPath;
}
type Coverage = { format: 1; glyphs: number[] } | { format: 2; ranges: { start: number; end: number; index: number }[] };
type ClassDef = { format: 1; startGlyph: number; classes: number[] } | { format: 2; ranges: { start: number; end: number; classId: number }[] };
interface LookupRecord {
  sequenceIndex: number;
  lookupListIndex: number;
}
interface Subtable {
  substFormat: number;
  coverage?: Coverage;
  deltaGlyphId?: number;
  substitute?: number[];
  sequences?: number[][];
  ligatureSets?: { ligGlyph: number; components: number[] }[][];
  coverages?: Coverage[];
  backtrackCoverage?: Coverage[];
  inputCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
  lookupRecords?: LookupRecord[];
  chainRuleSets?: { backtrack: number[]; input: number[]; lookahead: number[]; lookupRecords: LookupRecord[] }[][];
  lookupType?: number;
  extension?: Subtable;
}
interface Lookup {
  lookupType: number;
  lookupFlag: number;
  subtables: Subtable[];
  markFilteringSet?: number;
}
interface Gsub {
  scripts: { tag: string; script: { defaultLangSys?: { featureIndexes: number[] } } }[];
  features: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookups: Lookup[];
}
interface Gdef {
  classDef?: ClassDef;
  markAttachClassDef?: ClassDef;
  markGlyphSets?: Coverage[];
}
interface OtFont {
  unitsPerEm: number;
  names: Record<string, Record<string, Record<string, string>> | undefined>;
  tables: { gsub?: Gsub; gdef?: Gdef };
  glyphs: { get(index: number): OtGlyph };
  charToGlyphIndex(ch: string): number;
  getPath(text: string, x: number, y: number, fontSize: number, options?: Record<string, unknown>): OtPath;
}

const loadFont = (rel: string): OtFont => loadOpentypeFont<OtFont>(path.join(ROOT, rel));

function fontName(font: OtFont, key: string): string {
  for (const platform of ['windows', 'unicode', 'macintosh']) {
    const v = font.names[platform]?.[key]?.en;
    if (v) return v;
  }
  // opentype.js 1.x layout: names.<key>.en
  const flat = (font.names as unknown as Record<string, Record<string, string> | undefined>)[key]?.en;
  return flat ?? '';
}

// =============================================================================================
// Path geometry (parsing, bbox, transform: scripts/svg-tools.ts)
// =============================================================================================

/** Arcs in the bounding box: 4097 points along the arc, centre form by src/geometry/conversion.ts. */
const sampleArc: ArcExtent = (from, a, add) => {
  const e = svgArcToCenter(from.x, from.y, { rx: a.rx, ry: a.ry, xAxisRotation: a.rot, largeArc: a.large ? 1 : 0, sweep: a.sweep ? 1 : 0, x: a.p.x, y: a.p.y });
  if (!e) return; // drawn as a line or nothing (the parser never yields such an arc)
  const cos = Math.cos(e.phi);
  const sin = Math.sin(e.phi);
  const N = 4096;
  for (let k = 0; k <= N; k++) {
    const t = e.theta1 + (e.dtheta * k) / N;
    const ex = e.rx * Math.cos(t);
    const ey = e.ry * Math.sin(t);
    add(e.cx + cos * ex - sin * ey, e.cy + sin * ex + cos * ey);
  }
};

/** Bounding box: exact for lines/quadratics/cubics (derivative roots); arcs are sampled finely. */
const bbox = (segs: Seg[]): Box => pathBBox(segs, sampleArc);

function fmt(n: number): string {
  const r = Math.round(n * 10 ** DECIMALS) / 10 ** DECIMALS;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Absolute commands only (M L Q C A Z), every subpath closed with Z. */
const toPathData = (segs: Seg[]): string => formatPath(segs, fmt);

// =============================================================================================
// Arabic shaping: joining analysis + a small GSUB interpreter (enough for Amiri)
// =============================================================================================

type JoinForm = 'isol' | 'init' | 'medi' | 'fina';

/** Unicode joining type, simplified to the Arabic block (U+0600..06FF). */
function joiningType(cp: number): 'R' | 'D' | 'T' | 'U' | 'C' {
  if (cp === 0x0640 || cp === 0x200d) return 'C';
  if (
    (cp >= 0x064b && cp <= 0x065f) ||
    cp === 0x0670 ||
    (cp >= 0x06d6 && cp <= 0x06dc) ||
    (cp >= 0x06df && cp <= 0x06e4) ||
    cp === 0x06e7 ||
    cp === 0x06e8 ||
    (cp >= 0x06ea && cp <= 0x06ed)
  )
    return 'T';
  const right = [
    [0x0622, 0x0625],
    [0x0627, 0x0627],
    [0x0629, 0x0629],
    [0x062f, 0x0632],
    [0x0648, 0x0648],
    [0x0671, 0x0673],
    [0x0675, 0x0677],
    [0x0688, 0x0699],
    [0x06c0, 0x06c0],
    [0x06c3, 0x06cb],
    [0x06cd, 0x06cd],
    [0x06cf, 0x06cf],
    [0x06d2, 0x06d3],
    [0x06d5, 0x06d5],
    [0x06ee, 0x06ef],
  ];
  if (right.some(([a, b]) => cp >= a && cp <= b)) return 'R';
  if (cp === 0x0621 || cp === 0x0674) return 'U';
  if ((cp >= 0x0620 && cp <= 0x064a) || (cp >= 0x066e && cp <= 0x06d3) || (cp >= 0x06fa && cp <= 0x06ff)) return 'D';
  return 'U';
}

function joiningForms(cps: number[]): (JoinForm | null)[] {
  const types = cps.map(joiningType);
  return cps.map((_, k) => {
    if (types[k] === 'T' || types[k] === 'U') return types[k] === 'U' ? 'isol' : null;
    let p = k - 1;
    while (p >= 0 && types[p] === 'T') p--;
    let n = k + 1;
    while (n < cps.length && types[n] === 'T') n++;
    const joinsPrev = p >= 0 && (types[p] === 'D' || types[p] === 'C');
    const joinsNext = n < cps.length && (types[k] === 'D' || types[k] === 'C') && ['R', 'D', 'C'].includes(types[n]);
    return joinsPrev && joinsNext ? 'medi' : joinsPrev ? 'fina' : joinsNext ? 'init' : 'isol';
  });
}

function covIndex(c: Coverage, g: number): number {
  if (c.format === 1) return c.glyphs.indexOf(g);
  for (const r of c.ranges) if (g >= r.start && g <= r.end) return r.index + g - r.start;
  return -1;
}

function classOf(cd: ClassDef | undefined, g: number): number {
  if (!cd) return 0;
  if (cd.format === 1) {
    const k = g - cd.startGlyph;
    return k >= 0 && k < cd.classes.length ? cd.classes[k] : 0;
  }
  for (const r of cd.ranges) if (g >= r.start && g <= r.end) return r.classId;
  return 0;
}

interface Slot {
  g: number;
  /** The joining-form feature this glyph takes part in; null = none. */
  form: JoinForm | null;
}

/**
 * Applies GSUB lookup types 1, 2, 4, 5 (format 3), 6 (formats 1, 3) and 7 with lookup flags
 * (ignore base/ligature/marks, mark attachment type, mark filtering set). Anything else
 * throws, so a font change cannot silently produce a wrong shape.
 */
class GsubShaper {
  readonly log: string[] = [];
  constructor(
    private readonly gsub: Gsub,
    private readonly gdef: Gdef | undefined,
  ) {}

  private ignored(lookup: Lookup, g: number): boolean {
    const f = lookup.lookupFlag;
    const cls = classOf(this.gdef?.classDef, g);
    if (f & 0x2 && cls === 1) return true;
    if (f & 0x4 && cls === 2) return true;
    if (f & 0x8 && cls === 3) return true;
    if (cls === 3 && f & 0xff00 && classOf(this.gdef?.markAttachClassDef, g) !== f >> 8) return true;
    if (cls === 3 && f & 0x10 && lookup.markFilteringSet !== undefined) {
      const set = this.gdef?.markGlyphSets?.[lookup.markFilteringSet];
      if (set && covIndex(set, g) < 0) return true;
    }
    return false;
  }

  private next(lookup: Lookup, buf: Slot[], k: number): number {
    let j = k + 1;
    while (j < buf.length && this.ignored(lookup, buf[j].g)) j++;
    return j;
  }

  private prev(lookup: Lookup, buf: Slot[], k: number): number {
    let j = k - 1;
    while (j >= 0 && this.ignored(lookup, buf[j].g)) j--;
    return j;
  }

  /** Positions of the glyphs matching `tests`, the first one at `k`; null if no match. */
  private matchForward(lookup: Lookup, buf: Slot[], k: number, tests: ((g: number) => boolean)[]): number[] | null {
    const pos: number[] = [];
    let j = k;
    for (let t = 0; t < tests.length; t++) {
      if (t > 0) j = this.next(lookup, buf, j);
      if (j >= buf.length || !tests[t](buf[j].g)) return null;
      pos.push(j);
    }
    return pos;
  }

  private matchBack(lookup: Lookup, buf: Slot[], k: number, tests: ((g: number) => boolean)[]): boolean {
    let j = k;
    for (const t of tests) {
      j = this.prev(lookup, buf, j);
      if (j < 0 || !t(buf[j].g)) return false;
    }
    return true;
  }

  /** Tries lookup `li` at buf[k]; returns the index to continue from, or -1 if nothing applied. */
  applyAt(li: number, buf: Slot[], k: number): number {
    const lookup = this.gsub.lookups[li];
    if (this.ignored(lookup, buf[k].g)) return -1;
    for (const sub0 of lookup.subtables) {
      let type = lookup.lookupType;
      let st = sub0;
      if (type === 7) {
        type = st.lookupType!;
        st = st.extension!;
      }
      const g = buf[k].g;
      const key = `${type}/${st.substFormat}`;
      const cov = (c: Coverage) => (x: number) => covIndex(c, x) >= 0;
      const is = (v: number) => (x: number) => x === v;
      switch (key) {
        case '1/1':
          if (covIndex(st.coverage!, g) < 0) break;
          buf[k] = { ...buf[k], g: (g + st.deltaGlyphId!) & 0xffff };
          this.log.push(`lookup ${li} (single): ${g} -> ${buf[k].g}`);
          return k + 1;
        case '1/2': {
          const c = covIndex(st.coverage!, g);
          if (c < 0) break;
          buf[k] = { ...buf[k], g: st.substitute![c] };
          this.log.push(`lookup ${li} (single): ${g} -> ${buf[k].g}`);
          return k + 1;
        }
        case '2/1': {
          const c = covIndex(st.coverage!, g);
          if (c < 0) break;
          const seq = st.sequences![c];
          buf.splice(k, 1, ...seq.map((x) => ({ g: x, form: buf[k].form })));
          this.log.push(`lookup ${li} (multiple): ${g} -> ${seq.join(',')}`);
          return k + seq.length;
        }
        case '4/1': {
          const c = covIndex(st.coverage!, g);
          if (c < 0) break;
          for (const lig of st.ligatureSets![c]) {
            const pos = this.matchForward(lookup, buf, k, [is(g), ...lig.components.map(is)]);
            if (!pos) continue;
            for (let p = pos.length - 1; p >= 1; p--) buf.splice(pos[p], 1);
            buf[k] = { ...buf[k], g: lig.ligGlyph };
            this.log.push(`lookup ${li} (ligature): ${[g, ...lig.components].join(',')} -> ${lig.ligGlyph}`);
            return k + 1;
          }
          break;
        }
        case '5/3':
        case '6/3': {
          const input = key === '5/3' ? st.coverages! : st.inputCoverage!;
          const pos = this.matchForward(lookup, buf, k, input.map(cov));
          if (!pos) break;
          if (key === '6/3') {
            if (!this.matchBack(lookup, buf, k, st.backtrackCoverage!.map(cov))) break;
            const la = st.lookaheadCoverage!;
            if (la.length && !this.matchForward(lookup, buf, this.next(lookup, buf, pos[pos.length - 1]), la.map(cov))) break;
          }
          this.log.push(`lookup ${li} (context ${key}) at ${k}`);
          return this.applyRecords(st.lookupRecords!, buf, pos);
        }
        case '6/1': {
          const c = covIndex(st.coverage!, g);
          if (c < 0) break;
          for (const rule of st.chainRuleSets![c] ?? []) {
            const pos = this.matchForward(lookup, buf, k, [is(g), ...rule.input.map(is)]);
            if (!pos) continue;
            if (!this.matchBack(lookup, buf, k, rule.backtrack.map(is))) continue;
            if (rule.lookahead.length && !this.matchForward(lookup, buf, this.next(lookup, buf, pos[pos.length - 1]), rule.lookahead.map(is))) continue;
            this.log.push(`lookup ${li} (context 6/1) at ${k}`);
            return this.applyRecords(rule.lookupRecords, buf, pos);
          }
          break;
        }
        default:
          throw new Error(`GSUB lookup ${li}: type ${key} is not supported by this shaper`);
      }
    }
    return -1;
  }

  private applyRecords(records: LookupRecord[], buf: Slot[], pos: number[]): number {
    for (const r of records) {
      const p = pos[r.sequenceIndex];
      if (p === undefined || p >= buf.length) continue;
      const before = buf.length;
      this.applyAt(r.lookupListIndex, buf, p);
      const d = buf.length - before;
      if (d) for (let t = 0; t < pos.length; t++) if (pos[t] > p) pos[t] += d;
    }
    return Math.min(buf.length, pos[pos.length - 1] + 1);
  }

  /** One pass of a lookup over the buffer (only at glyphs whose form is `form`, if given). */
  applyLookup(li: number, buf: Slot[], form: JoinForm | null) {
    let k = 0;
    while (k < buf.length) {
      if (form === null || buf[k].form === form) {
        const nextK = this.applyAt(li, buf, k);
        if (nextK >= 0) {
          k = Math.max(nextK, k + 1);
          continue;
        }
      }
      k++;
    }
  }

  featureLookups(script: string, tag: string): number[] {
    const s = this.gsub.scripts.find((x) => x.tag === script) ?? this.gsub.scripts.find((x) => x.tag === 'DFLT');
    const out = new Set<number>();
    for (const fi of s?.script.defaultLangSys?.featureIndexes ?? []) {
      const f = this.gsub.features[fi];
      if (f.tag === tag) for (const l of f.feature.lookupListIndexes) out.add(l);
    }
    return [...out].sort((a, b) => a - b);
  }
}

/**
 * Shapes one Arabic word and lays it out right to left. Returns the outline (font units,
 * y down, baseline at y = 0) and the glyph ids in logical order.
 */
function shapeArabic(font: OtFont, text: string): { segs: Seg[]; glyphs: number[]; advance: number; log: string[] } {
  const gsub = font.tables.gsub;
  if (!gsub) throw new Error('font has no GSUB');
  const cps = [...text].map((c) => c.codePointAt(0)!);
  const forms = joiningForms(cps);
  const buf: Slot[] = [...text].map((c, k) => ({ g: font.charToGlyphIndex(c), form: forms[k] }));
  const sh = new GsubShaper(gsub, font.tables.gdef);
  // HarfBuzz's Arabic stage order; within a stage, lookups in lookup-list order.
  const stages: { tags: string[]; masked: boolean }[] = [
    { tags: ['ccmp', 'locl'], masked: false },
    { tags: ['isol'], masked: true },
    { tags: ['fina'], masked: true },
    { tags: ['medi'], masked: true },
    { tags: ['init'], masked: true },
    { tags: ['rlig'], masked: false },
    { tags: ['calt'], masked: false },
    { tags: ['liga'], masked: false },
  ];
  for (const stage of stages) {
    const lookups = new Map<number, string>();
    for (const tag of stage.tags) for (const li of sh.featureLookups('arab', tag)) lookups.set(li, tag);
    for (const li of [...lookups.keys()].sort((a, b) => a - b)) sh.applyLookup(li, buf, stage.masked ? (lookups.get(li) as JoinForm) : null);
  }
  // Right-to-left: the first logical glyph is rightmost. (GPOS is not applied; the check
  // against rustybuzz below confirms no positioning adjustment applies to this word.)
  const advance = buf.reduce((a, s) => a + (font.glyphs.get(s.g).advanceWidth ?? 0), 0);
  let x = advance;
  const segs: Seg[] = [];
  for (const s of buf) {
    const gl = font.glyphs.get(s.g);
    x -= gl.advanceWidth ?? 0;
    segs.push(...fromOpentype(gl.getPath(x, 0, font.unitsPerEm).commands));
  }
  return { segs, glyphs: buf.map((s) => s.g), advance, log: sh.log };
}

/** WOFF 1.0 → plain sfnt (so resvg's font loader can read it for the cross-check). */
function woffToSfnt(w: Buffer): Buffer {
  if (w.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 file');
  const flavor = w.readUInt32BE(4);
  const numTables = w.readUInt16BE(12);
  const tables: { tag: string; data: Buffer; checksum: number }[] = [];
  for (let k = 0; k < numTables; k++) {
    const o = 44 + k * 20;
    const off = w.readUInt32BE(o + 4);
    const comp = w.readUInt32BE(o + 8);
    const orig = w.readUInt32BE(o + 12);
    const raw = w.subarray(off, off + comp);
    tables.push({ tag: w.toString('latin1', o, o + 4), data: comp < orig ? zlib.inflateSync(raw) : Buffer.from(raw), checksum: w.readUInt32BE(o + 16) });
  }
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  let es = 0;
  while (1 << (es + 1) <= numTables) es++;
  const head = Buffer.alloc(12 + 16 * numTables);
  head.writeUInt32BE(flavor, 0);
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(16 << es, 6);
  head.writeUInt16BE(es, 8);
  head.writeUInt16BE(numTables * 16 - (16 << es), 10);
  let off = head.length;
  const bodies: Buffer[] = [];
  tables.forEach((t, k) => {
    const o = 12 + k * 16;
    head.write(t.tag, o, 'latin1');
    head.writeUInt32BE(t.checksum, o + 4);
    head.writeUInt32BE(off, o + 8);
    head.writeUInt32BE(t.data.length, o + 12);
    const pad = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    bodies.push(t.data, pad);
    off += t.data.length + pad.length;
  });
  return Buffer.concat([head, ...bodies]);
}

/**
 * Renders `text` with resvg's own text engine (rustybuzz shaping) and our shaped outline at the
 * same place; returns the number of pixels that differ after a 50 % threshold, and the ink.
 */
function crossCheckArabic(fontRel: string, familyName: string, text: string, shaped: ReturnType<typeof shapeArabic>, upm: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conicfit-samples-'));
  try {
    const ttf = path.join(dir, 'font.ttf');
    fs.writeFileSync(ttf, woffToSfnt(fs.readFileSync(path.join(ROOT, fontRel))));
    const size = 400;
    const W = 800;
    const H = 700;
    const base = 500;
    const mid = W / 2;
    const ref = new Resvg(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
        `<text x="${mid}" y="${base}" font-family="${familyName}" font-size="${size}" text-anchor="middle">${text}</text></svg>`,
      { background: 'white', font: { loadSystemFonts: false, fontFiles: [ttf], defaultFontFamily: familyName } },
    ).render();
    const s = size / upm;
    const ours = transformSegs(shaped.segs, s, mid - (shaped.advance * s) / 2, base);
    const mine = new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><path d="${toPathData(ours)}"/></svg>`, {
      background: 'white',
    }).render();
    const refPx = ref.pixels; // a getter that copies: read it once
    const minePx = mine.pixels;
    let diff = 0;
    let ink = 0;
    for (let k = 0; k < W * H; k++) {
      const a = refPx[4 * k] < 128;
      const b = minePx[4 * k] < 128;
      if (a) ink++;
      if (a !== b) diff++;
    }
    return { diff, ink };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// =============================================================================================
// Rendering checks (PNG encoding and resvg rendering: scripts/svg-tools.ts)
// =============================================================================================

/** Ink components (8-connected) and holes (4-connected white regions not touching the border). */
function topology(w: number, h: number, bilevel: Uint8Array): { components: number; holes: number } {
  const label = new Int32Array(w * h).fill(-1);
  const flood = (ink: boolean, eight: boolean): number => {
    let n = 0;
    const stack: number[] = [];
    for (let s0 = 0; s0 < w * h; s0++) {
      if (label[s0] >= 0 || (bilevel[s0] === 0) !== ink) continue;
      label[s0] = n;
      stack.push(s0);
      while (stack.length) {
        const p = stack.pop()!;
        const x = p % w;
        const y = (p - x) / w;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            if ((!dx && !dy) || (!eight && dx && dy)) continue;
            const nx = x + dx;
            const ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            const q = ny * w + nx;
            if (label[q] < 0 && (bilevel[q] === 0) === ink) {
              label[q] = n;
              stack.push(q);
            }
          }
      }
      n++;
    }
    return n;
  };
  const components = flood(true, true);
  const whiteRegions = flood(false, false); // the border is white, so one region is the outside
  return { components, holes: whiteRegions - 1 };
}

/** Whether the nonzero and even-odd fills of the path differ anywhere (rendered 620 × 620). */
function hasOverlaps(segs: Seg[]): boolean {
  const d = toPathData(segs);
  const render = (rule: string) =>
    new Resvg(`<svg xmlns="http://www.w3.org/2000/svg" width="620" height="620" viewBox="0 0 620 620"><path fill-rule="${rule}" d="${d}"/></svg>`, {
      background: 'white',
    }).render().pixels;
  const a = render('nonzero');
  const b = render('evenodd');
  return !a.equals(b);
}

function borderIsWhite(w: number, h: number, grey: Uint8Array): boolean {
  for (let x = 0; x < w; x++) if (grey[x] !== 255 || grey[(h - 1) * w + x] !== 255) return false;
  for (let y = 0; y < h; y++) if (grey[y * w] !== 255 || grey[y * w + w - 1] !== 255) return false;
  return true;
}

// =============================================================================================
// The shapes
// =============================================================================================

type Kind = 'glyph' | 'logo' | 'silhouette';
interface Shape {
  id: string;
  kind: Kind;
  description: string;
  /** Outline in source units, y down. */
  segs: Seg[];
  fillRule: 'nonzero' | 'evenodd';
  /** Topology of the true outline: connected components and holes (checked on the 600 px render). */
  components: number;
  holes: number;
  text?: string;
  source: string;
  licence: string;
  /** One-line provenance for the README. */
  credit: string;
}

const FONTS = {
  amiri: 'node_modules/@fontsource/amiri/files/amiri-arabic-400-normal.woff',
  baskerville: 'node_modules/@fontsource/libre-baskerville/files/libre-baskerville-latin-400-normal.woff',
  notoSerif: 'node_modules/@fontsource/noto-serif/files/noto-serif-latin-400-normal.woff',
} as const;

const OFL = 'OFL-1.1';

/**
 * Top view of an airliner, nose up: pointed nose (cubic), swept wings with an engine pod on
 * each leading edge (semicircular intake fronts, arcs), rounded wing tips (cubic), tailplane
 * with rounded tips and a tail cone (quadratic). One closed contour, symmetric about x = 100.
 * Drawn for this project.
 */
const AEROPLANE =
  'M100 8 C105 8 109 16 109 30 L109 76 L131 87.14 L131 80 A5 5 0 0 1 141 80 L141 92.2 L188 116 ' +
  'C193 118.5 194 126 189 129.5 L109 110 L108 156 L134 172 C138 174 138 180 134 180 L106 178 ' +
  'Q105 190 100 194 Q95 190 94 178 L66 180 C62 180 62 174 66 172 L92 156 L91 110 L11 129.5 ' +
  'C6 126 7 118.5 12 116 L59 92.2 L59 80 A5 5 0 0 1 69 80 L69 87.14 L91 76 L91 30 C91 16 95 8 100 8 Z';

/**
 * Dinner fork, tines up: four tines with semicircular tips (arcs) separated by slots with
 * round bottoms (arcs), a head that narrows into the neck (cubics), a handle widening towards
 * a semicircular end (cubics + arc). One closed contour, symmetric about x = 50. Drawn for
 * this project.
 */
const FORK =
  'M32 14 A3 3 0 0 1 38 14 L38 68 A2 2 0 0 0 42 68 L42 14 A3 3 0 0 1 48 14 L48 68 A2 2 0 0 0 52 68 ' +
  'L52 14 A3 3 0 0 1 58 14 L58 68 A2 2 0 0 0 62 68 L62 14 A3 3 0 0 1 68 14 L68 80 ' +
  'C68 97 56 100 55 114 C55 150 60 196 60 230 A10 10 0 0 1 40 230 C40 196 45 150 45 114 ' +
  'C44 100 32 97 32 80 Z';

function glyphShape(id: string, fontKey: keyof typeof FONTS, text: string, topo: [number, number], description: string): Shape {
  const font = loadFont(FONTS[fontKey]);
  // fontSize = unitsPerEm: the outline is in font units (y down, baseline y = 0); kerning on.
  const segs = fromOpentype(font.getPath(text, 0, 0, font.unitsPerEm, { kerning: true }).commands);
  const full = fontName(font, 'fullName');
  return {
    id,
    kind: 'glyph',
    description,
    segs,
    fillRule: 'nonzero',
    components: topo[0],
    holes: topo[1],
    text,
    source: `${FONTS[fontKey]} (${full}, ${fontName(font, 'version')})`,
    licence: OFL,
    credit: `${full}: ${fontName(font, 'copyright')} Licensed under the SIL Open Font License 1.1.`,
  };
}

function logoShape(icon: SimpleIcon, topo: [number, number], description: string): Shape {
  return {
    id: `logo-${icon.slug}`,
    kind: 'logo',
    description,
    segs: parsePath(icon.path),
    fillRule: 'nonzero',
    components: topo[0],
    holes: topo[1],
    source: `simple-icons ${SIMPLE_ICONS_VERSION}: ${icon.title} (slug "${icon.slug}", 24×24 viewBox; brand source ${icon.source})`,
    licence: 'CC0-1.0 (simple-icons); the logo is a trademark of its owner',
    credit: `${icon.title} icon from simple-icons ${SIMPLE_ICONS_VERSION} (CC0-1.0); ${icon.title} is a trademark of its owner, used here only as test data.`,
  };
}

function handShape(id: string, d: string, topo: [number, number], description: string): Shape {
  return {
    id,
    kind: 'silhouette',
    description,
    segs: parsePath(d),
    fillRule: 'nonzero',
    components: topo[0],
    holes: topo[1],
    source: 'hand-made: SVG path data in scripts/make-samples.ts',
    licence: 'MIT (part of conicfit)',
    credit: `Drawn for this project as SVG path data (lines, quadratic and cubic Béziers, elliptical arcs); see scripts/make-samples.ts.`,
  };
}

const SIMPLE_ICONS_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/simple-icons/package.json'), 'utf8')) as { version: string }).version;

// =============================================================================================
// Main
// =============================================================================================

interface Entry {
  name: string;
  file: string;
  truth: string;
  kind: Kind;
  rendering: 'antialiased' | 'bilevel';
  /** Longest side of the shape's bounding box, px. */
  size: number;
  width: number;
  height: number;
  /** Shape bounding box in pixel coordinates [x0, y0, x1, y1] (exact outline, not ink). */
  bbox: [number, number, number, number];
  fillRule: 'nonzero' | 'evenodd';
  /** Of the true outline (a 64 px bitmap may differ where strokes or gaps are thinner than a pixel). */
  components: number;
  holes: number;
  /**
   * Subpaths overlap (the nonzero fill differs from even-odd): the filled region is their
   * union, and the path's contours are not the boundary of the ink.
   */
  overlaps: boolean;
  text?: string;
  description: string;
  source: string;
  licence: string;
}

function main() {
  // ---- Arabic: لله "lillah" in Amiri -------------------------------------------------------
  const LILLAH = '\u0644\u0644\u0647'; // lam lam heh
  const amiri = loadFont(FONTS.amiri);
  const shaped = shapeArabic(amiri, LILLAH);
  const check = crossCheckArabic(FONTS.amiri, 'Amiri', LILLAH, shaped, amiri.unitsPerEm);
  console.log(`Amiri ${LILLAH}: glyphs ${shaped.glyphs.join(' ')} (logical order)`);
  for (const l of shaped.log) console.log(`  ${l}`);
  console.log(`  cross-check vs resvg/rustybuzz at 400 px: ${check.diff} differing pixels of ${check.ink} ink`);
  if (check.diff > check.ink * 0.002) throw new Error('Arabic shaping differs from rustybuzz; not writing samples');
  const amiriFull = fontName(amiri, 'fullName');

  const shapes: Shape[] = [
    {
      id: 'lillah',
      kind: 'glyph',
      description:
        'Arabic word لله ("lillah", lam-lam-heh) set in Amiri and shaped with the font\'s own GSUB: joined init/medi/fina forms plus ' +
        "Amiri's required lillah ligature, which adds the shadda and superscript alef above (as HarfBuzz does); " +
        'three components (word, shadda, alef), one hole (heh)',
      segs: shaped.segs,
      fillRule: 'nonzero',
      components: 3,
      holes: 1,
      text: LILLAH,
      source: `${FONTS.amiri} (${amiriFull}, ${fontName(amiri, 'version')}); glyph ids ${shaped.glyphs.join(',')} in logical order, laid out right to left`,
      licence: OFL,
      credit: `${amiriFull}: ${fontName(amiri, 'copyright')} Licensed under the SIL Open Font License 1.1.`,
    },
    handShape('aeroplane', AEROPLANE, [1, 0], 'Top view of an airliner silhouette: swept wings with engine pods, tailplane; one contour, no holes'),
    handShape('fork', FORK, [1, 0], 'Dinner fork silhouette: four tines with rounded tips, round-bottomed slots, neck, long handle; one contour, no holes'),
    glyphShape('baskerville-B', 'baskerville', 'B', [1, 2], 'Capital B: two counters, bracketed serifs'),
    glyphShape('baskerville-g', 'baskerville', 'g', [1, 1], 'Two-storey g: closed upper bowl (one counter), open lower loop, ear'),
    glyphShape('baskerville-a', 'baskerville', 'a', [1, 1], 'Two-storey a: one counter, teardrop terminal'),
    glyphShape('baskerville-ampersand', 'baskerville', '&', [1, 2], 'Ampersand: two counters, tight curves'),
    glyphShape('notoserif-R', 'notoSerif', 'R', [1, 1], 'Capital R: one counter, curved bowl, leg, serifs'),
    glyphShape('notoserif-Ag', 'notoSerif', 'Ag', [2, 3], 'Word "Ag" (kerned): two components; three counters (A one, closed two-storey g two)'),
    logoShape(siToyota, [1, 6], 'Toyota emblem: three interlocking near-elliptical rings (cubic Béziers, lines, arcs); one component, six holes, thin strokes'),
    logoShape(siNpm, [1, 1], 'npm logo: rounded square with one straight-edged, sharp-cornered hole'),
    logoShape(siApple, [2, 0], 'Apple logo: smooth curves with a few corners (bite, top notch); two components (apple, leaf), no holes'),
  ];

  fs.mkdirSync(TRUTH, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (f.endsWith('.png')) fs.rmSync(path.join(OUT, f));
  for (const f of fs.readdirSync(TRUTH)) if (f.endsWith('.svg')) fs.rmSync(path.join(TRUTH, f));

  const entries: Entry[] = [];
  for (const shape of shapes) {
    const b = bbox(shape.segs);
    const w0 = b.x1 - b.x0;
    const h0 = b.y1 - b.y0;
    const s600 = 600 / Math.max(w0, h0);
    const overlaps = hasOverlaps(transformSegs(shape.segs, s600, 10 - b.x0 * s600, 10 - b.y0 * s600));
    for (const size of SIZES) {
      const { scale, width: W, height: H, tx, ty } = centreOnCanvas(b, size);
      const segs = transformSegs(shape.segs, scale, tx, ty);
      const d = toPathData(segs);
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">\n` +
        `<path fill="#000000" fill-rule="${shape.fillRule}" d="${d}"/>\n</svg>\n`;
      const pb = bbox(parsePath(d));
      const img = renderGrey(svg, { requireNeutral: true });
      if (img.width !== W || img.height !== H) throw new Error(`${shape.id}: rendered ${img.width}×${img.height}, expected ${W}×${H}`);
      if (!borderIsWhite(W, H, img.grey)) throw new Error(`${shape.id}-${size}: ink touches the border`);
      const bilevel = img.grey.map((v) => (v < 128 ? 0 : 255));
      const topo = topology(W, H, bilevel);
      const note = `${shape.id}-${size}: bilevel raster has ${topo.components} component(s), ${topo.holes} hole(s)`;
      if (topo.components !== shape.components || topo.holes !== shape.holes) {
        if (size === 600) throw new Error(`${note}; expected ${shape.components}, ${shape.holes}`);
        console.log(`note: ${note} (true outline: ${shape.components}, ${shape.holes})`);
      }
      for (const [rendering, tag, grey] of [
        ['antialiased', 'aa', img.grey],
        ['bilevel', 'bilevel', bilevel],
      ] as const) {
        const name = `${shape.id}-${size}-${tag}`;
        fs.writeFileSync(path.join(OUT, `${name}.png`), encodePngGrey(W, H, grey, 'min-sum'));
        fs.writeFileSync(path.join(TRUTH, `${name}.svg`), svg);
        entries.push({
          name,
          file: `${name}.png`,
          truth: `truth/${name}.svg`,
          kind: shape.kind,
          rendering,
          size,
          width: W,
          height: H,
          bbox: [pb.x0, pb.y0, pb.x1, pb.y1].map((v) => Number(fmt(v))) as [number, number, number, number],
          fillRule: shape.fillRule,
          components: shape.components,
          holes: shape.holes,
          overlaps,
          ...(shape.text !== undefined ? { text: shape.text } : {}),
          description: shape.description,
          source: shape.source,
          licence: shape.licence,
        });
      }
    }
  }

  fs.writeFileSync(path.join(OUT, 'samples.json'), JSON.stringify(entries, null, 2) + '\n');
  fs.writeFileSync(path.join(OUT, 'README.md'), readme(shapes, entries));

  let bytes = 0;
  for (const e of entries) bytes += fs.statSync(path.join(OUT, e.file)).size;
  console.log(`wrote ${entries.length} PNGs (${(bytes / 1024).toFixed(0)} KiB) + truth SVGs to ${path.relative(ROOT, OUT)}/`);
}

function readme(shapes: Shape[], entries: Entry[]): string {
  const rows = shapes.map((sh) => {
    const mine = entries.filter((e) => e.name.startsWith(`${sh.id}-`) && e.rendering === 'antialiased');
    const dims = mine.map((e) => `${e.width}×${e.height}`).join(', ');
    const cmds = ['M', 'L', 'Q', 'C', 'A', 'Z'].filter((c) => sh.segs.some((g) => g.c === c)).join(' ');
    return `| \`${sh.id}\` | ${sh.kind} | ${sh.text !== undefined ? sh.text : ''} | ${sh.description} | ${sh.components} / ${sh.holes} | ${cmds} | ${dims} | ${sh.licence} |`;
  });
  const credits = [...new Set(shapes.map((s) => s.credit))].map((c) => `- ${c}`);
  return `# Test samples

Generated by \`npx tsx scripts/make-samples.ts\` — do not edit by hand; rerunning the script
rewrites every file here byte-for-byte identically.

Each shape is rendered at two sizes (the longer side of the shape's bounding box is **64 px**
and **600 px**) and in two renderings, so there are four PNGs per shape:

- \`<shape>-<size>-aa.png\` — anti-aliased: resvg's (tiny-skia's) coverage rendering, black ink
  on white, stored as 8-bit greyscale (grey = 255·(1 − coverage), approximately).
- \`<shape>-<size>-bilevel.png\` — the anti-aliased image thresholded at 50 %: a pixel is black
  (0) when its grey level is < 128, else white (255). Also 8-bit greyscale, only 0 and 255.

The shape is centred with a margin of at least ${canvasMargin(64)} px (64 px
size) / ${canvasMargin(600)} px (600 px size); no ink touches the border
(checked by the script).

## Ground truth

\`truth/<name>.svg\` is the exact outline each PNG was rendered from: the PNG is resvg's
rendering of that very SVG (white background). Its \`viewBox\` is \`0 0 width height\` of the
PNG, so truth coordinates *are* pixel coordinates: origin at the top-left corner of the image,
y down, pixel (i, j) covers [i, i+1] × [j, j+1]. The path uses only absolute \`M L Q C A Z\`
commands, every subpath closed, and keeps the source's segment types (a uniform scale and a
translation map lines, Béziers and elliptical arcs to themselves): glyphs are TrueType
quadratic splines; logos and silhouettes mix lines, Béziers and circular arcs — see the
"commands" column below. Numbers have at most ${DECIMALS} decimals (the
rounded numbers are what was rendered). The fill rule is given in the file and in
\`samples.json\` (\`nonzero\` for all).

## samples.json

One entry per PNG: \`name\`, \`file\`, \`truth\`, \`kind\` (glyph | logo | silhouette),
\`rendering\` (antialiased | bilevel), \`size\` (longest side of the shape, px), \`width\`,
\`height\` (PNG size), \`bbox\` (exact outline bounding box in pixels, [x0, y0, x1, y1]),
\`fillRule\`, \`components\` and \`holes\` (topology of the true outline; the script checks them
on the 600 px bilevel image — a 64 px image can differ where strokes or gaps are thinner than a
pixel, e.g. the 64 px Toyota), \`overlaps\` (true when subpaths overlap, so the filled region
is their nonzero union and the path's contours are not the ink boundary: this is the case for
\`lillah\`, whose three glyphs overlap where they join), \`text\` (glyphs only), \`description\`, \`source\`,
\`licence\`.

## Shapes

| shape | kind | text | description | components / holes | commands | PNG sizes (64, 600) | licence |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The first three reproduce the kinds of test image used by M. Sarfraz (2012): an Arabic
calligraphic word "Lillah", an aeroplane and a fork. The aeroplane and fork are original
drawings made for this project (not traced from any image).

### Arabic shaping (لله in Amiri)

opentype.js 2 cannot shape this word with Amiri: its Arabic pipeline throws on Amiri's
\`ccmp\` lookup (chaining contextual substitution, format 1), and it ignores the
multiple-substitution lookups (GSUB type 2) that Amiri uses for its init/medi/fina forms, so it
would yield isolated letters. The script therefore shapes the word itself: Unicode joining
analysis (lam = init, lam = medi, heh = fina), then the font's own GSUB lookups for
\`ccmp\`/\`locl\`, \`isol\`, \`fina\`, \`medi\`, \`init\`, \`rlig\`, \`calt\`, \`liga\` in
HarfBuzz's Arabic stage order, with a small interpreter for lookup types 1, 2, 4, 5.3, 6.1, 6.3
and 7 and the GDEF lookup flags. Amiri's \`rlig\` turns lam-lam-heh into its lillah ligature,
which adds a shadda and a superscript (dagger) alef above the word — exactly what HarfBuzz
produces with this font. The glyphs are laid out right to left by their advance widths (GPOS is
not applied). The script cross-checks the result against resvg's own text engine (rustybuzz, a
HarfBuzz port, fed the same font converted from WOFF to TTF): the two renderings must agree to
within 0.2 % of the ink pixels (at the time of writing they are pixel-identical), otherwise no
samples are written.

## Sources and licences

- Fonts (from the \`@fontsource/*\` npm packages, WOFF 1.0 files, read with opentype.js) are
  licensed under the **SIL Open Font License 1.1** (https://openfontlicense.org). The glyph
  outlines in \`truth/\` are derived from the fonts and stay under the OFL; the font software
  itself is not redistributed here.
- Logos come from **simple-icons** ${SIMPLE_ICONS_VERSION} (https://simpleicons.org), released under
  **CC0 1.0**. The brands and logos are trademarks of their respective owners; they are included
  only as test data for vectorisation, not to suggest any endorsement (see simple-icons'
  DISCLAIMER.md).
- The aeroplane and fork silhouettes were drawn for this project and are covered by the
  project's licence (MIT).

Credits:

${credits.join('\n')}
`;
}

main();
