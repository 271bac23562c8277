// The function stack (kernel/livepatch/patch.c) and the patch lifecycle around it
// (reference section 3).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { disable, fn, load, patch, patches, unload } from './builders';

const lpa = patch('lpa', { funcs: ['cmdline_proc_show'] });
const lpb = patch('lpb', { funcs: ['cmdline_proc_show', 'version_proc_show'] });
const lpc = patch('lpc', { replace: true, funcs: ['version_proc_show'] });

describe('the lpa / lpb / lpc scenario seen on Debian 6.1.0-56', () => {
  const results = simulate([load(lpa), load(lpb), load(lpc), disable('lpc')]);

  it('runs every step', () => {
    expect(results.map((r) => [r.action, r.target, r.ok, r.error])).toEqual([
      ['load', 'lpa', true, null],
      ['load', 'lpb', true, null],
      ['load', 'lpc', true, null],
      ['disable', 'lpc', true, null],
    ]);
  });

  it('after lpa: lpa runs cmdline_proc_show', () => {
    expect(results[0].patches).toEqual(patches('lpa'));
    expect(results[0].functions).toEqual([fn('cmdline_proc_show', ['lpa'])]);
  });

  it('after lpb: both stay enabled and lpb runs both functions, lpa underneath', () => {
    expect(results[1].patches).toEqual(patches('lpa', 'lpb'));
    expect(results[1].functions).toEqual([fn('cmdline_proc_show', ['lpb', 'lpa']), fn('version_proc_show', ['lpb'])]);
  });

  it('after the replace lpc: only lpc is enabled, cmdline_proc_show runs the original', () => {
    expect(results[2].patches).toEqual(patches('lpa>lpc', 'lpb>lpc', 'R:lpc'));
    expect(results[2].functions).toEqual([fn('cmdline_proc_show', []), fn('version_proc_show', ['lpc'])]);
    expect(results[2].functions[0].active).toBeNull();
  });

  it('after disabling lpc: nothing is patched', () => {
    expect(results[3].patches).toEqual(patches('lpa>lpc', 'lpb>lpc', 'R:-lpc'));
    expect(results[3].functions).toEqual([fn('cmdline_proc_show', []), fn('version_proc_show', [])]);
  });
});

describe('disable', () => {
  const three = ['p1', 'p2', 'p3'].map((name) => patch(name, { funcs: ['foo'] }));

  it('removes a patch from the middle of a stack; the one below it stays underneath', () => {
    const r = simulate([...three.map(load), disable('p2')]);
    expect(r[3].ok).toBe(true);
    expect(r[3].functions).toEqual([fn('foo', ['p3', 'p1'])]);
    expect(r[3].patches).toEqual(patches('p1', '-p2', 'p3'));
  });

  it('removes the top: the function below becomes active again', () => {
    const r = simulate([...three.map(load), disable('p3')]);
    expect(r[3].functions).toEqual([fn('foo', ['p2', 'p1'])]);
  });

  it('removes the patch from every function it patches, whatever its position on each', () => {
    const a = patch('a', { funcs: ['f', 'g'] });
    const b = patch('b', { funcs: ['g'] });
    const r = simulate([load(a), load(b), disable('a')]);
    expect(r[2].functions).toEqual([fn('f', []), fn('g', ['b'])]);
  });

  it('cannot be repeated: the disabled patch was freed with its sysfs directory', () => {
    const r = simulate([load(three[0]), disable('p1'), disable('p1')]);
    expect(r[2].ok).toBe(false);
    expect(r[2].error).toBe('bash: /sys/kernel/livepatch/p1/enabled: No such file or directory');
    expect(r[2].patches).toEqual(r[1].patches);
  });

  it('fails for a patch that is not loaded', () => {
    const [r] = simulate([disable('nope')]);
    expect(r).toMatchObject({ ok: false, error: 'bash: /sys/kernel/livepatch/nope/enabled: No such file or directory' });
  });

  it('a disabled patch cannot be enabled again by loading it while its module is still loaded', () => {
    const r = simulate([load(three[0]), disable('p1'), load(three[0])]);
    expect(r[2]).toMatchObject({ ok: false, error: 'insmod: ERROR: could not insert module p1.ko: File exists' });
  });
});

describe('rmmod of a livepatch module', () => {
  const p = patch('p', { funcs: ['foo'] });

  it('fails while the patch is enabled (klp_enable_patch holds a module reference)', () => {
    const r = simulate([load(p), unload('p')]);
    expect(r[1]).toMatchObject({ ok: false, error: 'rmmod: ERROR: Module p is in use' });
    expect(r[1].patches).toEqual(patches('p'));
  });

  it('works after a disable, and the patch leaves the list; loading it again works', () => {
    const r = simulate([load(p), disable('p'), unload('p'), load(p)]);
    expect(r.map((x) => x.ok)).toEqual([true, true, true, true]);
    expect(r[2].patches).toEqual([]);
    expect(r[2].functions).toEqual([]);
    expect(r[3].functions).toEqual([fn('foo', ['p'])]);
  });

  it('fails for a module that is not loaded', () => {
    const [r] = simulate([unload('ghost')]);
    expect(r).toMatchObject({ ok: false, error: 'rmmod: ERROR: Module ghost is not currently loaded' });
  });

  it('keeps the load order of the remaining patches', () => {
    const q = patch('q', { funcs: ['bar'] });
    const r = simulate([load(p), load(q), disable('p'), unload('p'), load(p)]);
    expect(r[4].patches).toEqual(patches('q', 'p'));
  });
});

describe('output order', () => {
  it('lists functions by object, name and sympos, once each', () => {
    const p = patch('p', { funcs: ['zeta', 'mod:alpha', 'alpha,3', 'alpha,2'] });
    const q = patch('q', { funcs: ['alpha,2'] });
    const r = simulate([load(p), load(q)]);
    expect(r[1].functions.map((f) => `${f.object}:${f.name},${f.sympos}`)).toEqual([
      'mod:alpha,1',
      'vmlinux:alpha,2',
      'vmlinux:alpha,3',
      'vmlinux:zeta,1',
    ]);
    expect(r[1].functions[1].stack).toEqual(['q', 'p']);
  });

  it('shows sympos 0 as 1, and 0 and 1 share one stack', () => {
    const r = simulate([load(patch('a', { funcs: ['foo'] })), load(patch('b', { funcs: ['foo,1'] }))]);
    expect(r[1].functions).toEqual([fn('foo,1', ['b', 'a'])]);
  });
});
