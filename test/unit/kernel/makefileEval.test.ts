import { describe, expect, it } from 'vitest';
import { evaluateMakefile } from '../../../server/src/kernel/makefileEval';

const config = (entries: Record<string, string>) => new Map(Object.entries(entries));

function texts(makefile: string, name: string, cfg: Map<string, string> | undefined = new Map(), presets?: Map<string, string>) {
  return evaluateMakefile(makefile, 'dir/Makefile', { config: cfg, presets })
    .words(name)
    .map((w) => w.text);
}

function words(makefile: string, name: string, cfg?: Map<string, string>) {
  return evaluateMakefile(makefile, 'dir/Makefile', { config: cfg }).words(name);
}

describe('evaluateMakefile: variables', () => {
  it('appends with +=, replaces with := and =, and keeps an existing value on ?=', () => {
    expect(texts('obj-y := a.o\nobj-y += b.o c.o\n', 'obj-y')).toEqual(['a.o', 'b.o', 'c.o']);
    expect(texts('obj-y := a.o\nobj-y := b.o\n', 'obj-y')).toEqual(['b.o']);
    expect(texts('obj-y = a.o\nobj-y = b.o\n', 'obj-y')).toEqual(['b.o']);
    expect(texts('x ?= a\nx ?= b\n', 'x')).toEqual(['a']);
  });

  it('expands `=` late and `:=` early, as make does', () => {
    expect(texts('obj-y = $(later)\nlater := a.o\n', 'obj-y')).toEqual(['a.o']);
    expect(texts('obj-y := $(later)\nlater := a.o\n', 'obj-y')).toEqual([]);
    // += keeps the flavor of the variable it appends to.
    expect(texts('obj-y := x.o\nobj-y += $(later)\nlater := a.o\n', 'obj-y')).toEqual(['x.o']);
  });

  it('reads CONFIG_ options from the .config: y, m, unset (empty)', () => {
    const mk = 'obj-$(CONFIG_A) += a.o\nobj-$(CONFIG_B) += b.o\nobj-${CONFIG_C} += c.o\n';
    const cfg = config({ CONFIG_A: 'y', CONFIG_B: 'm' });
    expect(texts(mk, 'obj-y', cfg)).toEqual(['a.o']);
    expect(texts(mk, 'obj-m', cfg)).toEqual(['b.o']);
    expect(texts(mk, 'obj-', cfg)).toEqual(['c.o']);
  });

  it('records where each word came from and the options its name read', () => {
    const [w] = words('\nobj-$(CONFIG_CDROM) += cdrom.o\n', 'obj-m', config({ CONFIG_CDROM: 'm' }));
    expect(w.record).toMatchObject({ file: 'dir/Makefile', line: 1, name: 'obj-$(CONFIG_CDROM)', op: '+=', nameConfig: [['CONFIG_CDROM', 'm']] });
    expect(w.doubt).toBeUndefined();
  });

  it('evaluates subst, addprefix and addsuffix', () => {
    const cfg = config({ CONFIG_HYPERV: 'm' });
    expect(texts('obj-$(subst m,y,$(CONFIG_HYPERV)) += hv/\n', 'obj-y', cfg)).toEqual(['hv/']);
    expect(texts('obj-y += $(addprefix sub/, a.o b.o)\n', 'obj-y')).toEqual(['sub/a.o', 'sub/b.o']);
    expect(texts('obj-y += $(addsuffix .o, a b)\n', 'obj-y')).toEqual(['a.o', 'b.o']);
  });

  it('keeps a reference it does not evaluate as a pattern word in doubt', () => {
    const [w] = words('obj-y += arch/$(SRCARCH)/\n', 'obj-y');
    expect(w.text).toBe('arch/$(SRCARCH)/');
    expect(w.pattern?.test('arch/x86/')).toBe(true);
    expect(w.pattern?.test('drivers/')).toBe(false);
    expect(w.doubt).toBe('dir/Makefile:1: arch/$(SRCARCH)/: klp-lens does not evaluate $(SRCARCH)');
    const [c] = words('obj-y += $(call objs,x)\n', 'obj-y');
    expect(c.doubt).toContain('klp-lens does not evaluate $(call objs,x)');
  });

  it('expands an undefined lower-case variable to nothing, and survives a self-reference', () => {
    expect(texts('obj-y += $(nothing) a.o\n', 'obj-y')).toEqual(['a.o']);
    const [w] = words('x = $(x) a\n', 'x');
    expect(w.text).toBe('$(x)');
    expect(w.doubt).toBeDefined();
  });

  it('lets command-line style presets win over the file', () => {
    expect(texts('ifeq ($(MODE),)\nobj-y += a.o\nendif\nMODE := 1\n', 'obj-y', new Map(), new Map([['MODE', '']]))).toEqual(['a.o']);
    expect(texts('x := 1\n', 'x', new Map(), new Map([['x', '2']]))).toEqual([]);
  });
});

