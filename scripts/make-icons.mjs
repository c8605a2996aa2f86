// Draws the toolbar icon (a magnifying lens over a log's ledger lines) as PNGs: public/icons/icon-N.png.
// Run once with `node scripts/make-icons.mjs`; the PNGs are committed. No dependencies: zlib + CRC.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // 4×4 supersampling for smooth edges
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const [pr, pg, pb, pa] = pixel((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size);
          r += pr * pa;
          g += pg * pa;
          b += pb * pa;
          a += pa;
        }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((a / 16) * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BLUE = [31, 95, 191],
  INK = [36, 41, 47],
  PAPER = [246, 248, 250];
function icon(u, v) {
  const cx = 0.42,
    cy = 0.42,
    dx = u - cx,
    dy = v - cy,
    d = Math.hypot(dx, dy);
  // handle: from the lens towards the bottom right
  const t = (u - 0.62 + (v - 0.62)) / 2,
    along = Math.abs(u - 0.62 - (v - 0.62)) / Math.SQRT2;
  if (t > 0 && t < 0.26 && along < 0.07) return [...INK, 1];
  if (d > 0.27 && d < 0.37) return [...BLUE, 1]; // ring
  if (d <= 0.27) {
    // ledger lines inside the lens
    const line = [0.32, 0.42, 0.52].some((ly) => Math.abs(v - ly) < 0.025 && u > cx - 0.16 && u < cx + 0.16);
    return line ? [...INK, 1] : [...PAPER, 1];
  }
  return [0, 0, 0, 0];
}

mkdirSync('public/icons', { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`public/icons/icon-${size}.png`, png(size, icon));
console.log('wrote public/icons/icon-{16,32,48,128}.png');
