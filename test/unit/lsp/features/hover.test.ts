import { beforeAll, describe, expect, it } from 'vitest';
import type { Hover } from 'vscode-languageserver-protocol';
import { hover } from '../../../server/src/lsp/features/hover';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { cliSeries, KERNEL, lspFixture, makeView, uriOf } from './view';

const text = (h: Hover | null): string | undefined => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : undefined);
const link = (file: string, line: number) => `[${file.split('/').pop()!.replace(/_/g, '\\_')}:${line}](${uriOf(file)}#L${line})`;
const mixed = (file: string) => lspFixture('mixed', file);
const source = (file: string) => lspFixture('source', file);

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
      `- \`proc_fix\`: active · ${link(mixed('proc-fix.patch'), 10)}`,
      `- \`lpa\`: shadowed by proc_fix · ${link(mixed('lpa.c'), 16)}`,
      '',
      `Object \`vmlinux\` · sympos 1 · source [fs/proc/cmdline.c:7](${uriOf(source('fs/proc/cmdline.c'))}#L7)`,
    ].join('\n');

  it("on a klp_func's old_name: the stack newest first, with links, object, sympos and source", () => {
    const h = hover(view, mixed('lpa.c'), { line: 15, character: 20 });
    expect(text(h)).toBe(cmdlineStack());
    expect(h?.range).toEqual({ start: { line: 15, character: 14 }, end: { line: 15, character: 33 } });
  });

  it('anywhere in the klp_func entry', () => {
    expect(text(hover(view, mixed('lpa.c'), { line: 16, character: 3 }))).toBe(cmdlineStack());
  });

  it("on a hunk's lines and on its @@ line", () => {
    expect(text(hover(view, mixed('proc-fix.patch'), { line: 8, character: 1 }))).toBe(cmdlineStack());
    const header = hover(view, mixed('proc-fix.patch'), { line: 5, character: 3 });
    expect(text(header)).toBe(cmdlineStack());
    expect(header?.range).toEqual({ start: { line: 5, character: 0 }, end: { line: 5, character: 15 } });
  });

  it('on the definition head in a kernel source file, not in its body', () => {
    const h = hover(view, source('fs/proc/cmdline.c'), { line: 6, character: 14 });
    expect(text(h)).toBe(cmdlineStack());
    expect(h?.range).toEqual({ start: { line: 6, character: 11 }, end: { line: 6, character: 28 } });
    // Elsewhere on the head, the head is the range.
    expect(hover(view, source('fs/proc/cmdline.c'), { line: 6, character: 2 })?.range).toEqual({ start: { line: 6, character: 0 }, end: { line: 6, character: 57 } });
    expect(hover(view, source('fs/proc/cmdline.c'), { line: 9, character: 2 })).toBeNull();
    // A definition whose name is on the line after its type.
    expect(text(hover(view, source('fs/proc/version.c'), { line: 7, character: 0 }))).toContain('**vmlinux:version_proc_show,1**: `proc_fix` runs');
  });

  it('on a csv row: a disabled patch, the module source found through Module.symvers', () => {
    expect(text(hover(view, mixed('bsc1/patched_funcs.csv'), { line: 0, character: 8 }))).toBe(
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
    expect(text(hover(view, mixed('lpr.c'), { line: 14, character: 16 }))).toBe(
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

  it('reference section 3: replaced patches, and the replace patch that dropped the function first', () => {
    expect(text(hover(cli, cliSeries('lpa.c'), { line: 14, character: 20 }))).toBe(
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
    expect(text(hover(cli, cliSeries('lpb.c'), { line: 23, character: 20 }))?.split('\n').slice(0, 5)).toEqual([
      '**vmlinux:version_proc_show,1**: `lpc` runs',
      '',
      'After the series, newest first:',
      `- \`lpc\`: active · ${link(cliSeries('lpc.c'), 15)}`,
      `- \`lpb\`: replaced by lpc · ${link(cliSeries('lpb.c'), 24)}`,
    ]);
  });

  it('nothing on lines that name no patched function', () => {
    expect(hover(view, mixed('lpa.c'), { line: 0, character: 3 })).toBeNull();
    expect(hover(view, mixed('proc-fix.patch'), { line: 0, character: 3 })).toBeNull();
    expect(hover(view, mixed('series'), { line: 1, character: 1 })).toBeNull();
  });
});

describe('hover on a symbol a livepatch uses', () => {
  let view: AnalysisView;
  let klp: AnalysisView;
  beforeAll(async () => {
    [view, klp] = await Promise.all([makeView([lspFixture('mixed')], KERNEL), makeView([lspFixture('klpsym/lpk.c')], KERNEL)]);
  });
  const at = (line: number, character: number) => text(hover(view, mixed('lpa.c'), { line, character }));

  it('a vmlinux export: the module loader resolves it', () => {
    expect(at(8, 3)).toBe('**`seq_printf`**: exported by `vmlinux` (EXPORT_SYMBOL, Module.symvers)\n\nThe module loader resolves it: no klp symbol is needed.');
  });

  it('a module export: its klp symbol', () => {
    expect(at(8, 60)).toBe(
      '**`cdrom_check_events`**: exported by module `cdrom` (EXPORT_SYMBOL, `drivers/cdrom/cdrom` in Module.symvers)\n\n' +
        'klp symbol: `.klp.sym.cdrom.cdrom_check_events,0`, resolved by the livepatch core when cdrom is loaded; an ordinary relocation would make lpa depend on cdrom',
    );
  });

  it('a local symbol: the object whose table has it, and the position when it is not unique', () => {
    expect(at(9, 22)).toBe(
      '**`type_show`**: not exported (Module.symvers); in the symbol table of vmlinux\n\n' +
        '3 symbols named `type_show` in vmlinux: the klp symbol needs the position of the one meant, `.klp.sym.vmlinux.type_show,<1..3>`',
    );
    expect(at(9, 50)).toBe('**`media_changed`**: not exported (Module.symvers); in the symbol table of cdrom\n\nklp symbol: `.klp.sym.cdrom.media_changed,0`');
  });

  it('a symbol in a diff, inside a patched function', () => {
    expect(text(hover(view, mixed('proc-fix.patch'), { line: 10, character: 4 }))).toBe('**`seq_puts`**: not exported (Module.symvers); in no symbol table klp-lens has');
  });

  it('a klp symbol declaration: whether the livepatch core resolves it', () => {
    const file = lspFixture('klpsym/lpk.c');
    expect(text(hover(klp, file, { line: 6, character: 50 }))).toBe(
      "**klp symbol `.klp.sym.vmlinux.type_show,0`**: the livepatch core cannot resolve it:\n\n`livepatch: unresolvable ambiguity for symbol 'type_show' in object '(null)'`",
    );
    expect(text(hover(klp, file, { line: 7, character: 50 }))).toBe(
      `**klp symbol \`.klp.sym.cdrom.media_changed,0\`**: resolves in cdrom (${KERNEL.kernel}/kallsyms)`,
    );
  });
});