describe('evaluateMakefile: conditionals', () => {
  const mk = [
    'ifdef CONFIG_A',
    'obj-y += a.o',
    'else ifeq ($(CONFIG_B),y)',
    'obj-y += b.o',
    'else',
    'obj-y += c.o',
    'endif',
    'ifneq ($(CONFIG_A),)',
    'obj-y += d.o',
    'endif',
    'ifndef CONFIG_A',
    'obj-y += e.o',
    'endif',
    'ifeq "$(CONFIG_B)" "y"',
    '  ifeq ($(CONFIG_A), y)',
    '  obj-y += f.o',
    '  endif',
    'endif',
  ].join('\n');

  it('takes the branches the .config selects, nested and chained', () => {
    expect(texts(mk, 'obj-y', config({ CONFIG_A: 'y', CONFIG_B: 'y' }))).toEqual(['a.o', 'd.o', 'f.o']);
    expect(texts(mk, 'obj-y', config({ CONFIG_B: 'y' }))).toEqual(['b.o', 'e.o']);
    expect(texts(mk, 'obj-y', config({}))).toEqual(['c.o', 'e.o']);
  });

  it('compares quoted ifeq arguments, in either quote, and reads a malformed condition as doubt', () => {
    const cfg = config({ CONFIG_B: 'y' });
    expect(texts('ifeq "$(CONFIG_B)" \'y\'\nobj-y += a.o\nendif\nifneq \'$(CONFIG_B)\' "y"\nobj-y += b.o\nendif\n', 'obj-y', cfg)).toEqual(['a.o']);
    const [w] = words('ifeq ($(CONFIG_B)\nobj-y += c.o\nendif\n', 'obj-y', cfg);
    expect(w.doubt).toBe('dir/Makefile:1: cannot read ifeq ($(CONFIG_B)');
  });

  it('records a skipped assignment and the conditional that skipped it', () => {
    const v = evaluateMakefile(mk, 'dir/Makefile', { config: config({}) });
    const a = v.records.find((r) => r.value === 'a.o');
    expect(a?.skippedBy).toMatchObject({ line: 0, text: 'ifdef CONFIG_A' });
    expect(a?.targets).toEqual([]);
  });

  it('without a .config, keeps every branch in doubt, naming the conditional', () => {
    const all = words(mk, 'obj-y');
    expect(all.map((w) => w.text)).toEqual(['a.o', 'b.o', 'c.o', 'd.o', 'e.o', 'f.o']);
    expect(all[0].doubt).toBe('needs .config: dir/Makefile:1 ifdef CONFIG_A');
    expect(all.every((w) => w.doubt)).toBe(true);
  });

  it('without a .config, applies obj-$(CONFIG_X) to obj-y and obj-m, in doubt', () => {
    for (const name of ['obj-y', 'obj-m']) {
      const [w] = words('obj-$(CONFIG_CDROM) += cdrom.o\n', name);
      expect(w.doubt).toBe('needs .config: dir/Makefile:1 obj-$(CONFIG_CDROM)');
    }
  });

  it('puts earlier values in doubt when an assignment in doubt may replace them', () => {
    const [old, replacement] = words('proc-y := nommu.o\nproc-$(CONFIG_MMU) := task_mmu.o\n', 'proc-y');
    expect(old.text).toBe('nommu.o');
    expect(old.doubt).toContain('may replace it');
    expect(replacement.doubt).toBe('needs .config: dir/Makefile:2 proc-$(CONFIG_MMU)');
  });

  it('marks what a certain := replaced', () => {
    const v = evaluateMakefile('proc-y := nommu.o\nproc-$(CONFIG_MMU) := task_mmu.o\n', 'm', { config: config({ CONFIG_MMU: 'y' }) });
    expect(v.records[0].replacedBy).toBe(v.records[1]);
  });

  it('treats conditions on variables set outside the file as doubt', () => {
    const [w] = words('ifeq ($(BITS),32)\nobj-y += a.o\nendif\n', 'obj-y', new Map());
    expect(w.doubt).toBe('dir/Makefile:1: ifeq ($(BITS),32): klp-lens does not evaluate $(BITS)');
    const [g] = words('ifdef GENERATE_FIRMWARE\nobj-y += b.o\nendif\n', 'obj-y', new Map());
    expect(g.doubt).toContain('GENERATE_FIRMWARE');
  });

  it('survives unbalanced conditionals', () => {
    expect(texts('endif\nelse\nobj-y += a.o\nifdef CONFIG_X\nobj-y += b.o\n', 'obj-y', config({ CONFIG_X: 'y' }))).toEqual(['a.o', 'b.o']);
  });
});

