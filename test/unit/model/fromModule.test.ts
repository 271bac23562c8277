import { beforeAll, describe, expect, it } from 'vitest';
import type { Location } from '../../../server/src/common/range';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { livepatchFromModule } from '../../../server/src/model/fromModule';
import { predefinedFromConfig } from '../../../server/src/model/targetMacros';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { fixturePath, readFixture } from '../../helpers/fixtures';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

function fixture(name: string): Livepatch {
  return livepatchFromModule(parser, readFixture('module', name), fixturePath('module', name), { name: name.replace(/\.c$/, '').replace(/-/g, '_') });
}

function source(text: string): Livepatch {
  return livepatchFromModule(parser, text, 'inline.c', { name: 'inline' });
}

/** The text a location covers in `text`. */
function textAt(text: string, at: Location | undefined): string {
  if (!at) return '<none>';
  const lines = text.split('\n');
  const { start, end } = at.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

const messages = (lp: Livepatch) => lp.problems.map((p) => `${p.severity}:${p.code}: ${p.message}`);

describe('livepatchFromModule: designated initializers', () => {
  const text = readFixture('module', 'designated.c');

  it('reads objects, functions, sympos (through #defines) and new_func through casts and &', () => {
    const lp = fixture('designated.c');
    expect(lp.kind).toBe('module');
    expect(lp.name).toBe('designated');
    expect(lp.objects.map((o) => [o.declaredName, o.object, o.funcs.map((f) => [f.name, f.sympos, f.newFunc])])).toEqual([
      [null, 'vmlinux', [['cmdline_proc_show', 2, 'lp_cmdline_proc_show'], ['version_proc_show', 0, 'lp_cmdline_proc_show']]],
      ['ext4', 'ext4', [['ext4_fill_super', 0, 'lp_ext4_fill_super']]],
    ]);
    expect(lp.objects.every((o) => o.hasFuncs && o.funcsTerminated === true)).toBe(true);
    expect(lp.problems).toEqual([]);
  });

  it('puts every location on what is written', () => {
    const lp = fixture('designated.c');
    const [cmdline] = lp.objects[0].funcs;
    expect(textAt(text, cmdline.nameLocation)).toBe('"cmdline_proc_show"');
    expect(textAt(text, cmdline.symposLocation)).toBe('.old_sympos = CMDLINE_POS');
    expect(textAt(text, cmdline.location)).toMatch(/^\{\n\t\t\.old_name = "cmdline_proc_show",[\s\S]*\}$/);
    expect(lp.objects[0].funcs[1].symposLocation).toBeUndefined();
    expect(textAt(text, lp.objects[1].nameLocation)).toBe('"ext4"');
    expect(lp.objects[0].nameLocation).toBeUndefined();
    expect(textAt(text, lp.location)).toMatch(/^static struct klp_patch patch = \{[\s\S]*\};$/);
    expect(textAt(text, lp.replaceLocation)).toBe('.replace = true');
  });

  it('reads nested and flat callback designators', () => {
    const lp = fixture('designated.c');
    expect(lp.objects.map((o) => o.callbacks)).toEqual([['pre_patch', 'post_unpatch'], ['pre_patch']]);
  });

  it('evaluates state ids and versions through #defines and expressions; an absent version is 0', () => {
    const lp = fixture('designated.c');
    expect(lp.states.map((s) => [s.id, s.version])).toEqual([
      [17, 3],
      [16, 0],
    ]);
    expect(textAt(text, lp.states[0].location)).toBe('{ .id = FIX_STATE, .version = FIX_VERSION }');
  });

  it('reads .replace = true, MODULE_INFO(livepatch) and its place', () => {
    const lp = fixture('designated.c');
    expect(lp.replace).toBe(true);
    expect(lp.livepatchModinfo).toBe(true);
    expect(textAt(text, lp.modinfoLocation)).toBe('MODULE_INFO(livepatch, "Y");');
  });

  it('lists every klp array with its terminator', () => {
    const lp = fixture('designated.c');
    expect(lp.arrays?.map((a) => [a.struct, a.name, a.terminated])).toEqual([
      ['klp_func', 'vmlinux_funcs', true],
      ['klp_func', 'ext4_funcs', true],
      ['klp_object', 'objs', true],
      ['klp_state', 'states', true],
    ]);
  });
});

describe('livepatchFromModule: positional initializers', () => {
  it('assigns values in the field order of include/linux/livepatch.h', () => {
    const lp = fixture('positional.c');
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => [f.name, f.newFunc, f.sympos])])).toEqual([
      ['livepatch_shadow_mod', [['meminfo_proc_show', 'lp_meminfo', 0], ['dummy_free', 'lp_dummy', 3]]],
    ]);
    expect(lp.states.map((s) => [s.id, s.version])).toEqual([[5, 2]]);
    expect(lp.replace).toBe(true);
    expect(lp.arrays?.every((a) => a.terminated)).toBe(true);
  });

  it('with no MODULE_INFO(livepatch), places the addition after the last MODULE_* line', () => {
    const text = readFixture('module', 'positional.c');
    const lp = fixture('positional.c');
    expect(lp.livepatchModinfo).toBe(false);
    const at = lp.modinfoLocation!;
    expect(at.range.start).toEqual(at.range.end);
    expect(text.split('\n')[at.range.start.line].slice(0, at.range.start.character)).toBe('MODULE_LICENSE("GPL");');
  });

  it('with no MODULE_* line at all, places it at the end of the file', () => {
    const text = 'static struct klp_patch patch = { .mod = THIS_MODULE };\n';
    expect(source(text).modinfoLocation?.range.start).toEqual({ line: 1, character: 0 });
  });

  it('takes any value of the livepatch modinfo key, as check_modinfo_livepatch() does', () => {
    expect(source('MODULE_INFO(livepatch, "N");').livepatchModinfo).toBe(true);
    expect(source('MODULE_INFO(intree, "Y");').livepatchModinfo).toBe(false);
    expect(source('/* MODULE_INFO(livepatch, "Y"); */').livepatchModinfo).toBe(false);
  });
});

