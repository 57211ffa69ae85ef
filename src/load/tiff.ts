/**
 * The TIFF decoder: the first page of a TIFF as RGBA pixels, through UTIF (utif2, the codec jimp's
 * TIFF plugin wraps), with two of its faults worked around (docs/design.md §16.3).
 *
 * Reads: TIFF bytes that passed the guards (guards.ts). Produces: the first page's RGBA pixels.
 * Why not jimp's codec: it decodes every page (only the first is used) and inherits both faults:
 * - a greyscale JPEG-compressed page (compression 7, one sample, BlackIsZero; what scanners and
 *   ImageMagick write) came out as garbage: UTIF's JPEG decoder always writes RGB (`forceRGB`),
 *   three bytes a pixel, into a buffer sized for one, so the page held the top third of the image,
 *   each row spread over three (a 24 × 20 square read as stripes; a scanned glyph traced as 154
 *   contours with only a LOW_FIDELITY warning). Presented as RGB, the page decodes right.
 * - a tiled page printed `==== <tiles across> <tiles down>` on `console.log`, i.e. into the
 *   caller's stdout. The decode is one synchronous call, so `console.log` is swapped out for just
 *   that call: no other code can run (or print) in between.
 */
/**
 * The first page of `bytes` as RGBA. Throws an Error on a file UTIF cannot read. UTIF is imported
 * when first needed, as jimp is (decode-node.ts).
 */
export async function decodeTiff(bytes: Uint8Array): Promise<{ width: number; height: number; data: Uint8Array }> {
  const UTIF = (await import('utif2')).default;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const page = UTIF.decode(buffer)[0];
  if (!page) throw new Error('no page found');
  const tag = (t: number) => page[`t${t}`] as number[] | undefined;
  if (!tag(256) || !tag(257)) throw new Error('the first page has no width or height');
  if (tag(259)?.[0] === 7 && (tag(277)?.[0] ?? 1) === 1 && tag(262)?.[0] === 1 && (tag(258)?.[0] ?? 8) === 8) {
    page.t277 = [3];
    page.t258 = [8, 8, 8];
    page.t262 = [2];
  }
  const log = console.log;
  console.log = () => {};
  try {
    UTIF.decodeImage(buffer, page);
  } finally {
    console.log = log;
  }
  return { width: page.width, height: page.height, data: UTIF.toRGBA8(page) };
}
