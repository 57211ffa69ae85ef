/**
 * UFO 3 (docs/design.md §21.5; unifiedfontobject.org, UFO 3 and GLIF 2 specifications): a
 * `CapturedFont` as an in-memory map from paths inside the `.ufo` folder to file contents, and
 * the reader of the glyphs back. Browser-safe; src/font/node.ts writes the map to disk.
 *
 * Files: metainfo.plist, fontinfo.plist, layercontents.plist, lib.plist (public.glyphOrder),
 * glyphs/contents.plist and one glyphs/<file>.glif per glyph. A closed contour's on-curve points
 * carry the type of the segment that ends at them: `line`, `qcurve` (quadratic, any number of
 * off-curve points before it, joints implied) or `curve` (cubic, two off-curve points).
 */
import { ConicfitError } from '../errors.js';
import type { CapturedFont, FontInfo } from './capture.js';
import type { FontContour, FontGlyph, FontPoint } from './glyph.js';

/**
 * The font as UFO 3 files: `{ 'metainfo.plist': …, 'glyphs/A_.glif': …, … }`, keys in a fixed order.
 *
 * @example for (const [path, text] of Object.entries(toUfo(font))) writeFileSync(join('My.ufo', path), text)
 */
export function toUfo(font: CapturedFont): Record<string, string> {
  const files: Record<string, string> = {};
  files['metainfo.plist'] = plist(dict({ creator: 'org.conicfit', formatVersion: 3 }));
  files['fontinfo.plist'] = plist(dict(fontInfo(font.info)));
  files['layercontents.plist'] = plist(`<array>\n<array>\n<string>public.default</string>\n<string>glyphs</string>\n</array>\n</array>`);
  files['lib.plist'] = plist(dict({ 'public.glyphOrder': font.glyphs.map((g) => g.name) }));
  const names = new Set<string>();
  const contents: Record<string, string> = {};
  for (const g of font.glyphs) {
    const file = glyphFileName(g.name, names);
    contents[g.name] = file;
    files[`glyphs/${file}`] = toGlif(g);
  }
  files['glyphs/contents.plist'] = plist(dict(contents));
  return files;
}

function fontInfo(info: FontInfo): Record<string, string | number> {
  const out: Record<string, string | number> = {
    familyName: info.familyName,
    styleName: info.styleName,
    unitsPerEm: info.unitsPerEm,
    ascender: info.ascender,
    descender: info.descender,
    versionMajor: 1,
    versionMinor: 0,
  };
  if (info.capHeight !== undefined) out.capHeight = info.capHeight;
  if (info.xHeight !== undefined) out.xHeight = info.xHeight;
  return out;
}

/**
 * UFO 3's user-name-to-file-name convention: an upper-case letter gets `_` after it, characters
 * illegal in file names and a leading `.` become `_`, and a clash (case-insensitive) gets a number.
 */
export function glyphFileName(name: string, taken: Set<string>): string {
  const illegal = (c: string) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"*+/:<>?[\\]|'.includes(c);
  let base = [...name].map((c) => (/[A-Z]/.test(c) ? c + '_' : illegal(c) ? '_' : c)).join('');
  if (base.startsWith('.')) base = '_' + base.slice(1);
  let file = `${base}.glif`;
  for (let k = 1; taken.has(file.toLowerCase()); k++) file = `${base}${String(k).padStart(15, '0')}.glif`;
  taken.add(file.toLowerCase());
  return file;
}