describe('livepatchFromModule: the shape SUSE generates', () => {
  it('reads compound literals, __stringify names and elements between #if lines', () => {
    const lp = fixture('compound-literal.c');
    expect(lp.replace).toBe(true);
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => `${f.name},${f.sympos}`)])).toEqual([
      ['vmlinux', ['unix_gc,0', 'hid_alloc_report_buf,0', 'tcp_twsk_unique,2']],
      ['bluetooth', ['sco_sock_timeout,0']],
    ]);
    expect(lp.arrays?.map((a) => [a.struct, a.name, a.terminated])).toEqual([
      ['klp_object', 'objs', true],
      ['klp_func', '', true],
      ['klp_func', '', true],
    ]);
  });

  it('leaves out the elements on #if branches the target does not compile, saying which line does', () => {
    const text = readFixture('module', 'compound-literal.c');
    const predefined = predefinedFromConfig(new Map([['CONFIG_X86_64', 'y'], ['CONFIG_BT', 'm']]));
    const lp = livepatchFromModule(parser, text, 'compound-literal.c', { name: 'compound_literal', predefined });
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => `${f.name},${f.sympos}`)])).toEqual([
      ['vmlinux', ['unix_gc,0', 'tcp_twsk_unique,2']],
      ['bluetooth', ['sco_sock_timeout,0']],
    ]);
    expect(lp.leftOut?.map((l) => [l.function.name, l.condition, textAt(text, l.conditionLocation)])).toEqual([
      ['hid_alloc_report_buf', '#if IS_ENABLED(CONFIG_HID)', '#if IS_ENABLED(CONFIG_HID)'],
    ]);
    // Without CONFIG_BT the bluetooth object goes, with its function.
    const noBt = livepatchFromModule(parser, text, 'compound-literal.c', { name: 'compound_literal', predefined: predefinedFromConfig(new Map([['CONFIG_X86_64', 'y']])) });
    expect(noBt.objects.map((o) => o.object)).toEqual(['vmlinux']);
    expect(noBt.leftOut?.map((l) => [l.function.object, l.function.name, l.condition])).toEqual([
      ['vmlinux', 'hid_alloc_report_buf', '#if IS_ENABLED(CONFIG_HID)'],
      ['bluetooth', 'sco_sock_timeout', '#if IS_ENABLED(CONFIG_BT)'],
    ]);
    expect(noBt.arrays?.every((a) => a.terminated === true)).toBe(true);
  });

  it('reports a name hidden in a function-like macro instead of guessing', () => {
    const lp = fixture('compound-literal.c');
    expect(messages(lp)).toEqual([
      'information:parse-error: cannot read the function name `__stringify(KLP_SYSCALL_SYM(newuname))`: klp-lens leaves this klp_func out',
    ]);
  });

  it('reads __stringify of a #define and refuses one defined differently under #if', () => {
    const one = source('#define PREFIX __x64_\nstatic struct klp_func f[] = { { .old_name = __stringify(PREFIX), .new_func = g }, { } };\nstatic struct klp_object o[] = { { .funcs = f }, { } };\nstatic struct klp_patch p = { .objs = o };');
    expect(one.objects[0].funcs.map((f) => f.name)).toEqual(['__x64_']);
    // tree-sitter parses `__stringify(PREFIX) "sys_x"` as ERROR(call) then a string: the pieces are joined as the preprocessor would.
    const joined = source('#define PREFIX __x64_\nstatic struct klp_func f[] = { { .old_name = __stringify(PREFIX) "sys_x", .new_func = g }, { .old_name = "sys_" unknown_macro, .new_func = g }, { } };\nstatic struct klp_object o[] = { { .funcs = f }, { } };\nstatic struct klp_patch p = { .objs = o };');
    expect(joined.objects[0].funcs.map((f) => f.name)).toEqual(['__x64_sys_x']);
    expect(joined.problems.map((p) => p.code)).toEqual(['parse-error']);
    const two = source('#ifdef A\n#define P a_\n#else\n#define P b_\n#endif\nstatic struct klp_func f[] = { { .old_name = __stringify(P) "sys_x", .new_func = g }, { } };\nstatic struct klp_object o[] = { { .funcs = f }, { } };\nstatic struct klp_patch p = { .objs = o };');
    expect(two.objects[0].funcs).toEqual([]);
    expect(two.problems.map((p) => p.code)).toEqual(['parse-error']);
  });

  it('joins concatenated string literals and reads escapes', () => {
    const lp = source('static struct klp_func f[] = { { .old_name = "cmdline" "_proc_show", .new_func = g }, { .old_name = "a\\142" "\\x64", .new_func = g }, { } };\nstatic struct klp_object o[] = { { .funcs = f }, { } };\nstatic struct klp_patch p = { .objs = o };');
    expect(lp.objects[0].funcs.map((f) => f.name)).toEqual(['cmdline_proc_show', 'abd']);
  });
});

