import { beforeAll, describe, expect, it } from 'vitest';
import type { Hover } from 'vscode-languageserver-protocol';
import { hover } from '../../../../server/src/lsp/features/hover';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { cursorInFile, rangeInFile } from '../../../helpers/cursor';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf } from '../view';

const text = (h: Hover | null): string | undefined => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined);
const link = (file: string, line: number) => `[${file.split('/').pop()!.replace(/_/g, '\\_')}:${line}](${uriOf(file)}#L${line})`;
const mixed = (file: string) => lspFixture('mixed', file);
const source = (file: string) => lspFixture('source', file);
/** The hover on the marked place of a file. */
const hoverAt = (view: AnalysisView, file: string, snippet: string) => hover(view, file, cursorInFile(file, snippet));
const lpa = mixed('lpa.c');
const patch = mixed('proc-fix.patch');
const cmdline = source('fs/proc/cmdline.c');

const HUNK = ["**The build patches for this hunk** (klp-lens' prediction; Verify with the Compiler to be sure):", '', '- `cmdline_proc_show` in `vmlinux`'].join('\n');

describe('hover on a patched function', () => {
  let view: AnalysisView;
  let cli: AnalysisView;
  beforeAll(async () => {
    [view, cli] = await Promise.all([makeView([lspFixture('mixed')], KERNEL), makeView([cliSeries()], KERNEL)]);
  });

  const cmdlineStack = () =>
    [
      '**vmlinux:cmdline_proc_show,1**: `proc_fix` runs',
      '',
      'After the series, newest first:',
      `- \`proc_fix\`: active · ${link(patch, 10)}`,
      `- \`lpa\`: shadowed by proc_fix · ${link(lpa, 16)}`,
      '',
      `Object \`vmlinux\` · sympos 1 · source [fs/proc/cmdline.c:7](${uriOf(cmdline)}#L7)`,
    ].join('\n');

  it("on a klp_func's old_name: the stack newest first, with links, object, sympos and source", () => {
    const h = hoverAt(view, lpa, '.old_name = "cmdli$0ne_proc_show"');
    expect(text(h)).toBe(cmdlineStack());
    expect(h?.range).toEqual(rangeInFile(lpa, '.old_name = $0"cmdline_proc_show"$0'));
  });

  it('anywhere in the klp_func entry', () => {
    expect(text(hoverAt(view, lpa, '.$0new_func = livepatch_cmdline_proc_show'))).toBe(cmdlineStack());
  });

  it("on a hunk's lines and on its @@ line", () => {
    expect(text(hoverAt(view, patch, ' $0\tseq_puts(m, saved_command_line);'))).toBe(cmdlineStack());
    const header = hoverAt(view, patch, '@@ $0-7,7 +7,7 @@');
    // What the build patches for the hunk, then the stack of its function.
    expect(text(header)).toBe(`${HUNK}\n\n---\n\n${cmdlineStack()}`);
    expect(header?.range).toEqual(rangeInFile(patch, '$0@@ -7,7 +7,7 @@$0'));
  });

  it('on the definition head in a kernel source file, not in its body', () => {
    const h = hoverAt(view, cmdline, 'static int cmd$0line_proc_show(');
    expect(text(h)).toBe(cmdlineStack());
    expect(h?.range).toEqual(rangeInFile(cmdline, 'static int $0cmdline_proc_show$0('));
    // Elsewhere on the head, the head is the range.
    expect(hoverAt(view, cmdline, 'st$0atic int cmdline_proc_show(')?.range).toEqual(rangeInFile(cmdline, '$0static int cmdline_proc_show(struct seq_file *m, void *v)$0'));
    expect(hoverAt(view, cmdline, '\ts$0eq_putc(')).toBeNull();
    // A definition whose name is on the line after its type.
    expect(text(hoverAt(view, source('fs/proc/version.c'), '$0static int\nversion_proc_show('))).toContain('**vmlinux:version_proc_show,1**: `proc_fix` runs');
  });

  it('on a csv row: a disabled patch, the module source found through Module.symvers', () => {
    expect(text(hoverAt(view, mixed('bsc1/patched_funcs.csv'), 'cdrom me$0dia_changed'))).toBe(
      [
        '**cdrom:media_changed,1**: the original code runs',
        '',
        'After the series, newest first:',
        `- \`bsc1\`: disabled · ${link(mixed('bsc1/patched_funcs.csv'), 1)}`,
        '',
        `Object \`cdrom\` · sympos 1 · source [drivers/cdrom/cdrom.c:12](${uriOf(source('drivers/cdrom/cdrom.c'))}#L12)`,
      ].join('\n'),
    );
  });

  it("a refused patch with the kernel's message; how many symbols the object has of that name", () => {
    expect(text(hoverAt(view, mixed('lpr.c'), '.old_name = "t$0ype_show"'))).toBe(
      [
        '**vmlinux:type_show,1**: the original code runs',
        '',
        'After the series, newest first:',
        `- \`lpr\`: refused: livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)' · ${link(mixed('lpr.c'), 15)}`,
        '',
        'Object `vmlinux` · sympos 1 (vmlinux has 3 symbols of this name)',
      ].join('\n'),
    );
  });

  it("names the source file of the occurrence old_sympos picks, when a vmlinux's symbol table told it", () => {
    const first = view.kernel.objects.get('vmlinux')!.byName.get('type_show')![0];
    first.sourceFile = 'ksysfs.c';
    try {
      expect(text(hoverAt(view, mixed('lpr.c'), '.old_name = "t$0ype_show"'))).toContain("Object `vmlinux` · sympos 1 (vmlinux has 3 symbols of this name; this one is ksysfs.c's)");
    } finally {
      delete first.sourceFile;
    }
  });

  it('reference section 3: replaced patches, and the replace patch that dropped the function first', () => {
    expect(text(hoverAt(cli, cliSeries('lpa.c'), '.old_name = "cmdli$0ne_proc_show"'))).toBe(
      [
        '**vmlinux:cmdline_proc_show,1**: the original code runs',
        '',
        'After the series, newest first:',
        `- \`lpc\`: replace patch without it: the original code runs (its nop left with the transition) · ${link(cliSeries('lpc.c'), 27)}`,
        `- \`lpb\`: replaced by lpc · ${link(cliSeries('lpb.c'), 21)}`,
        `- \`lpa\`: replaced by lpc · ${link(cliSeries('lpa.c'), 15)}`,
        '',
        // No diff places a vmlinux function of these modules in a file: no source is looked for.
        'Object `vmlinux` · sympos 1',
      ].join('\n'),
    );
    expect(text(hoverAt(cli, cliSeries('lpb.c'), '.old_name = "versi$0on_proc_show"'))?.split('\n').slice(0, 5)).toEqual([
      '**vmlinux:version_proc_show,1**: `lpc` runs',
      '',
      'After the series, newest first:',
      `- \`lpc\`: active · ${link(cliSeries('lpc.c'), 15)}`,
      `- \`lpb\`: replaced by lpc · ${link(cliSeries('lpb.c'), 24)}`,
    ]);
  });

  it('nothing on lines that name no patched function', () => {
    expect(hoverAt(view, lpa, '// $0lpa: patches')).toBeNull();
    expect(hoverAt(view, patch, 'Sub$0ject: [PATCH]')).toBeNull();
    expect(hoverAt(view, mixed('series'), 'l$0pa.c')).toBeNull();
  });
});