/** One glyph as GLIF 2. */
export function toGlif(g: FontGlyph): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<glyph name="${xml(g.name)}" format="2">`, `  <advance width="${g.advanceWidth}"/>`];
  if (g.unicode !== undefined) lines.push(`  <unicode hex="${g.unicode.toString(16).toUpperCase().padStart(4, '0')}"/>`);
  if (g.contours.length > 0) {
    lines.push('  <outline>');
    for (const c of g.contours) {
      lines.push('    <contour>');
      const n = c.points.length;
      c.points.forEach((p, i) => {
        const type = p.on ? ` type="${segmentType(c.points[(i - 1 + n) % n], g.kind)}"` : '';
        lines.push(`      <point x="${p.x}" y="${p.y}"${type}/>`);
      });
      lines.push('    </contour>');
    }
    lines.push('  </outline>');
  }
  lines.push('</glyph>');
  return lines.join('\n') + '\n';
}

function segmentType(prev: FontPoint, kind: FontGlyph['kind']): string {
  if (prev.on) return 'line';
  return kind === 'quadratic' ? 'qcurve' : 'curve';
}

function plist(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    `<plist version="1.0">\n${body}\n</plist>\n`
  );
}

function dict(entries: Record<string, string | number | string[]>): string {
  const out = ['<dict>'];
  for (const [k, v] of Object.entries(entries)) {
    out.push(`<key>${xml(k)}</key>`);
    if (Array.isArray(v)) out.push('<array>', ...v.map((s) => `<string>${xml(s)}</string>`), '</array>');
    else if (typeof v === 'number') out.push(Number.isInteger(v) ? `<integer>${v}</integer>` : `<real>${v}</real>`);
    else out.push(`<string>${xml(v)}</string>`);
  }
  out.push('</dict>');
  return out.join('\n');
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---------------------------------------------------------------------------------------------
// Reading back (the files this writer makes; not a general UFO reader)
// ---------------------------------------------------------------------------------------------

/** A glyph read from GLIF: name, advance, code points and contours (`kind` from its point types). */
export interface GlifGlyph {
  name: string;
  advanceWidth: number;
  unicodes: number[];
  kind: FontGlyph['kind'];
  contours: FontContour[];
}

/**
 * Parses the GLIF files of a UFO map made by `toUfo` (glyph order from lib.plist).
 *
 * @example readUfoGlyphs(toUfo(font)).map((g) => g.name)
 * @throws ConicfitError BAD_MODEL when a file is missing or not of the shape written here.
 */
export function readUfoGlyphs(files: Record<string, string>): GlifGlyph[] {
  const contents = files['glyphs/contents.plist'];
  if (contents === undefined) throw new ConicfitError('BAD_MODEL', 'readUfoGlyphs: glyphs/contents.plist is missing');
  const map = new Map<string, string>();
  for (const m of contents.matchAll(/<key>([^<]*)<\/key>\s*<string>([^<]*)<\/string>/g)) map.set(unxml(m[1]), unxml(m[2]));
  const order = [...(files['lib.plist'] ?? '').matchAll(/<string>([^<]*)<\/string>/g)].map((m) => unxml(m[1]));
  return (order.length > 0 ? order : [...map.keys()]).map((name) => {
    const file = map.get(name);
    const text = file === undefined ? undefined : files[`glyphs/${file}`];
    if (text === undefined) throw new ConicfitError('BAD_MODEL', `readUfoGlyphs: no .glif file for glyph ${JSON.stringify(name)}`);
    return parseGlif(text);
  });
}

/** One GLIF file (format 2, as `toGlif` writes it). */
export function parseGlif(text: string): GlifGlyph {
  const name = /<glyph name="([^"]*)"/.exec(text)?.[1];
  if (name === undefined) throw new ConicfitError('BAD_MODEL', 'parseGlif: no <glyph name=…> element');
  const advanceWidth = Number(/<advance width="([^"]*)"/.exec(text)?.[1] ?? 0);
  const unicodes = [...text.matchAll(/<unicode hex="([0-9A-Fa-f]+)"/g)].map((m) => parseInt(m[1], 16));
  let kind: FontGlyph['kind'] = 'quadratic';
  const contours: FontContour[] = [];
  for (const c of text.matchAll(/<contour>([\s\S]*?)<\/contour>/g)) {
    const points: FontPoint[] = [];
    for (const p of c[1].matchAll(/<point x="(-?[\d.]+)" y="(-?[\d.]+)"(?: type="(\w+)")?\/>/g)) {
      if (p[3] === 'curve') kind = 'cubic';
      points.push({ x: Number(p[1]), y: Number(p[2]), on: p[3] !== undefined });
    }
    contours.push({ points });
  }
  return { name: unxml(name), advanceWidth, unicodes, kind, contours };
}

function unxml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&amp;/g, '&');
}
