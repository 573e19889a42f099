import { inflateSync } from 'node:zlib';

/** An image as rows of RGBA pixels, four bytes each. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RGB = 2;
const RGBA = 6;

/**
 * Decodes the PNGs a browser writes for a screenshot: 8-bit RGB or RGBA, not interlaced. Enough
 * for tests to look at what a page drew, without an image library.
 */
export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file');
  }

  let header: Buffer | undefined;
  const compressed: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = body;
    } else if (type === 'IDAT') {
      compressed.push(body);
    }

    offset += length + 12; // length, type and CRC around the body
  }

  if (header === undefined) {
    throw new Error('PNG without a header chunk');
  }

  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth, colour, , , interlace] = header.subarray(8, 13);
  if (depth !== 8 || (colour !== RGB && colour !== RGBA) || interlace !== 0) {
    throw new Error(`PNG of depth ${depth}, colour type ${colour}, interlace ${interlace}`);
  }

  const channels = colour === RGBA ? 4 : 3;
  const raw = unfilter(inflateSync(Buffer.concat(compressed)), width * channels, channels);
  return { width, height, rgba: toRgba(raw, channels) };
}

/** Undoes PNG's per-row filters: none, sub, up, average and Paeth. */
function unfilter(data: Buffer, stride: number, step: number): Uint8Array {
  const rows = data.length / (stride + 1);
  const out = new Uint8Array(rows * stride);
  for (let row = 0; row < rows; row++) {
    const filter = data.readUInt8(row * (stride + 1));
    const source = row * (stride + 1) + 1;
    const target = row * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= step ? (out[target + i - step] ?? 0) : 0;
      const up = row > 0 ? (out[target + i - stride] ?? 0) : 0;
      const upLeft = row > 0 && i >= step ? (out[target + i - stride - step] ?? 0) : 0;
      const predicted = predict(filter, left, up, upLeft);
      out[target + i] = ((data[source + i] ?? 0) + predicted) & 0xff;
    }
  }

  return out;
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4:
      return paeth(left, up, upLeft);
    default:
      throw new Error(`PNG row filter ${filter} is not one of 0 to 4`);
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) {
    return left;
  }

  return toUp <= toUpLeft ? up : upLeft;
}

function toRgba(raw: Uint8Array, channels: number): Uint8Array {
  if (channels === 4) {
    return raw;
  }

  const rgba = new Uint8Array((raw.length / 3) * 4);
  for (let i = 0, j = 0; i < raw.length; i += 3, j += 4) {
    rgba.set(raw.subarray(i, i + 3), j);
    rgba[j + 3] = 255;
  }

  return rgba;
}

/** What a picture shows, each as a share of its pixels, and how many colours it has. */
export interface PixelSummary {
  /** Pixels unlike the most common colour, the background. */
  inked: number;
  /** Dark pixels, as text is. */
  dark: number;
  /** Strongly coloured pixels, as a chart's are. */
  vivid: number;
  /** Distinct colours at 4 bits a channel. */
  colours: number;
}

const DARK_LUMA = 100;
const VIVID_SPREAD = 80;

export function summarizePixels(pixels: Pixels): PixelSummary {
  const counts = new Map<number, number>();
  const { rgba } = pixels;
  let dark = 0;
  let vivid = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const r = rgba[i] ?? 0;
    const g = rgba[i + 1] ?? 0;
    const b = rgba[i + 2] ?? 0;
    const key = (r >> 4) * 256 + (g >> 4) * 16 + (b >> 4);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    dark += 0.299 * r + 0.587 * g + 0.114 * b < DARK_LUMA ? 1 : 0;
    vivid += Math.max(r, g, b) - Math.min(r, g, b) > VIVID_SPREAD ? 1 : 0;
  }

  const total = rgba.length / 4;
  const background = Math.max(...counts.values());
  return {
    inked: (total - background) / total,
    dark: dark / total,
    vivid: vivid / total,
    colours: counts.size,
  };
}
