import { describe, expect, it } from 'vitest';
import { check } from '../../../../server/src/checks/module-jump-label';
import type { KernelContext } from '../../../../server/src/kernel/types';
import { kernel } from '../../../helpers/builders';
import { fixtureContext } from './pitfallContext';

/** vmx.c builds into kvm_intel; enable_evmcs is kvm_intel's, the static call key is exported by kvm. */
function kvmKernel(vmlinux: string[] = ['memcg_kmem_enabled_key', 'schedule']): KernelContext {
  const k = kernel({
    symbols: { vmlinux, kvm_intel: ['enable_evmcs', 'vmx_hardware_enable'] },
    exports: { __SCK__kvm_x86_vcpu_after_set_cpuid: 'kvm' },
  });
  k.kbuild = { resolve: (file) => ({ file, object: file.startsWith('arch/x86/kvm/vmx/') ? 'kvm_intel' : 'vmlinux', reason: 'arch/x86/kvm/Makefile' }) };
  return k;
}

describe('module-jump-label', () => {
  it('reports a jump label and a static call whose keys live in modules', () => {
    const problems = check.run(fixtureContext('module-jump-label', 'bad.patch', kvmKernel()));
    expect(problems.map((p) => [p.code, p.severity, p.range.start, p.data])).toEqual([
      ['module-jump-label', 'error', { line: 7, character: 6 }, { function: 'vmx_hardware_enable', key: 'enable_evmcs', keyObject: 'kvm_intel', object: 'kvm_intel' }],
      [
        'module-jump-label',
        'error',
        { line: 9, character: 2 },
        { function: 'vmx_hardware_enable', key: '__SCK__kvm_x86_vcpu_after_set_cpuid', keyObject: 'kvm', object: 'kvm_intel' },
      ],
    ]);
    expect(problems[0].message).toContain('use static_key_enabled() instead');
    expect(problems[1].message).toContain('KPATCH_STATIC_CALL()');
  });

  it('says nothing of static_key_enabled(), vmlinux keys and keys the patch defines', () => {
    expect(check.run(fixtureContext('module-jump-label', 'good.patch', kvmKernel()))).toEqual([]);
  });

  it('reports a key of unknown home used by a module\'s function, not by a vmlinux function', () => {
    const unknownKey = kernel({ symbols: { vmlinux: ['schedule'] } });
    unknownKey.kbuild = kvmKernel().kbuild;
    const problems = check.run(fixtureContext('module-jump-label', 'good.patch', unknownKey));
    expect(problems.map((p) => p.data?.key)).toEqual(['memcg_kmem_enabled_key']);
    expect(problems[0].message).toContain("not in vmlinux's symbol table (vmlinux.syms), so it is most likely defined in module kvm_intel");
    expect(check.run(fixtureContext('module-jump-label', 'bad.patch'))).toEqual([]);
  });
});
