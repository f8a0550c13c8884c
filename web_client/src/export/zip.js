// A tiny store-only ZIP writer (no compression: PNG and GIF are compressed already), for "download all".
// Pure: [{name, data: Uint8Array}] in, the archive's bytes out.

let CRC_TABLE = null;

export function crc32(data) {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 255] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The archive of `files` ([{name, data}]): local headers + data, a central directory, the end record. */
export function zipStore(files) {
  const enc = new TextEncoder();
  const chunks = [];
  const central = [];
  let offset = 0;
  const u16 = (v, n) => { v.push(n & 255, (n >>> 8) & 255); };
  const u32 = (v, n) => { v.push(n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255); };
  for (const f of files) {
    const name = enc.encode(f.name);
    const crc = crc32(f.data);
    const head = [];
    u32(head, 0x04034b50); u16(head, 20); u16(head, 0x0800); u16(head, 0); // version, UTF-8 names, stored
    u16(head, 0); u16(head, 0x21); // time 00:00, date 1980-01-01
    u32(head, crc); u32(head, f.data.length); u32(head, f.data.length); u16(head, name.length); u16(head, 0);
    chunks.push(Uint8Array.from(head), name, f.data);
    const dir = [];
    u32(dir, 0x02014b50); u16(dir, 20); u16(dir, 20); u16(dir, 0x0800); u16(dir, 0);
    u16(dir, 0); u16(dir, 0x21);
    u32(dir, crc); u32(dir, f.data.length); u32(dir, f.data.length); u16(dir, name.length);
    u16(dir, 0); u16(dir, 0); u16(dir, 0); u16(dir, 0); u32(dir, 0); u32(dir, offset);
    central.push(Uint8Array.from(dir), name);
    offset += head.length + name.length + f.data.length;
  }
  const dirSize = central.reduce((s, c) => s + c.length, 0);
  const end = [];
  u32(end, 0x06054b50); u16(end, 0); u16(end, 0); u16(end, files.length); u16(end, files.length);
  u32(end, dirSize); u32(end, offset); u16(end, 0);
  const all = [...chunks, ...central, Uint8Array.from(end)];
  const out = new Uint8Array(all.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of all) { out.set(c, at); at += c.length; }
  return out;
}
