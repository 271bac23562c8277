// A function ftrace cannot attach to cannot be patched: kernel/livepatch/patch.c
// klp_patch_func() (ftrace_location()), __klp_enable_patch() and klp_module_coming().
// Found by the oracle (scenario sympos-vmlinux-s_show): the third s_show of Debian's 6.1
// vmlinux is kernel/trace/trace.c's, and kernel/trace/ is built without ftrace.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { FtraceLocator, SymbolCounter } from '../../../server/src/simulator/types';
import { disable, fn, load, loadModule, patch, patches } from './builders';

const count: SymbolCounter = (_object, name) => (name === 's_show' ? 4 : name === 'dup' ? 2 : 1);
const traced: FtraceLocator = (_object, name, position) => !(name === 's_show' && position === 3) && !(name === 'dup' && position === 2);

describe('a function without an ftrace location', () => {
  it('makes the patch fail at enable time, with the lines of klp_patch_func() and __klp_enable_patch()', () => {
    const r = simulate([load(patch('a', { funcs: ['s_show,3'] }))], { countSymbol: count, hasFtraceLocation: traced });
    expect(r[0].ok).toBe(false);
    expect(r[0].error?.split('\n')).toEqual([
      "livepatch: failed to find location for function 's_show'",
      "livepatch: failed to patch object 'vmlinux'",
      "livepatch: failed to enable patch 'a'",
      'insmod: ERROR: could not insert module a.ko: Invalid parameters',
    ]);
    expect(r[0].patches).toEqual([]);
  });

  it('leaves the other definitions of the name patchable', () => {
    const r = simulate([load(patch('a', { funcs: ['s_show,2'] })), load(patch('b', { funcs: ['s_show,4'] }))], {
      countSymbol: count,
      hasFtraceLocation: traced,
    });
    expect(r.map((s) => s.ok)).toEqual([true, true]);
    expect(r[1].functions).toEqual([fn('s_show,2', ['a']), fn('s_show,4', ['b'])]);
  });

  it('cancels the whole patch: functions patched before it in the same patch are not left on a stack', () => {
    const r = simulate([load(patch('a', { funcs: ['cmdline_proc_show', 's_show,3'] }))], { countSymbol: count, hasFtraceLocation: traced });
    expect(r[0].ok).toBe(false);
    expect(r[0].functions).toEqual([]);
  });

  it('in a module that loads later makes klp_module_coming() refuse the module', () => {
    const steps = [load(patch('a', { funcs: ['m:dup,2'] })), loadModule('m'), disable('a'), loadModule('m')];
    const r = simulate(steps, { countSymbol: count, hasFtraceLocation: traced, initiallyUnloaded: ['m'] });
    expect(r[1].ok).toBe(false);
    expect(r[1].error?.split('\n')).toEqual([
      "livepatch: failed to find location for function 'dup'",
      "livepatch: failed to apply patch 'a' to module 'm' (-22)",
      "livepatch: patch 'a' failed for module 'm', refusing to load module 'm'",
      'insmod: ERROR: could not insert module m.ko: Invalid parameters',
    ]);
    expect(r[1].functions).toEqual([fn('m:dup,2', [])]);
    expect(r[3].ok).toBe(true);
    expect(r[3].patches).toEqual(patches('-a'));
  });

  it('is assumed patchable when the locator does not know', () => {
    const r = simulate([load(patch('a', { funcs: ['s_show,3'] }))], { countSymbol: count, hasFtraceLocation: () => undefined });
    expect(r[0].ok).toBe(true);
  });
});
