import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentSymbols } from '../../../../server/src/lsp/features/documentSymbols';
import { inlayHints } from '../../../../server/src/lsp/features/inlayHints';
import { partDefinition, partHover } from '../../../../server/src/lsp/features/suseParts';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { cursorInFile, rangeInFile } from '../../../helpers/cursor';
import { fixturePath } from '../../../helpers/fixtures';
import { makeView, uriOf } from '../view';

const ROOT = fixturePath('suse/release');
const CSV2 = path.join(ROOT, 'bsc1000002/patched_funcs.csv');
const C2 = path.join(ROOT, 'bsc1000002/livepatch_bsc1000002.c');
const text = (h: ReturnType<typeof partHover>) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');

describe("SUSE parts: rows and their new functions, both ways", () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([ROOT]);
  });

  it("hovers a part's row with the function's stack, its part and a link to its new function", () => {
    const h = partHover(view, CSV2, cursorInFile(CSV2, 'net/bluetooth/bluetooth hci_c$0onn_del_sysfs'));
    expect(text(h)).toContain('**net/bluetooth/bluetooth:hci_conn_del_sysfs,1**');
    expect(text(h)).toContain("Part `bsc1000002` of SUSE's cumulative livepatch · new function [klpp\\_hci\\_conn\\_del\\_sysfs (livepatch\\_bsc1000002.c:10)]");
    expect(text(h)).toContain(`${uriOf(C2)}#L10`);
  });

  it('hovers a new function in the part\'s code with the row that patches with it', () => {
    const h = partHover(view, C2, cursorInFile(C2, 'klpp_hci_$0conn_del_sysfs(void *conn)'));
    expect(text(h)).toMatch(/^\*\*`klpp_hci_conn_del_sysfs`\*\* replaces `net\/bluetooth\/bluetooth:hci_conn_del_sysfs,1` in SUSE's cumulative livepatch: row \[bsc1000002\/patched\\_funcs\.csv:2\]/);
    expect(h?.range).toEqual(rangeInFile(C2, '$0klpp_hci_conn_del_sysfs$0(void *conn)'));
  });

  it('goes from the new_func column to the definition, and from the definition to the row', () => {
    const [toCode] = partDefinition(view, CSV2, cursorInFile(CSV2, 'unix_stream_read_generic klpp_$0unix_stream_read_generic')) ?? [];
    expect([toCode?.targetUri, toCode?.targetSelectionRange]).toEqual([uriOf(C2), rangeInFile(C2, 'int $0klpp_unix_stream_read_generic$0(void *state,')]);
    const [toRow] = partDefinition(view, C2, cursorInFile(C2, 'int klpp_unix_stream_$0read_generic(')) ?? [];
    expect([toRow?.targetUri, toRow?.targetSelectionRange]).toEqual([uriOf(CSV2), rangeInFile(CSV2, 'vmlinux unix_stream_read_generic $0klpp_unix_stream_read_generic$0')]);
  });

  it('leaves other places to the general hover and definition', () => {
    const c1 = path.join(ROOT, 'bsc1000001/livepatch_bsc1000001.c');
    // A new function of another part, an identifier no row names, a file outside every part.
    expect(partHover(view, c1, cursorInFile(c1, '#include "livepatch_$0bsc1000001.h"'))).toBeNull();
    expect(partDefinition(view, C2, cursorInFile(C2, 'return $00;'))).toBeUndefined();
    expect(partHover(view, path.join(ROOT, 'livepatch_main.c'), { line: 0, character: 0 })).toBeNull();
  });
});

describe("SUSE parts: a part's csv has its own hints and outline", () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([ROOT]);
  });

  it("shows the state after each of the part's rows, and only its rows", () => {
    const rows = readFileSync(CSV2, 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).length;
    const hints = inlayHints(view, CSV2, { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } });
    expect(hints).toHaveLength(rows);
    expect(new Set(hints.map((h) => h.position.line)).size).toBe(rows);
  });

  it("outlines the part's objects and functions", () => {
    const names = documentSymbols(view, CSV2).flatMap((o) => (o.children ?? []).map((f) => `${o.name}:${f.name}`));
    expect(names).toContain('net/bluetooth/bluetooth:hci_conn_del_sysfs');
    expect(names).toContain('vmlinux:unix_stream_read_generic');
  });
});
