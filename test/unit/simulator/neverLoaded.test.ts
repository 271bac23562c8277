// Objects that never load and patches that were never built: kernel/livepatch/core.c
// klp_is_module() / klp_find_object_module() / klp_module_coming() / klp_find_object(), and
// insmod of a .ko the build did not make.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../server/src/simulator/simulate';
import type { SimObject } from '../../../server/src/simulator/types';
import { fn, load, loadModule, patch, patches, unloadModule } from './builders';

const namedVmlinux = (funcs: string[]): SimObject => ({ name: 'vmlinux', namedVmlinux: true, funcs: funcs.map((name) => ({ name, sympos: 0 })) });

describe('an object named "vmlinux" (a module of that name, klp_is_module())', () => {
  it('loads, but its functions are never patched: no module named vmlinux is ever loaded', () => {
    const r = simulate([load(patch('bad', { objects: [namedVmlinux(['f'])] })), loadModule('vmlinux')]);
    expect(r[0].ok).toBe(true);
    expect(r[0].patches).toEqual(patches('bad'));
    expect(r[0].functions).toEqual([fn('f', [])]);
    expect(r[1].error).toContain('vmlinux.ko: invalid module name');
    expect(r[1].functions).toEqual([fn('f', [])]);
  });

  it('beside a NULL-named object, gets the same sysfs directory: the patch is refused with -EEXIST', () => {
    const r = simulate([load(patch('both', { funcs: ['g'], objects: [namedVmlinux(['f'])] }))]);
    expect(r[0].ok).toBe(false);
    expect(r[0].error).toContain("cannot create duplicate filename '/kernel/livepatch/both/vmlinux'");
  });

  it('is no vmlinux object for a replace patch (klp_find_object()): the nop goes in a new NULL-named object, which clashes', () => {
    // The replace patch's only object is a module named vmlinux: the nop for the earlier patch's
    // vmlinux function gets a dynamic NULL-named object, whose directory is `vmlinux` too.
    const r = simulate([load(patch('a', { funcs: ['f'] })), load(patch('c', { replace: true, objects: [namedVmlinux(['f'])] }))]);
    expect(r[1].ok).toBe(false);
    expect(r[1].error).toContain("cannot create duplicate filename '/kernel/livepatch/c/vmlinux'");
    expect(r[1].functions).toEqual([fn('f', ['a'])]);
  });
});

describe('a module the kernel does not have (absentModules)', () => {
  const lp = patch('lp', { funcs: ['cdrm:media_changed', 'g'] });

  it('is never loaded: its objects are never patched, the others are', () => {
    const r = simulate([load(lp)], { absentModules: ['cdrm'] });
    expect(r[0].ok).toBe(true);
    expect(r[0].functions).toEqual([fn('cdrm:media_changed', []), fn('g', ['lp'])]);
  });

  it('cannot be inserted nor removed', () => {
    const r = simulate([load(lp), loadModule('cdrm'), unloadModule('cdrm')], { absentModules: ['cdrm'] });
    expect(r[1].error).toBe('insmod: ERROR: could not load module cdrm.ko: No such file or directory');
    expect(r[2].error).toBe('rmmod: ERROR: Module cdrm is not currently loaded');
    expect(r[2].functions).toEqual([fn('cdrm:media_changed', []), fn('g', ['lp'])]);
  });
});

describe('a patch the build tools made no module of (unbuilt)', () => {
  it('fails at insmod, before the kernel: nothing of it is installed, nothing replaced', () => {
    const r = simulate([load(patch('a', { funcs: ['f'] })), load({ ...patch('b', { replace: true, funcs: ['f', 'g'] }), unbuilt: true })]);
    expect(r[1].ok).toBe(false);
    expect(r[1].error).toBe('insmod: ERROR: could not load module b.ko: No such file or directory');
    expect(r[1].patches).toEqual(patches('a'));
    expect(r[1].functions).toEqual([fn('f', ['a'])]);
  });
});
