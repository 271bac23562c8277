import { describe, expect, it } from 'vitest';
import { parseMakefile } from '../../../server/src/kernel/makefileSyntax';

describe('parseMakefile', () => {
  it('reads each assignment operator', () => {
    const s = parseMakefile('a = 1\nb := 2\nc ::= 3\nd += 4\ne ?= 5\nf != echo 6\ng:::=7\n');
    expect(s.map((x) => (x.kind === 'assign' ? [x.name, x.op, x.value] : x.kind))).toEqual([
      ['a', '=', '1'],
      ['b', ':=', '2'],
      ['c', '::=', '3'],
      ['d', '+=', '4'],
      ['e', '?=', '5'],
      ['f', '!=', 'echo 6'],
      ['g', ':::=', '7'],
    ]);
  });

  it('joins backslash-newline continuations into one line with single spaces, at the first line', () => {
    const s = parseMakefile('# x\nobj-y += a.o \\\n\t\tb.o \\\n   c.o\nobj-m += d.o\n');
    expect(s).toEqual([
      { kind: 'assign', line: 1, name: 'obj-y', op: '+=', value: 'a.o b.o c.o' },
      { kind: 'assign', line: 4, name: 'obj-m', op: '+=', value: 'd.o' },
    ]);
  });

  it('strips comments, keeps \\# as a literal #, and continues a comment ending in a backslash', () => {
    const s = parseMakefile('obj-y += a.o # not b.o\nx := a\\#b\n# comment \\\nobj-y += hidden.o\nobj-y += c.o\n');
    expect(s.map((x) => (x.kind === 'assign' ? x.value : ''))).toEqual(['a.o', 'a#b', 'c.o']);
  });

  it('takes a name with references, and a continued name', () => {
    const s = parseMakefile('obj-$(CONFIG_CDROM)\t+= cdrom.o\nflags-$(CONFIG_X) \\\n\t:= -DX\n');
    expect(s.map((x) => (x.kind === 'assign' ? [x.name, x.op, x.value] : x.kind))).toEqual([
      ['obj-$(CONFIG_CDROM)', '+=', 'cdrom.o'],
      ['flags-$(CONFIG_X)', ':=', '-DX'],
    ]);
  });

  it('drops rules and their recipes, but reads an assignment that follows them', () => {
    const s = parseMakefile(
      '$(obj)/a.o: $(obj)/a.h\n\tobj-y += recipe.o\n\n\t$(call cmd,x)\nquiet_cmd_x = GEN $@\n\tcmd_x = sed -n p $< > $@\ntarget: VAR := 1\nobj-y += b.o\n',
    );
    expect(s.map((x) => (x.kind === 'assign' ? x.name : x.kind))).toEqual(['quiet_cmd_x', 'cmd_x', 'obj-y']);
  });

  it('reads conditionals, also TAB-indented ones inside a recipe', () => {
    const s = parseMakefile('ifdef CONFIG_A\nx := 1\nelse ifeq ($(B),y)\nx := 2\nelse\nx := 3\nendif # done\nrule:\n\tifneq ($(C),)\n\techo\n\tendif\n');
    expect(s.map((x) => (x.kind === 'if' || x.kind === 'else' ? [x.kind, x.cond?.directive, x.cond?.args] : x.kind))).toEqual([
      ['if', 'ifdef', 'CONFIG_A'],
      'assign',
      ['else', 'ifeq', '($(B),y)'],
      'assign',
      ['else', undefined, undefined],
      'assign',
      'endif',
      ['if', 'ifneq', '($(C),)'],
      'endif',
    ]);
  });

  it('skips define bodies; reads includes, exports and export/override assignments', () => {
    const s = parseMakefile(
      'define foo\nobj-y += no.o\nendef\ninclude $(srctree)/scripts/Makefile.x\n-include x\nexport A B\nexport C := 1\noverride D = 2\ninclude-y := e\nunexport F\n',
    );
    expect(s.map((x) => (x.kind === 'assign' ? [x.name, x.value, x.exported] : x.kind === 'include' ? [x.files, x.optional] : x.kind === 'export' ? x.names : x.kind))).toEqual([
      ['$(srctree)/scripts/Makefile.x', false],
      ['x', true],
      'A B',
      ['C', '1', true],
      ['D', '2', undefined],
      ['include-y', 'e', undefined],
    ]);
  });

  it('ignores a line that is neither, such as a top-level $(eval)', () => {
    expect(parseMakefile('$(eval $(call x,a=b))\n$(foreach d,a,$(info $(d)))\n')).toEqual([]);
  });
});
