import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes, hashName, NameHashes } from '../../../server/src/kernel/nameHashes';

describe('nameHashes', () => {
  it('hashes a name as its bytes in the symbol name table (latin1)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)) }), (name) => {
        const bytes = Buffer.concat([Buffer.from('x\0'), Buffer.from(name, 'latin1'), Buffer.from('\0')]);
        expect(hashBytes(bytes, 2, 2 + name.length)).toBe(hashName(name));
      }),
    );
    expect(hashName('cdrom_open')).not.toBe(hashName('cdrom_open.cold'));
  });

  it('gives every position added with a hash, each once, ascending, across growth and shared hashes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.nat(5000)), { maxLength: 6000 }), (pairs) => {
        const hashes = new NameHashes();
        // Hashes that share their low bits: the probe sequences collide.
        for (const [h, p] of pairs) hashes.add(h * 0x10000, p);
        for (let h = 0; h <= 40; h++) {
          const expected = [...new Set(pairs.filter(([k]) => k === h).map(([, p]) => p))].sort((a, b) => a - b);
          expect(hashes.candidates(h * 0x10000)).toEqual(expected);
        }
        expect(hashes.candidates(41 * 0x10000)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