describe('hover on a symbol a livepatch uses', () => {
  let view: AnalysisView;
  let klp: AnalysisView;
  beforeAll(async () => {
    [view, klp] = await Promise.all([makeView([lspFixture('mixed')], KERNEL), makeView([lspFixture('klpsym/lpk.c')], KERNEL)]);
  });
  const at = (snippet: string) => text(hoverAt(view, lpa, snippet));

  it('a vmlinux export: the module loader resolves it', () => {
    expect(at('\tse$0q_printf(')).toBe('**`seq_printf`**: exported by `vmlinux` (EXPORT_SYMBOL, Module.symvers)\n\nThe module loader resolves it: no klp symbol is needed.');
  });

  it('a module export: its klp symbol', () => {
    expect(at('(unsigned long)cdr$0om_check_events,')).toBe(
      '**`cdrom_check_events`**: exported by module `cdrom` (EXPORT_SYMBOL, `drivers/cdrom/cdrom` in Module.symvers)\n\n' +
        'klp symbol: `.klp.sym.cdrom.cdrom_check_events,0`, resolved by the livepatch core when cdrom is loaded; an ordinary relocation would make lpa depend on cdrom',
    );
  });

  it('a local symbol: the object whose table has it, and the position when it is not unique', () => {
    expect(at('(unsigned long)ty$0pe_show,')).toBe(
      '**`type_show`**: not exported (Module.symvers); in the symbol table of vmlinux\n\n' +
        '3 symbols named `type_show` in vmlinux: the klp symbol needs the position of the one meant, `.klp.sym.vmlinux.type_show,<1..3>`',
    );
    expect(at('(unsigned long)medi$0a_changed)')).toBe('**`media_changed`**: not exported (Module.symvers); in the symbol table of cdrom\n\nklp symbol: `.klp.sym.cdrom.media_changed,0`');
  });

  it('a symbol in a diff, inside a patched function', () => {
    expect(text(hoverAt(view, patch, '+\tse$0q_puts(m, " klp'))).toBe('**`seq_puts`**: not exported (Module.symvers); in no symbol table klp-lens has');
  });

  it('a klp symbol declaration: whether the livepatch core resolves it', () => {
    const file = lspFixture('klpsym/lpk.c');
    expect(text(hoverAt(klp, file, '".klp.sym.v$0mlinux.type_show,0"'))).toBe(
      "**klp symbol `.klp.sym.vmlinux.type_show,0`**: the livepatch core cannot resolve it:\n\n`livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'`",
    );
    expect(text(hoverAt(klp, file, '".klp.s$0ym.cdrom.media_changed,0"'))).toBe(
      `**klp symbol \`.klp.sym.cdrom.media_changed,0\`**: resolves in cdrom (${KERNEL.kernel}/kallsyms)`,
    );
  });
});

