// What klp_enable_patch() refuses before anything is patched (kernel/livepatch/core.c),
// and the module loader's own refusal of a second module of the same name.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import { load, patch, patches } from './builders';

const insmod = (name: string, why: string) => `insmod: ERROR: could not insert module ${name}.ko: ${why}`;

describe('klp_enable_patch refuses', () => {
  it('a module without MODULE_INFO(livepatch, "Y")', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['f'], livepatchModinfo: false }))]);
    expect(r).toMatchObject({ ok: false, patches: [], functions: [] });
    expect(r.error).toBe(`livepatch: module lp is not marked as a livepatch module\n${insmod('lp', 'Invalid parameters')}`);
  });

  it('an object with funcs == NULL, silently (-EINVAL), before the modinfo check', () => {
    const p = patch('lp', { livepatchModinfo: false, objects: [{ name: 'vmlinux', funcs: [], missingFuncs: true }] });
    const [r] = simulate([load(p)]);
    expect(r).toMatchObject({ ok: false, error: insmod('lp', 'Invalid parameters') });
  });

  it('but takes a callbacks-only object with an empty funcs array', () => {
    const [r] = simulate([load(patch('lp', { objects: [{ name: 'vmlinux', funcs: [] }] }))]);
    expect(r).toMatchObject({ ok: true, patches: patches('lp'), functions: [] });
  });
});

describe('sysfs directories (kobject_add -EEXIST)', () => {
  const eexist = (path: string, name: string, lp = 'lp') =>
    [
      `sysfs: cannot create duplicate filename '${path}/${name}'`,
      // lib/kobject.c's pr_fmt prefix: the newest kernels' (6.12; none in 6.1, KernelRules.kobjectLogPrefix).
      `kobject: kobject_add_internal failed for ${name} with -EEXIST, don't try to register things with the same name in the same directory.`,
      insmod(lp, 'File exists'),
    ].join('\n');

  it('refuses two funcs with the same name and sympos in one object', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['f,2', 'f,2'] }))]);
    expect(r).toMatchObject({ ok: false, error: eexist('/kernel/livepatch/lp/vmlinux', 'f,2'), patches: [] });
  });

  it('counts sympos 0 and 1 as the same directory "f,1"', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['f', 'f,1'] }))]);
    expect(r).toMatchObject({ ok: false, error: eexist('/kernel/livepatch/lp/vmlinux', 'f,1') });
  });

  it('accepts the same name at different positions, and in different objects', () => {
    const [r] = simulate([load(patch('lp', { funcs: ['f,1', 'f,2', 'm:f'] }))]);
    expect(r.ok).toBe(true);
    expect(r.functions).toHaveLength(3);
  });

  it('refuses two objects of the same name', () => {
    const p = patch('lp', { funcs: ['f'], objects: [{ name: 'vmlinux', funcs: [{ name: 'g', sympos: 0 }] }] });
    const [r] = simulate([load(p)]);
    expect(r).toMatchObject({ ok: false, error: eexist('/kernel/livepatch/lp', 'vmlinux') });
  });

  it("refuses an object named like one of the patch directory's attribute files", () => {
    const [r] = simulate([load(patch('lp', { funcs: ['enabled:f'] }))]);
    expect(r).toMatchObject({ ok: false, error: eexist('/kernel/livepatch/lp', 'enabled') });
  });

  // "livepatch: Add "replace" sysfs attribute" (6.11), "livepatch: Add stack_order sysfs attribute" (6.14).
  it('refuses an object named replace or stack_order only on a kernel with that attribute file', () => {
    for (const name of ['replace', 'stack_order']) {
      expect(simulate([load(patch('lp', { funcs: [`${name}:f`] }))])[0]).toMatchObject({ ok: false, error: eexist('/kernel/livepatch/lp', name) });
      const before = simulate([load(patch('lp', { funcs: [`${name}:f`] }))], { rules: { symposZeroIsOne: true, clearsModuleRelocations: true, patchAttributes: [], kobjectLogPrefix: false } });
      expect(before[0].ok).toBe(true);
    }
  });
});

describe('length limits (klp_init_object / klp_init_func, -EINVAL)', () => {
  it('refuses a module name of MODULE_NAME_LEN (56) bytes or more', () => {
    expect(simulate([load(patch('lp', { funcs: [`${'m'.repeat(55)}:f`] }))])[0].ok).toBe(true);
    const [r] = simulate([load(patch('lp', { funcs: [`${'m'.repeat(56)}:f`] }))]);
    expect(r).toMatchObject({ ok: false, error: insmod('lp', 'Invalid parameters') });
  });

  it('refuses an old_name of KSYM_NAME_LEN (512) bytes or more', () => {
    expect(simulate([load(patch('lp', { funcs: ['f'.repeat(511)] }))])[0].ok).toBe(true);
    expect(simulate([load(patch('lp', { funcs: ['f'.repeat(512)] }))])[0].ok).toBe(false);
  });
});

describe('the module loader', () => {
  it('refuses a livepatch whose module of that name is still loaded', () => {
    const p = patch('lp', { funcs: ['f'] });
    const r = simulate([load(p), load(p)]);
    expect(r[1]).toMatchObject({ ok: false, error: insmod('lp', 'File exists'), patches: patches('lp') });
  });
});