describe('livepatchFromModule: terminators', () => {
  const text = readFixture('module', 'terminators.c');

  it('tells terminated arrays (an all-zero element, or room left by a declared size) from the others', () => {
    const lp = fixture('terminators.c');
    expect(lp.arrays?.map((a) => [a.struct, a.name, a.terminated])).toEqual([
      ['klp_func', 'unterminated', false],
      ['klp_func', 'sized', true],
      ['klp_func', 'zero_terminated', true],
      ['klp_func', 'after_terminator', true],
      ['klp_func', 'empty', false],
      ['klp_object', 'objs', false],
      ['klp_state', 'states', true],
    ]);
    expect(lp.objects.map((o) => [o.object, o.funcsTerminated])).toEqual([
      ['vmlinux', false],
      ['sized_mod', true],
      ['zero_mod', true],
      ['late_mod', true],
      ['empty_mod', false],
    ]);
  });

  it('stops where the kernel stops: elements after the terminator are not seen, and reported', () => {
    const lp = fixture('terminators.c');
    expect(lp.objects.find((o) => o.object === 'late_mod')?.funcs.map((f) => f.name)).toEqual(['a']);
    // A state without id ends klp_for_each_state(), whatever its version.
    expect(lp.states.map((s) => s.id)).toEqual([7]);
    const after = lp.problems.filter((p) => p.message.includes('after the array'));
    expect(after.map((p) => textAt(text, p)).map((t) => t.trim())).toEqual(['{ .old_name = "b", .new_func = lp_b }', '{ .id = 8 }']);
  });

  it('places the missing terminator after the last element (or inside an empty list)', () => {
    const lp = fixture('terminators.c');
    const unterminated = lp.arrays!.find((a) => a.name === 'unterminated')!;
    const { line, character } = unterminated.terminatorLocation.range.start;
    expect(text.split('\n')[line].slice(0, character)).toBe('\t{ .old_name = "b", .new_func = lp_b }');
    expect(unterminated.terminatorText).toBe(', { }');
    const empty = lp.arrays!.find((a) => a.name === 'empty')!;
    expect(text.split('\n')[empty.terminatorLocation.range.start.line].slice(0, empty.terminatorLocation.range.start.character)).toBe('static struct klp_func empty[] = {');
    expect(empty.terminatorText).toBe('{ }');
  });

  it('treats one struct given where an array is walked as unterminated', () => {
    const lp = fixture('single-struct.c');
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => f.name), o.funcsTerminated])).toEqual([['vmlinux', ['cmdline_proc_show'], false]]);
    expect(lp.arrays?.map((a) => [a.struct, a.name, a.terminated, a.single])).toEqual([
      ['klp_func', 'func', false, true],
      ['klp_object', 'obj', false, true],
    ]);
  });

  it('does not decide for elements written with macros', () => {
    const lp = source('static struct klp_func f[] = { KLP_FUNC(a, b), KLP_FUNC_END };\nstatic struct klp_object o[] = { { .funcs = f }, { } };\nstatic struct klp_patch p = { .objs = o };');
    expect(lp.arrays?.find((a) => a.name === 'f')?.terminated).toBeUndefined();
  });
});

