/** The part of omggif (jimp's GIF decoder, CommonJS, untyped) that src/load/gif.ts uses. */
declare module 'omggif' {
  export interface GifFrameInfo {
    x: number;
    y: number;
    width: number;
    height: number;
    /** Offset of the frame's palette (local, else global) in the file; null when the file has none. */
    palette_offset: number | null;
    /** Offset of the LZW minimum code size byte. */
    data_offset: number;
    transparent_index: number | null;
    interlaced: boolean;
  }
  export class GifWriter {
    constructor(buf: Uint8Array, width: number, height: number, options?: { palette?: number[] });
    addFrame(x: number, y: number, w: number, h: number, indices: ArrayLike<number>, options?: { palette?: number[]; transparent?: number }): number;
    end(): number;
  }
  export class GifReader {
    constructor(buf: Uint8Array);
    readonly width: number;
    readonly height: number;
    frameInfo(frame: number): GifFrameInfo;
  }
  const omggif: { GifReader: typeof GifReader; GifWriter: typeof GifWriter };
  export default omggif;
}
