// A small animated-GIF encoder (GIF89a, one global 256-colour palette, LZW), for the gallery's replays.
// Pure: RGBA frames in, bytes out; no DOM. The palette holds the board's colours exactly (canvas.js
// COLORS, white and black first), then a 6x6x6 colour cube and greys; other pixels (anti-aliased edges,
// captions) go to the nearest entry through a 15-bit lookup table.

/** The palette: `fixed` colours ("#rrggbb") first, then a 6x6x6 cube, then greys, 256 entries. */
export function makePalette(fixed = []) {
  const out = [];
  const seen = new Set();
  const add = (r, g, b) => {
    const key = (r << 16) | (g << 8) | b;
    if (out.length < 256 && !seen.has(key)) { seen.add(key); out.push([r, g, b]); }
  };
  for (const hex of ["#ffffff", "#000000", ...fixed]) {
    const n = parseInt(hex.slice(1), 16);
    add((n >> 16) & 255, (n >> 8) & 255, n & 255);
  }
  for (let r = 0; r < 6; r++) for (let g = 0; g < 6; g++) for (let b = 0; b < 6; b++) add(r * 51, g * 51, b * 51);
  for (let v = 8; out.length < 256; v += 9) add(v & 255, v & 255, v & 255);
  return out;
}

/** A function mapping (r, g, b) to the nearest palette index (squared distance), cached per 15-bit colour. */
export function quantizer(palette) {
  const table = new Int16Array(1 << 15).fill(-1);
  return (r, g, b) => {
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    let best = table[key];
    if (best >= 0) return best;
    let dist = Infinity;
    for (let i = 0; i < palette.length; i++) {
      const [pr, pg, pb] = palette[i];
      const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
      if (d < dist) { dist = d; best = i; }
    }
    table[key] = best;
    return best;
  };
}

/** RGBA bytes (opaque; alpha is ignored) -> palette indices. */
export function indexFrame(rgba, quantize) {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = quantize(rgba[i], rgba[i + 1], rgba[i + 2]);
  return out;
}

/** GIF's variable-width LZW (min code size 8), as sub-blocks of at most 255 bytes, terminated. */
export function lzw(indices) {
  const MIN = 8;
  const clear = 1 << MIN;
  const eoi = clear + 1;
  const bytes = [];
  let size = MIN + 1;
  let next = eoi + 1;
  let dict = new Map();
  let acc = 0;
  let nbits = 0;
  const emit = (code) => {
    acc |= code << nbits;
    nbits += size;
    while (nbits >= 8) { bytes.push(acc & 255); acc >>>= 8; nbits -= 8; }
  };
  emit(clear);
  let prefix = indices[0];
  for (let i = 1; i < indices.length; i++) {
    const k = indices[i];
    const key = (prefix << 8) | k;
    const hit = dict.get(key);
    if (hit !== undefined) { prefix = hit; continue; }
    emit(prefix);
    if (next === 4096) { // table full: start over (the decoder does the same on the clear code)
      emit(clear);
      dict = new Map();
      size = MIN + 1;
      next = eoi + 1;
    } else {
      if (next >= 1 << size) size++; // the decoder widens when its table reaches this size
      dict.set(key, next++);
    }
    prefix = k;
  }
  emit(prefix);
  emit(eoi);
  if (nbits > 0) bytes.push(acc & 255);
  const out = [];
  for (let i = 0; i < bytes.length; i += 255) {
    const chunk = bytes.slice(i, i + 255);
    out.push(chunk.length, ...chunk);
  }
  out.push(0);
  return out;
}

const le16 = (n) => [n & 255, (n >> 8) & 255];

/**
 * An animated GIF: `frames` = [{indices: Uint8Array(width*height), delay: hundredths of a second}],
 * looping forever. Returns the file's bytes.
 */
export function encodeGif(width, height, palette, frames) {
  const parts = [];
  const push = (arr) => parts.push(arr instanceof Uint8Array ? arr : Uint8Array.from(arr));
  push([..."GIF89a"].map((c) => c.charCodeAt(0)));
  push([...le16(width), ...le16(height), 0xf7, 0, 0]); // global table of 2^(7+1) colours
  const table = new Uint8Array(256 * 3);
  palette.slice(0, 256).forEach(([r, g, b], i) => table.set([r, g, b], i * 3));
  push(table);
  push([0x21, 0xff, 0x0b, ..."NETSCAPE2.0"].map((c) => (typeof c === "string" ? c.charCodeAt(0) : c)));
  push([0x03, 0x01, 0x00, 0x00, 0x00]); // loop forever
  for (const f of frames) {
    push([0x21, 0xf9, 0x04, 0x04, ...le16(Math.max(2, Math.round(f.delay))), 0x00, 0x00]); // keep, no transparency
    push([0x2c, 0, 0, 0, 0, ...le16(width), ...le16(height), 0x00, 8]);
    push(lzw(f.indices));
  }
  push([0x3b]);
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
