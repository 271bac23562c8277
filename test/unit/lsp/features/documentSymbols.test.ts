import { beforeAll, describe, expect, it } from 'vitest';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-protocol';
import { documentSymbols } from '../../../../server/src/lsp/features/documentSymbols';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { rangeInFile } from '../../../helpers/cursor';
import { fixturePath } from '../../../helpers/fixtures';
import { KERNEL, lspFixture, makeView } from '../view';

const KIND: Record<number, string> = {
  [SymbolKind.File]: 'File',
  [SymbolKind.Namespace]: 'Namespace',
  [SymbolKind.Module]: 'Module',
  [SymbolKind.Object]: 'Object',
  [SymbolKind.Function]: 'Function',
};

/** Each symbol as "kind name (detail) start-end lines", children indented. */
function outline(symbols: DocumentSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => [
    `${'  '.repeat(depth)}${KIND[s.kind] ?? s.kind} ${s.name}${s.detail ? ` (${s.detail})` : ''} ${s.range.start.line}-${s.range.end.line}`,
    ...outline(s.children ?? [], depth + 1),
  ]);
}

/** Every symbol's selectionRange lies in its range, every child's range in its parent's. */
function wellFormed(symbols: DocumentSymbol[], parent?: DocumentSymbol): boolean {
  const inside = (a: DocumentSymbol['range'], b: DocumentSymbol['range']) =>
    (a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character >= b.start.character)) &&
    (a.end.line < b.end.line || (a.end.line === b.end.line && a.end.character <= b.end.character));
  return symbols.every((s) => inside(s.selectionRange, s.range) && (!parent || inside(s.range, parent.range)) && wellFormed(s.children ?? [], s));
}

describe('document symbols', () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([lspFixture('mixed')], KERNEL);
  });

  it('a patch diff: files > hunks > functions, with the object each file is built into', () => {
    const patch = lspFixture('mixed/proc-fix.patch');
    const symbols = documentSymbols(view, patch);
    expect(outline(symbols)).toEqual([
      'File fs/proc/cmdline.c (vmlinux) 2-13',
      '  Namespace @@ -7,7 +7,7 @@ 5-13',
      '    Function cmdline_proc_show (patched) 6-12',
      'File fs/proc/version.c (vmlinux) 14-25',
      '  Namespace @@ -8,7 +8,7 @@ 17-25',
      '    Function version_proc_show (patched) 18-24',
    ]);
    expect(symbols[0].children![0].children![0].selectionRange).toEqual(rangeInFile(patch, "$0-\tseq_putc(m, '\\n');$0"));
    expect(wellFormed(symbols)).toBe(true);
  });

  it('a module: klp_patch > objects > klp_funcs', () => {
    const lpa = lspFixture('mixed/lpa.c');
    const symbols = documentSymbols(view, lpa);
    expect(outline(symbols)).toEqual(['Module lpa 14-30', '  Object vmlinux 14-24', '    Function cmdline_proc_show (→ livepatch_cmdline_proc_show) 14-17']);
    expect(symbols[0].children![0].children![0].selectionRange).toEqual(rangeInFile(lpa, '.old_name = $0"cmdline_proc_show"$0'));
    expect(wellFormed(symbols)).toBe(true);
  });

  it('a csv: the patch, its objects and rows', () => {
    expect(outline(documentSymbols(view, lspFixture('mixed/bsc1/patched_funcs.csv')))).toEqual([
      'Module bsc1 0-0',
      '  Object cdrom 0-0',
      '    Function media_changed (→ livepatch_media_changed) 0-0',
    ]);
  });

  it('a diff the series does not list is read on its own; other files have none', () => {
    const symbols = documentSymbols(view, fixturePath('diff/demo.patch'));
    expect(outline(symbols)).toEqual([
      'File kernel/demo.c 0-51',
      '  Namespace @@ -8,14 +8,14 @@ static int demo_value; 2-18',
      '    Function demo_init (patched) 4-10',
      '    Function __do_sys_demo (patched) 12-18',
      '  Namespace @@ -25,24 +25,26 @@ int split_head(struct demo_dev *dev, int 19-51',
      '    Function split_head (patched) 20-26',
      '    Function helper (patched) 28-32',
      // removed_func is deleted by the patch: not a function of the livepatch (syntax/hunkFunctions.ts).
      '    Function added_func (new) 35-39',
      '    Function counter_read (patched) 41-50',
    ]);
    expect(wellFormed(symbols)).toBe(true);
    expect(documentSymbols(view, lspFixture('mixed/series'))).toEqual([]);
    expect(documentSymbols(view, lspFixture('source/fs/proc/cmdline.c'))).toEqual([]);
  });
});
