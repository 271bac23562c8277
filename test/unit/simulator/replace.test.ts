// Atomic replace: klp_add_nops() / klp_find_func() and klp_complete_transition()
// (kernel/livepatch/core.c, transition.c).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { disable, fn, load, loadModule, patch, patches, unload, unloadModule } from './builders';

describe('a replace patch', () => {
  it('disables every installed patch, replace or not, and names itself in their replacedBy', () => {
    const r = simulate([
      load(patch('a', { funcs: ['f'] })),
      load(patch('b', { replace: true, funcs: ['g'] })),
      load(patch('c', { funcs: ['h'] })),
      load(patch('d', { replace: true, funcs: ['g'] })),
    ]);
    expect(r[1].patches).toEqual(patches('a>b', 'R:b'));
    expect(r[3].patches).toEqual(patches('a>b', 'R:b>d', 'c>d', 'R:d'));
    expect(r[3].functions).toEqual([fn('f', []), fn('g', ['d']), fn('h', [])]);
  });

  it('lets the original run where only the old patches changed a function (the nops are discarded)', () => {
    const r = simulate([load(patch('a', { funcs: ['f', 'g'] })), load(patch('b', { replace: true, funcs: ['g'] }))]);
    expect(r[1].functions).toEqual([fn('f', []), fn('g', ['b'])]);
    expect(r[1].functions.every((f) => f.stack.length === 0 || f.active === f.stack[0])).toBe(true);
  });

  it('leaves disabled patches alone (they are no longer installed)', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), disable('a'), load(patch('b', { replace: true, funcs: ['g'] }))]);
    expect(r[2].patches).toEqual(patches('-a', 'R:b'));
  });

  it('replaces an empty stack too: a replace patch with no functions reverts everything', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true }))]);
    expect(r[1].ok).toBe(true);
    expect(r[1].functions).toEqual([fn('f', [])]);
  });

  it('can be disabled afterwards; the replaced patches stay disabled', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true, funcs: ['f'] })), disable('b')]);
    expect(r[2].patches).toEqual(patches('a>b', 'R:-b'));
    expect(r[2].functions).toEqual([fn('f', [])]);
  });

  it('makes the replaced patches removable with rmmod (their module reference is dropped)', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true, funcs: ['f'] })), unload('a')]);
    expect(r[2].ok).toBe(true);
    expect(r[2].patches).toEqual(patches('R:b'));
  });

  it('cannot disable a patch it replaced', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true, funcs: ['f'] })), disable('a')]);
    expect(r[2]).toMatchObject({ ok: false, error: 'bash: /sys/kernel/livepatch/a/enabled: No such file or directory' });
  });

  it('covers objects of modules that are not loaded: the module later loads unpatched', () => {
    const r = simulate(
      [load(patch('a', { funcs: ['m:f'] })), load(patch('b', { replace: true, funcs: ['g'] })), loadModule('m')],
      { initiallyUnloaded: ['m'] },
    );
    expect(r[1].patches).toEqual(patches('a>b', 'R:b'));
    expect(r[2].ok).toBe(true);
    expect(r[2].functions).toEqual([fn('m:f', []), fn('g', ['b'])]);
  });

  it('replaces late-patched module functions after the module went away and came back', () => {
    const b = patch('b', { replace: true, funcs: ['m:f'] });
    const r = simulate([load(patch('a', { funcs: ['m:f'] })), unloadModule('m'), load(b), loadModule('m')]);
    expect(r[3].functions).toEqual([fn('m:f', ['b'])]);
  });
});

describe('nop matching by sympos (klp_find_func)', () => {
  // Since "livepatch: Match old_sympos 0 and 1 in klp_find_func()" (6.19; 6.12.64, Debian's
  // 6.1.170) klp_find_func() counts old_sympos 0 and 1 as the same function. Before it, the
  // nop "f,1" collides with the new patch's own "f,1" directory and the replace patch fails.
  it('matches sympos 0 with 1: the new func replaces the old one and the patch loads', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true, funcs: ['f,1'] }))]);
    expect(r[1].ok).toBe(true);
    expect(r[1].functions).toEqual([fn('f,1', ['b'])]);
  });

  it('matches sympos 1 with 0 the other way round', () => {
    const r = simulate([load(patch('a', { funcs: ['f,1'] })), load(patch('b', { replace: true, funcs: ['f'] }))]);
    expect(r[1].ok).toBe(true);
    expect(r[1].functions).toEqual([fn('f', ['b'])]);
  });

  it('does not match sympos 1 with 2: a nop reverts the second f', () => {
    const r = simulate([load(patch('a', { funcs: ['f,2'] })), load(patch('b', { replace: true, funcs: ['f,1'] }))]);
    expect(r[1].ok).toBe(true);
    expect(r[1].functions).toEqual([fn('f,1', ['b']), fn('f,2', [])]);
  });

  it('before that change, matches the same old_sympos only: the nop for f,0 and the new f,1 make one sysfs entry twice (-EEXIST)', () => {
    const rules = { symposZeroIsOne: false, clearsModuleRelocations: false, patchAttributes: [], kobjectLogPrefix: false };
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('b', { replace: true, funcs: ['f,1'] }))], { rules });
    expect(r[1].ok).toBe(false);
    expect(r[1].error).toMatch(/sysfs: cannot create duplicate filename '\/kernel\/livepatch\/b\/vmlinux\/f,1'/);
    expect(r[1].functions).toEqual([fn('f', ['a'])]);
    // The same spelling matches alike.
    expect(simulate([load(patch('a', { funcs: ['f,1'] })), load(patch('b', { replace: true, funcs: ['f,1'] }))], { rules })[1].ok).toBe(true);
  });

  it('matches by object too: the same name in another object gets its own nop', () => {
    const r = simulate([load(patch('a', { funcs: ['m:f'] })), load(patch('b', { replace: true, funcs: ['f'] }))]);
    expect(r[1].functions).toEqual([fn('m:f', []), fn('f', ['b'])]);
  });
});
