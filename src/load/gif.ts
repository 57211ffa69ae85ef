/**
 * The GIF decoder: the first frame of a GIF as RGBA pixels, exactly as jimp's GIF codec
 * (@jimp/js-gif → omggif's `decodeAndBlitFrameRGBA`) gives it, without its console output.
 *
 * Reads: GIF bytes that passed the guards (guards.ts). Produces: the logical screen's RGBA pixels
 * with the first frame blitted in (pixels outside it, and transparent ones, stay 0 0 0 0).
 * Why not jimp's codec: omggif reports an LZW stream shorter or longer than its frame with
 * `console.log`, which landed in the caller's stdout (and the command line's `--report`); silencing
 * it meant patching `console.log` for the whole process. Here omggif only parses the blocks
 * (`GifReader`, which prints nothing); the LZW stream is decoded by `gifLzw`, a replay of
 * omggif's own loop that also serves the hang guard, and the frame is blitted as omggif does.
 */
import omggif from 'omggif';

/** How an LZW stream ends against its frame (`gifLzw`); 'loops' = the decoder would hang. */
export type GifLzwEnd = 'exact' | 'short' | 'long' | 'loops';

/** The first frame of `bytes`, blitted on its logical screen as RGBA. Throws an Error on a corrupt file. */
export function decodeGif(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const reader = new omggif.GifReader(bytes);
  const { width, height } = reader;
  const frame = reader.frameInfo(0);
  if (frame.x + frame.width > width || frame.y + frame.height > height) throw new Error('the first frame lies outside its screen');
  const indices = new Uint8Array(frame.width * frame.height); // at most 8-bit indices
  if (gifLzw(bytes, frame.data_offset, indices.length, indices) === 'loops') throw new Error('its LZW code table refers to itself');
  const pixels = new Uint8Array(width * height * 4);
  // omggif's blit: rows of the frame rectangle, the interlaced passes rows 0, 4, 2, 1 mod 8.
  const palette = frame.palette_offset ?? 0; // omggif reads a missing palette from offset 0 (null + i)
  const trans = frame.transparent_index ?? 256;
  const frameWidth = frame.width;
  const frameStride = width - frameWidth;
  let xleft = frameWidth;
  const opbeg = (frame.y * width + frame.x) * 4;
  const opend = ((frame.y + frame.height) * width + frame.x) * 4;
  let op = opbeg;
  let scanstride = frameStride * 4;
  if (frame.interlaced === true) scanstride += width * 4 * 7;
  let interlaceskip = 8;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (xleft === 0) {
      op += scanstride;
      xleft = frameWidth;
      if (op >= opend) {
        scanstride = frameStride * 4 + width * 4 * (interlaceskip - 1);
        op = opbeg + (frameWidth + frameStride) * (interlaceskip << 1);
        interlaceskip >>= 1;
      }
    }
    if (index === trans) {
      op += 4;
    } else {
      pixels[op++] = bytes[palette + index * 3];
      pixels[op++] = bytes[palette + index * 3 + 1];
      pixels[op++] = bytes[palette + index * 3 + 2];
      pixels[op++] = 255;
    }
    --xleft;
  }
  return { width, height, data: pixels };
}

/**
 * omggif's LZW decoder, replayed exactly: the same table updates and the same stops, writing the
 * colour indices to `output` when given. It returns how the stream ended: 'exact' (the frame
 * filled), 'short' (data ran out first; the rest stays index 0), 'long' (a code would overrun the
 * frame; omggif stops there, and so does this) or 'loops'. omggif keeps its code table as prefix
 * links and follows them until it reaches a root code; a malformed stream (a code beyond the next
 * free one, or right after a clear code) makes it store an entry whose prefix is itself, and then
 * the next use of that entry never ends (a 40-byte file hung the process). Here a link chain
 * longer than the table (a cycle) ends the replay with 'loops'. Cost: one pass over the codes.
 */
export function gifLzw(stream: Uint8Array, start: number, outputLength: number, output?: Uint8Array): GifLzwEnd {
  const at = (i: number): number => stream[i]; // undefined past the end, as in the decoder
  let p = start;
  const minCodeSize = at(p++);
  const clearCode = 1 << minCodeSize;
  const eoiCode = clearCode + 1;
  let nextCode = eoiCode + 1;
  let codeSize = minCodeSize + 1;
  let codeMask = (1 << codeSize) - 1;
  let shift = 0;
  let cur = 0;
  let op = 0;
  let subblock = at(p++);
  const table = new Int32Array(4096);
  let prev: number | null = null;
  for (;;) {
    while (shift < 16) {
      if (subblock === 0) break;
      cur |= at(p++) << shift;
      shift += 8;
      if (subblock === 1) subblock = at(p++);
      else --subblock;
    }
    if (shift < codeSize) break;
    const code = cur & codeMask;
    cur >>= codeSize;
    shift -= codeSize;
    if (code === clearCode) {
      nextCode = eoiCode + 1;
      codeSize = minCodeSize + 1;
      codeMask = (1 << codeSize) - 1;
      prev = null;
      continue;
    } else if (code === eoiCode) {
      break;
    }
    // After a clear code prev is null, and so are chaseCode and k here, as in omggif (written as 0).
    const chaseCode: number = code < nextCode ? code : (prev as number);
    let length = 0;
    let chase = chaseCode;
    while (chase > clearCode) {
      chase = table[chase] >> 8;
      if (++length > 4096) return 'loops';
    }
    const k = chase;
    const end = op + length + (chaseCode !== code ? 1 : 0);
    if (end > outputLength) return 'long'; // omggif: "stream longer than expected"
    if (output) {
      // The entry is written backwards from its end, then {CODE-1} + k gets k at its end.
      output[op] = k;
      let b = op + 1 + length;
      if (chaseCode !== code) output[b] = k;
      chase = chaseCode;
      for (let n = length; n > 0; n--) {
        chase = table[chase];
        output[--b] = chase & 0xff;
        chase >>= 8;
      }
    }
    op = end + 1;
    if (prev !== null && nextCode < 4096) {
      table[nextCode++] = (prev << 8) | k;
      if (nextCode >= codeMask + 1 && codeSize < 12) {
        ++codeSize;
        codeMask = (codeMask << 1) | 1;
      }
    }
    prev = code;
  }
  return op === outputLength ? 'exact' : 'short'; // omggif: "stream shorter than expected"
}
