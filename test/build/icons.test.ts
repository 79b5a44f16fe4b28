import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from './builder';

const resources = join(PROJECT_DIR, 'resources');
const read = (...parts: string[]): Buffer => readFileSync(join(resources, ...parts));

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngInfo(png: Buffer): { width: number; height: number; colourType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png.readUInt8(25) };
}

describe('icons', () => {
  it('are generated from the current resources/icon.svg (run `node scripts/make-icons.mjs` after editing it)', () => {
    const hash = createHash('sha256').update(read('icon.svg').toString('utf8').replace(/\r\n/g, '\n')).digest('hex');
    expect(read('icon.svg.sha256').toString('utf8').trim()).toBe(hash);
  });

  it.each([16, 24, 32, 48, 64, 128, 256, 512, 1024])('has a %ipx PNG with transparency for Linux', (size) => {
    expect(pngInfo(read('icons', `${size}x${size}.png`))).toEqual({ width: size, height: size, colourType: 6 });
  });

  it('has a Windows .ico with PNG entries from 16 to 256 px', () => {
    const ico = read('icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const at = 6 + 16 * i;
      const stated = ico.readUInt8(at) || 256;
      const length = ico.readUInt32LE(at + 8);
      const offset = ico.readUInt32LE(at + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const info = pngInfo(ico.subarray(offset, offset + length));
      expect([info.width, info.height]).toEqual([stated, stated]);
      sizes.push(stated);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('has a macOS .icns with every size up to 1024 px, @2x included', () => {
    const icns = read('icon.icns');
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const entries = new Map<string, number>();
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('ascii', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      expect(length).toBeGreaterThan(8);
      entries.set(type, pngInfo(icns.subarray(at + 8, at + length)).width);
      at += length;
    }
    expect(Object.fromEntries(entries)).toEqual({
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512,
    });
  });
});
