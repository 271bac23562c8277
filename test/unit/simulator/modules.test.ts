// Late module patching: kernel/livepatch/core.c klp_module_coming() / klp_module_going().
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SymbolCounter } from '../../../server/src/simulator/types';
import { disable, fn, load, loadModule, patch, patches, unloadModule } from './builders';

const a = patch('a', { funcs: ['m:f', 'g'] });
const b = patch('b', { funcs: ['m:f'] });

describe('a module that loads after its livepatches', () => {
  it('is patched by every enabled patch, oldest first, so the newest ends on top', () => {
    const r = simulate([load(a), load(b), loadModule('m')], { initiallyUnloaded: ['m'] });
    expect(r[1].functions).toEqual([fn('m:f', []), fn('g', ['a'])]);
    expect(r[2].ok).toBe(true);
    expect(r[2].functions).toEqual([fn('m:f', ['b', 'a']), fn('g', ['a'])]);
  });

  it('is not patched by disabled patches', () => {
    const r = simulate([load(a), load(b), disable('b'), loadModule('m')], { initiallyUnloaded: ['m'] });
    expect(r[3].functions).toEqual([fn('m:f', ['a']), fn('g', ['a'])]);
  });

  it('is refused when one of its functions does not resolve; earlier patches are reverted', () => {
    const count: SymbolCounter = (object, name) => (object === 'm' && name === 'h' ? 0 : undefined);
    const c = patch('c', { funcs: ['m:h'] });
    const r = simulate([load(a), load(c), loadModule('m')], { initiallyUnloaded: ['m'], countSymbol: count });
    expect(r[2].ok).toBe(false);
    expect(r[2].error?.split('\n')).toEqual([
      "livepatch: symbol 'h' not found in symbol table",
      "livepatch: failed to initialize patch 'c' for module 'm' (-22)",
      "livepatch: patch 'c' failed for module 'm', refusing to load module 'm'",
      'insmod: ERROR: could not insert module m.ko: Invalid parameters',
    ]);
    expect(r[2].functions).toEqual(r[1].functions);
    // Still not loaded: a later attempt is a fresh load, not "File exists".
    const again = simulate([load(a), load(c), loadModule('m'), loadModule('m')], {
      initiallyUnloaded: ['m'],
      countSymbol: count,
    });
    expect(again[3].error).toContain("symbol 'h' not found");
  });
});

describe('a module that unloads', () => {
  it('takes its functions off every stack; vmlinux stays patched', () => {
    const r = simulate([load(a), load(b), unloadModule('m')]);
    expect(r[1].functions).toEqual([fn('m:f', ['b', 'a']), fn('g', ['a'])]);
    expect(r[2].ok).toBe(true);
    expect(r[2].functions).toEqual([fn('m:f', []), fn('g', ['a'])]);
    expect(r[2].patches).toEqual(patches('a', 'b'));
  });

  it('is patched again when it comes back', () => {
    const r = simulate([load(a), unloadModule('m'), load(b), loadModule('m')]);
    expect(r[3].functions).toEqual([fn('m:f', ['b', 'a']), fn('g', ['a'])]);
  });

  it('can be a module no patch names', () => {
    const r = simulate([load(a), unloadModule('other'), loadModule('other')]);
    expect(r.map((x) => x.ok)).toEqual([true, true, true]);
  });
});

describe('module steps on unknown or wrong targets', () => {
  it('refuses to load a module that is already loaded (every module counts as loaded unless initiallyUnloaded)', () => {
    const [r] = simulate([loadModule('m')]);
    expect(r).toMatchObject({ ok: false, error: 'insmod: ERROR: could not insert module m.ko: File exists' });
  });

  it('refuses to unload a module that is not loaded', () => {
    const [r] = simulate([unloadModule('m')], { initiallyUnloaded: ['m'] });
    expect(r).toMatchObject({ ok: false, error: 'rmmod: ERROR: Module m is not currently loaded' });
  });

  it('refuses vmlinux both ways', () => {
    const r = simulate([loadModule('vmlinux'), unloadModule('vmlinux')]);
    expect(r[0].error?.split('\n')).toEqual([
      'livepatch: vmlinux.ko: invalid module name',
      'insmod: ERROR: could not insert module vmlinux.ko: Invalid parameters',
    ]);
    expect(r[1].error).toBe('rmmod: ERROR: Module vmlinux is not currently loaded');
  });

  it('sends a livepatch module to the unload step', () => {
    const r = simulate([load(a), unloadModule('a')]);
    expect(r[1].ok).toBe(false);
    expect(r[1].error).toContain("'unload' step");
  });
});