describe('evaluateMakefile: include, export and the environment', () => {
  const files: Record<string, string> = {
    'dir/sub/Kbuild': 'sub-y += sub/a.o\nifdef CONFIG_B\nsub-y += sub/b.o\nendif\n',
    'dir/self.mk': 'include dir/self.mk\nself-y := s.o\n',
  };
  const read = (file: string) => files[file];
  const evaluate = (text: string, environment?: Map<string, string>) => evaluateMakefile(text, 'dir/Makefile', { config: config({ CONFIG_B: 'y' }), presets: new Map([['src', 'dir']]), environment, read });

  it('reads an included makefile in place, with the conditionals and variables around it', () => {
    const v = evaluate('include $(src)/sub/Kbuild\nobj-y := $(sub-y)\n');
    expect(v.words('obj-y').map((w) => [w.text, w.record.file])).toEqual([
      ['sub/a.o', 'dir/Makefile'],
      ['sub/b.o', 'dir/Makefile'],
    ]);
    expect(v.records.map((r) => r.file)).toEqual(['dir/sub/Kbuild', 'dir/sub/Kbuild', 'dir/Makefile']);
    expect(v.incomplete).toBeUndefined();
  });

  it('says which include it could not follow: missing, out of the tree, unevaluated; -include may be missing', () => {
    expect(evaluate('include $(src)/none.mk\n').incomplete).toBe('dir/Makefile:1: include dir/none.mk: no such file');
    expect(evaluate('include ../../etc/x\n').incomplete).toBe('dir/Makefile:1: include ../../etc/x: out of the source tree, not read');
    expect(evaluate('include $(shell ls)\n').incomplete).toMatch(/^dir\/Makefile:1: include \$\(shell ls\) is not followed: klp-lens does not evaluate/);
    expect(evaluate('-include $(src)/none.mk\nsinclude x\n').incomplete).toBeUndefined();
    expect(evaluate('include dir/self.mk\n').words('self-y').map((w) => w.text)).toEqual(['s.o']);
  });

  it('exports the variables a sub-make sees, and reads the environment where the file sets nothing', () => {
    const top = evaluate('BITS := 64\nexport BITS\nexport ARCH_CORE := $(BITS)/ x/\nLOCAL := 1\nexport UNSET_HERE\n');
    // UNSET_HERE may come from make's own environment: not passed on as known.
    expect([...top.exported()]).toEqual([
      ['BITS', '64'],
      ['ARCH_CORE', '64/ x/'],
    ]);
    const env = new Map([['BITS', '64'], ['SRCARCH', 'x86']]);
    expect(evaluate('obj-y += irq_$(BITS).o arch/$(SRCARCH)/\n', env).words('obj-y').map((w) => [w.text, w.doubt])).toEqual([
      ['irq_64.o', undefined],
      ['arch/x86/', undefined],
    ]);
    expect(evaluate('BITS := 32\nobj-y += irq_$(BITS).o\n', env).words('obj-y').map((w) => w.text)).toEqual(['irq_32.o']);
  });
});
