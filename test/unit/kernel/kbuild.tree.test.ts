// What the resolver reads beyond one directory's lists: the top Makefile's architecture and
// exported variables, included makefiles, objects listed from another directory (`../`),
// substitution references, and .c files #included by another .c.
import { describe, expect, it } from 'vitest';
import { createKbuildResolver } from '../../../server/src/kernel/kbuild';
import { srcarchOf } from '../../../server/src/kernel/kbuildTop';
import { evaluateMakefile } from '../../../server/src/kernel/makefileEval';

const X86 = { CONFIG_X86: 'y', CONFIG_X86_64: 'y', CONFIG_DRM: 'm', CONFIG_SND: 'm', CONFIG_FCOE: 'm' };

function resolver(files: Record<string, string>, config: Record<string, string> = X86) {
  const dirs = (dir: string) => [...new Set(Object.keys(files).filter((f) => f.startsWith(dir === '' ? '' : `${dir}/`)).map((f) => f.slice(dir === '' ? 0 : dir.length + 1)).filter((f) => !f.includes('/')))];
  return createKbuildResolver('/src', new Map(Object.entries(config)), (p) => files[p], dirs);
}

const TOP = {
  Makefile: 'srctree := /elsewhere\nSRCARCH := $(ARCH)\ninclude $(srctree)/arch/$(SRCARCH)/Makefile\nexport ARCH SRCARCH\ncore-y :=\nexport ARCH_CORE := $(core-y)\n',
  'arch/x86/Makefile': 'ifeq ($(CONFIG_X86_32),y)\nBITS := 32\nelse\nBITS := 64\nendif\nexport BITS\ncore-y += arch/x86/\n',
  Kbuild: 'obj-y += arch/$(SRCARCH)/\nobj-y += drivers/\nobj-y += sound/\nobj-y += $(ARCH_CORE)\n',
  'arch/x86/Kbuild': 'obj-y += kernel/\n',
  'arch/x86/kernel/Makefile': 'obj-y += irq_$(BITS).o\n',
  'drivers/Makefile': 'obj-y += gpu/\n',
};

