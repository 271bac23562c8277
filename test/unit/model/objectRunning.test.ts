// The object whose code makes a reference (model/moduleImports.ts objectRunningIn): the klp
// relocation section a klp symbol for it would go in. Looked up per reference, for every use of a
// module export and every unexported symbol of a livepatch: a few searches, then an index, not a
// search of every function per reference.
import { describe, expect, it } from 'vitest';
import { location, lineRange } from '../../../server/src/common/range';
import type { Livepatch, PatchedFunction, SymbolReference } from '../../../server/src/model/livepatch';
import { objectRunningIn } from '../../../server/src/model/moduleImports';
import { countingProperties } from '../../helpers/scaling';

const at = location('lp.c', lineRange(0, 1));
const fn = (object: string, name: string): PatchedFunction => ({ object, name, sympos: 0, newFunc: `livepatch_${name}`, location: at });
const ref = (inFunction?: string): SymbolReference => ({ name: 'sym', location: at, ...(inFunction !== undefined && { inFunction }) }) as SymbolReference;
const livepatch = (objects: Array<{ object: string; funcs: PatchedFunction[] }>): Livepatch =>
  ({ objects: objects.map((o) => ({ ...o, declaredName: o.object, location: at, hasFuncs: true, callbacks: [] })) }) as unknown as Livepatch;

describe('objectRunningIn', () => {
  it('gives the object of the function whose new_func makes the reference (the first such), else the only object patched', () => {
    const two = livepatch([
      { object: 'vmlinux', funcs: [fn('vmlinux', 'a')] },
      { object: 'cdrom', funcs: [fn('cdrom', 'b'), fn('cdrom', 'a')] },
    ]);
    const running = objectRunningIn(two);
    expect([running(ref('livepatch_a')), running(ref('livepatch_b')), running(ref('elsewhere')), running(ref())]).toEqual(['vmlinux', 'cdrom', undefined, undefined]);
    const one = objectRunningIn(livepatch([{ object: 'cdrom', funcs: [fn('cdrom', 'b')] }]));
    expect([one(ref('elsewhere')), one(ref())]).toEqual(['cdrom', 'cdrom']);
  });

  it('reads the functions a bounded number of times for any number of references, and as far as the first match for a few', () => {
    const reads = { count: 0 };
    const funcs = Array.from({ length: 500 }, (_, i) => countingProperties(fn(i % 2 ? 'cdrom' : 'vmlinux', `f${i}`), ['newFunc'], reads));
    const running = objectRunningIn(livepatch([{ object: 'vmlinux', funcs: funcs.filter((_, i) => i % 2 === 0) }, { object: 'cdrom', funcs: funcs.filter((_, i) => i % 2) }]));
    expect(running(ref('livepatch_f0'))).toBe('vmlinux');
    expect(reads.count).toBe(1);
    for (let i = 0; i < 100; i++) expect(running(ref(`livepatch_f${i * 5}`))).toBe(i % 2 ? 'cdrom' : 'vmlinux');
    // Eight searches of at most 500, then one pass: not a search per reference (up to 50,000 reads).
    expect(reads.count).toBeLessThanOrEqual(9 * 500);
  });
});