describe('livepatchFromModule: replace', () => {
  it('reads replace from a module parameter, uses its default and says so', () => {
    const text = readFixture('module', 'replace-param.c');
    const lp = fixture('replace-param.c');
    expect(lp.replace).toBe(true);
    expect(textAt(text, lp.replaceLocation)).toBe('patch.replace = replace');
    expect(messages(lp)).toEqual([
      'information:parse-error: replace comes from the module parameter `replace`: klp-lens uses its default, true (load with replace=0 for the other behaviour)',
    ]);
  });

  it('defaults to false, pointing at the klp_patch initializer where `.replace = true,` would go', () => {
    const text = 'static struct klp_patch patch = {\n\t.mod = THIS_MODULE,\n};\n';
    const lp = source(text);
    expect(lp.replace).toBe(false);
    expect(textAt(text, lp.replaceLocation)).toBe('{\n\t.mod = THIS_MODULE,\n}');
  });

  it.each([
    ['.replace = false', false],
    ['.replace = 1', true],
    ['.replace = 0', false],
    ['.replace = REPLACE', true],
    ['.replace = on', true],
    ['.replace = off', false],
  ])('%s', (init, expected) => {
    const text = `#define REPLACE 1\nstatic bool on = true;\nstatic int off;\nstatic struct klp_patch patch = { ${init} };`;
    const lp = source(text);
    expect(lp.replace).toBe(expected);
    expect(lp.problems).toEqual([]);
  });

  it('a run-time assignment wins over the initializer', () => {
    const lp = source('static struct klp_patch patch = { .replace = true };\nstatic int init(void) { patch.replace = false; return 0; }');
    expect(lp.replace).toBe(false);
  });

  it('reports what it cannot evaluate and assumes false', () => {
    const lp = fixture('unreadable.c');
    expect(lp.replace).toBe(false);
    expect(messages(lp)).toContain('information:parse-error: cannot tell whether replace is true (`IS_ENABLED(CONFIG_LP_REPLACE)`): klp-lens assumes false');
  });
});

describe('livepatchFromModule: what cannot be read', () => {
  it('leaves out what it cannot read, with a problem at each place, never an exception', () => {
    const lp = fixture('unreadable.c');
    expect(lp.objects.map((o) => [o.object, o.funcs.map((f) => `${f.name},${f.sympos}`), o.hasFuncs])).toEqual([
      ['vmlinux', ['known,0'], true],
      ['built_at_run_time', [], true],
      ['no_funcs', [], false],
    ]);
    expect(lp.states.map((s) => [s.id, s.version])).toEqual([[3, 2]]);
    expect(new Set(messages(lp))).toEqual(new Set([
      'information:parse-error: cannot read the function name `OLD_NAME_FROM_A_HEADER`: klp-lens leaves this klp_func out',
      'information:parse-error: cannot read .old_sympos `SYMPOS_FROM_A_HEADER`: klp-lens assumes 0',
      'warning:parse-error: this klp_func has no .old_name: klp_init_func() refuses it and klp_enable_patch() fails with -EINVAL',
      'information:parse-error: cannot read the object name `KBUILD_MODNAME`: klp-lens leaves this object out',
      'information:parse-error: cannot read the functions of object built_at_run_time (`runtime_funcs`): klp-lens sees none',
      'information:parse-error: cannot read the state\'s id `STATE_FROM_A_HEADER`: klp-lens leaves this state out',
      'information:parse-error: cannot tell whether replace is true (`IS_ENABLED(CONFIG_LP_REPLACE)`): klp-lens assumes false',
    ]));
    expect(lp.problems).toHaveLength(7);
  });

  it('says so when there is no klp_patch, or when objects are built at run time', () => {
    expect(messages(source('int x;'))).toEqual(['information:parse-error: no struct klp_patch defined in this file: klp-lens sees no livepatch here']);
    const runtime = source('static struct klp_object *objs;\nstatic struct klp_patch patch;\nstatic int init(void) { patch.objs = objs; return klp_enable_patch(&patch); }');
    expect(runtime.objects).toEqual([]);
    expect(messages(runtime)).toEqual(['information:parse-error: cannot read the objects of this patch (`objs`, e.g. built at run time): klp-lens sees none']);
  });

  it('says so when the klp structures come from an included .c file', () => {
    const lp = source('/* same fix */\n#include "test_klp_state2.c"\n');
    expect(messages(lp)).toContain('information:parse-error: klp-lens reads this file alone: the klp structures of the included test_klp_state2.c are not seen');
  });
});