describe('createKbuildResolver: the tree around a directory', () => {
  it('SRCARCH is the .config\'s architecture; the arch Makefile\'s exported BITS reaches the directories', () => {
    expect(srcarchOf(new Map([['CONFIG_X86', 'y']]))).toBe('x86');
    expect(srcarchOf(new Map([['CONFIG_ARM64', 'y']]))).toBe('arm64');
    expect(srcarchOf(undefined)).toBeUndefined();
    expect(resolver(TOP).resolve('arch/x86/kernel/irq_64.c')).toMatchObject({ object: 'vmlinux', reason: 'arch/x86/kernel/Makefile:1: obj-y += irq_64.o' });
    expect(resolver(TOP).resolve('arch/x86/kernel/irq_32.c').object).toBe('unknown');
  });

  it('follows `include` of another Kbuild fragment, its words relative to the includer (nouveau)', () => {
    const files = {
      ...TOP,
      'drivers/gpu/Makefile': 'obj-$(CONFIG_DRM) += nouveau/\n',
      'drivers/gpu/nouveau/Kbuild': 'include $(src)/nvkm/Kbuild\nnouveau-y := $(nvkm-y)\nnouveau-y += nouveau_drm.o\nobj-$(CONFIG_DRM) += nouveau.o\n',
      'drivers/gpu/nouveau/nvkm/Kbuild': 'include $(src)/nvkm/core/Kbuild\n',
      'drivers/gpu/nouveau/nvkm/core/Kbuild': 'nvkm-y += nvkm/core/client.o\n',
    };
    expect(resolver(files).resolve('drivers/gpu/nouveau/nvkm/core/client.c')).toMatchObject({
      object: 'nouveau',
      reason: 'drivers/gpu/nouveau/Kbuild:2: nouveau-y := nvkm/core/client.o; drivers/gpu/nouveau/Kbuild:4: obj-$(CONFIG_DRM) += nouveau.o (CONFIG_DRM=m)',
    });
  });

  it('finds objects another directory lists by a `../` path, from list variables it assembles (amdgpu)', () => {
    const files = {
      ...TOP,
      'drivers/gpu/Makefile': 'obj-$(CONFIG_DRM) += amd/amdgpu/\n',
      'drivers/gpu/amd/amdgpu/Makefile':
        'FULL_AMD_PATH=$(srctree)/$(src)/..\nAMD_PM_PATH = ../pm\ninclude $(FULL_AMD_PATH)/pm/Makefile\namdgpu-y += amdgpu_drv.o $(AMD_POWERPLAY_FILES)\nobj-$(CONFIG_DRM) += amdgpu.o\n',
      'drivers/gpu/amd/pm/Makefile': 'SMU_MGR = smumgr.o ci_smumgr.o\nAMD_PP_SMUMGR = $(addprefix $(AMD_PM_PATH)/smumgr/,$(SMU_MGR))\nAMD_POWERPLAY_FILES += $(AMD_PP_SMUMGR)\n',
    };
    expect(resolver(files).resolve('drivers/gpu/amd/pm/smumgr/ci_smumgr.c')).toMatchObject({ object: 'amdgpu', reason: 'drivers/gpu/amd/amdgpu/Makefile:4: amdgpu-y += ../pm/smumgr/ci_smumgr.o; drivers/gpu/amd/amdgpu/Makefile:5: obj-$(CONFIG_DRM) += amdgpu.o (CONFIG_DRM=m)' });
    expect(resolver(files).resolve('drivers/gpu/amd/pm/smumgr/other.c').object).toBe('unknown');
  });

  it('a variable that is not a list may be read by the makefile including this one: unknown, not "not built"', () => {
    const files = { ...TOP, 'drivers/gpu/Makefile': 'SMU_MGR = smumgr.o\n' };
    const r = resolver(files).resolve('drivers/gpu/smumgr.c');
    expect(r).toMatchObject({ object: 'unknown', reason: expect.stringContaining('SMU_MGR is not a list kbuild links') });
    expect(r.notBuilt).toBeUndefined();
  });

  it('evaluates substitution references: $(CONFIG_FCOE:m=y) (ixgbe)', () => {
    const files = { ...TOP, 'drivers/gpu/Makefile': 'obj-m += ixgbe.o\nixgbe-y := main.o\nixgbe-$(CONFIG_FCOE:m=y) += fcoe.o\n' };
    expect(resolver(files).resolve('drivers/gpu/fcoe.c').object).toBe('ixgbe');
    expect(evaluateMakefile('A := a.c b.h\nB := $(A:.c=.o) $(A:%.h=x/%.o)\n', 'M', { config: undefined }).words('B').map((w) => w.text)).toEqual(['a.o', 'b.h', 'a.c', 'x/b.o']);
  });

  it('a .c file #included by another .c is in the includer\'s object', () => {
    const files = {
      ...TOP,
      Kbuild: `${TOP.Kbuild}obj-y += sound/\n`,
      'sound/Makefile': 'obj-$(CONFIG_SND) += core/\n',
      'sound/core/Makefile': 'snd-y := control.o\nobj-$(CONFIG_SND) += snd.o\n',
      'sound/core/control.c': '#include "control_compat.c"\n #  include "test/t.c"\n',
      'sound/core/control_compat.c': '',
      'sound/core/test/t.c': '',
      'sound/core/alone.c': '',
    };
    expect(resolver(files).resolve('sound/core/control_compat.c')).toMatchObject({ object: 'snd', reason: expect.stringMatching(/^#included by sound\/core\/control\.c, compiled into its object: sound\/core\/Makefile:1: snd-y/) });
    expect(resolver(files).resolve('sound/core/test/t.c').object).toBe('snd');
    expect(resolver(files).resolve('sound/core/alone.c')).toMatchObject({ object: 'unknown', reason: 'not in sound/core/Makefile, and no .c file near it #includes it' });
  });
});
