// The object of a source file from the kernel's artifacts alone: exports, the module lists,
// the symbol tables; unknown whenever they do not decide.
import { describe, expect, it } from 'vitest';
import { Memo } from '../../../server/src/common/memo';
import { objectFromArtifacts, type DefinedNames } from '../../../server/src/kernel/moduleSources';
import type { KernelContext } from '../../../server/src/kernel/types';
import { kernel as kernelWith, type KernelSpec } from '../../helpers/builders';

/** A kernel whose modules are at the given paths (as modules.order lists them), with every module's table known. */
function placed(spec: KernelSpec, paths: Record<string, string>): KernelContext {
  const k = kernelWith(spec);
  for (const [name, path] of Object.entries(paths)) k.modules.set(name, { name, builtin: false, path: `kernel/${path}.ko` });
  return k;
}

const fns = (...names: string[]): DefinedNames => ({ symbols: names.map((name) => ({ name, isStatic: true })), exports: [] });
const object = (k: KernelContext, file: string, defined: DefinedNames) => objectFromArtifacts(new Memo(), k, file, defined).object;

describe('objectFromArtifacts', () => {
  it('an EXPORT_SYMBOL of the file names its object; a global function only when that object may hold the file', () => {
    const k = placed({ exports: { vnic_dev_register: 'enic', fnic_get: 'fnic' } }, { enic: 'drivers/net/ethernet/cisco/enic/enic', fnic: 'drivers/scsi/fnic/fnic' });
    const global = (name: string): DefinedNames => ({ symbols: [{ name, isStatic: false }], exports: [] });
    expect(object(k, 'drivers/scsi/fnic/vnic_dev.c', global('vnic_dev_register'))).toBe('unknown');
    expect(object(k, 'drivers/scsi/fnic/fnic_main.c', global('fnic_get'))).toBe('fnic');
    expect(object(k, 'drivers/scsi/fnic/vnic_dev.c', { symbols: [], exports: ['vnic_dev_register'] })).toBe('enic');
  });

  it('the object holding more than twice as many of its functions as any other, with one only it holds', () => {
    const k = placed({ symbols: { vmlinux: ['schedule', 'show'], hfsplus: ['hfs_bnode_dump', 'show'], hfs: ['hfs_bnode_read', 'hfs_bnode_write', 'hfs_bnode_dump'] } }, { hfsplus: 'fs/hfsplus/hfsplus', hfs: 'fs/hfs/hfs' });
    // hfs holds more, but from a sibling directory: hfsplus, inside fs/hfsplus, holds some.
    expect(object(k, 'fs/hfsplus/bnode.c', fns('hfs_bnode_read', 'hfs_bnode_write', 'hfs_bnode_dump', 'show'))).toBe('unknown');
    expect(object(k, 'fs/hfsplus/bnode.c', fns('hfs_bnode_dump', 'hfs_bnode_other'))).toBe('hfsplus');
    expect(object(k, 'fs/hfs/bnode.c', fns('hfs_bnode_read', 'hfs_bnode_write', 'hfs_bnode_dump'))).toBe('hfs');
    expect(object(k, 'kernel/sched/core.c', fns('schedule', 'show'))).toBe('vmlinux');
  });

  it('a module of a sibling directory only when it holds most of them, MANY or more (amdgpu lists ../display/)', () => {
    const k = placed({ symbols: { amdgpu: ['dc_create', 'dc_destroy', 'dc_commit'] } }, { amdgpu: 'drivers/gpu/drm/amd/amdgpu/amdgpu' });
    expect(object(k, 'drivers/gpu/drm/amd/display/dc/core/dc.c', fns('dc_create', 'dc_destroy', 'dc_commit', 'dc_inlined'))).toBe('amdgpu');
    expect(object(k, 'drivers/gpu/drm/amd/display/dc/core/dc.c', fns('dc_create', 'dc_destroy', 'dc_x', 'dc_y'))).toBe('unknown');
  });

  it('with some modules\' tables unknown, vmlinux only with MANY of the functions or all of them', () => {
    const k = placed({ symbols: { vmlinux: ['a', 'b', 'c'] } }, { other: 'drivers/other/other' });
    expect(object(k, 'kernel/x.c', fns('a', 'z'))).toBe('unknown');
    expect(object(k, 'kernel/x.c', fns('a', 'b'))).toBe('vmlinux');
    expect(object(k, 'kernel/x.c', fns('a', 'b', 'c', 'z'))).toBe('vmlinux');
  });

  it('says why when nothing decides', () => {
    const reason = (k: KernelContext, d: DefinedNames) => objectFromArtifacts(new Memo(), k, 'kernel/x.c', d).reason;
    expect(reason(kernelWith(), fns('a'))).toBe('no kernel source tree: give --source DIR or --kernel DIR');
    expect(reason(kernelWith({ symbols: { vmlinux: ['b'] } }), fns())).toBe('no symbol the file defines is known to look up in the symbol tables');
    expect(reason(kernelWith({ symbols: { vmlinux: ['b'] } }), fns('a'))).toBe('no symbol table holds its symbols (a)');
  });
});