describe('livepatchFromModule: exports and references', () => {
  it('lists EXPORT_SYMBOL* with the macro and its place', () => {
    const text = 'int lp_shared(void) { return 0; }\nEXPORT_SYMBOL_GPL(lp_shared);\nEXPORT_SYMBOL(lp_other);\n#define EXPORT_SYMBOL_X(s) EXPORT_SYMBOL(s)\n';
    const lp = source(text);
    expect(lp.exports.map((e) => [e.name, e.macro, textAt(text, e.location)])).toEqual([
      ['lp_shared', 'EXPORT_SYMBOL_GPL', 'EXPORT_SYMBOL_GPL(lp_shared);'],
      ['lp_other', 'EXPORT_SYMBOL', 'EXPORT_SYMBOL(lp_other);'],
    ]);
  });

  it('keeps calls and globals of the kernel; leaves out locals, parameters, own names, members, macros, enums and #if conditions', () => {
    const text = readFixture('module', 'references.c');
    const lp = fixture('references.c');
    expect(lp.references.map((r) => [r.name, r.inFunction ?? null])).toEqual([
      ['seq_printf', 'lp_show'],
      ['saved_command_line', 'lp_show'],
      ['kernel_helper', 'lp_show'],
      ['printk', 'own_static'],
      ['some_kernel_tracer', null],
    ]);
    expect(textAt(text, lp.references[1].location)).toBe('saved_command_line');
  });
});

describe('livepatchFromModule: klp symbols', () => {
  const text = readFixture('module', 'klp-symbols.c');

  it('reads every spelling with its object, position and C name', () => {
    const lp = fixture('klp-symbols.c');
    expect(lp.klpSymbols.map((k) => [k.spelling, k.object, k.name, k.sympos, k.localName ?? null, k.anyObject ?? false])).toEqual([
      ['KLP_RELOC_SYMBOL', 'cifs', 'cifsFYI', 0, 'klpe_cifsFYI', false],
      ['KLP_RELOC_SYMBOL', 'cifs', 'cifs_queue_oplock_break', 0, 'klpe_cifs_queue_oplock_break', false],
      ['KLP_RELOC_SYMBOL', 'bluetooth', 'bt_err', 0, null, false],
      ['KLP_RELOC_SYMBOL', 'vmlinux', 'homonym', 2, 'klpe_homonym', false],
      ['asm-label', 'vmlinux', 'saved_command_line', 0, null, false],
      ['asm-label', 'test_mod', 'show.isra.0', 1, 'klpe_show', false],
      ['KLP_SYMPOS', 'test_klp_convert_mod', 'driver_name', 0, null, false],
      ['KLP_SYMPOS', 'test_klp_convert_mod', 'homonym_string', 2, null, false],
      ['kallsyms_lookup_name', 'vmlinux', '__ptrace_may_access', 1, null, true],
      ['kallsyms_lookup_name', 'vmlinux', 'tcp_v4_connect', 1, null, true],
      ['kallsyms_lookup_name', 'nf_tables', 'nft_setelem_data_activate', 1, null, false],
    ]);
    expect(textAt(text, lp.klpSymbols[0].location)).toBe('KLP_RELOC_SYMBOL(livepatch_x, cifs, cifsFYI);');
    expect(textAt(text, lp.klpSymbols[4].location)).toBe('".klp.sym.vmlinux.saved_command_line,0"');
  });

  it('ignores the macros\' own #define lines and comments', () => {
    const lp = fixture('klp-symbols.c');
    expect(lp.problems.filter((p) => !p.message.startsWith('no struct klp_patch'))).toEqual([]);
  });
});
