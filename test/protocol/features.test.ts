// The language features through the built server over stdio: hover, inlay hints,
// outline, go to definition and the series state, on a series whose functions end in
// every state, with a small kernel and a kernel source tree.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InlayHintRequest,
  type DocumentSymbol,
  type Hover,
  type InlayHint,
  type LocationLink,
} from 'vscode-languageserver-protocol';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { cursorInFile } from '../helpers/cursor';
import { fixturePath } from '../helpers/fixtures';
import { TestClient, uriOf } from '../../tools/src/lspClient';

let folder: string;
let client: TestClient;
const at = (file: string) => path.join(folder, file);
const markdown = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
const labels = (hints: InlayHint[]) => hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
const whole = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-features-'));
  cpSync(fixturePath('lsp/mixed'), folder, { recursive: true });
  cpSync(fixturePath('lsp/source'), at('source'), { recursive: true });
  cpSync(fixturePath('cli/kernel'), at('kernel'), { recursive: true });
  client = TestClient.spawn();
  client.settings = { kernel: { symvers: 'kernel/Module.symvers', kallsyms: 'kernel/kallsyms', sourceDir: 'source' } };
  await client.initialize([folder]);
  await client.waitFor('the kernel', () => client.kernelStatuses.find((s) => s.state === 'ready'));
});

afterAll(() => {
  client.kill();
  rmSync(folder, { recursive: true, force: true });
});

describe('language features over stdio', () => {
  it('hovers a klp_func old_name with its patch stack after the series', async () => {
    const uri = await client.open(at('lpa.c'));
    const position = cursorInFile(at('lpa.c'), '.old_name = "cmdli$0ne_proc_show"');
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    const text = markdown(h);
    expect(text).toContain('**vmlinux:cmdline_proc_show,1**');
    expect(text.indexOf('`proc_fix`: active')).toBeLessThan(text.indexOf('`lpa`: shadowed by proc_fix'));
    expect(text).toContain(`${uriOf(at('source/fs/proc/cmdline.c'))}#L7`);
  });

  it('hovers the function in the kernel source it resolves to', async () => {
    const uri = await client.open(at('source/fs/proc/cmdline.c'));
    const position = cursorInFile(at('source/fs/proc/cmdline.c'), 'static int cmd$0line_proc_show(');
    const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    expect(markdown(h)).toContain('`proc_fix`: active');
  });

  it('shows the state inline with inlay hints', async () => {
    const uri = uriOf(at('lpa.c'));
    const hints = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: whole })) ?? [];
    // The state in the label, short enough for VS Code's 43 characters; the function in the tooltip.
    expect(labels(hints)).toEqual(['shadowed by proc_fix']);
    expect(String(hints[0].tooltip)).toMatch(/^vmlinux:cmdline_proc_show,1\n/);
    const series = await client.open(at('series'), 'klp-series');
    const seriesHints = (await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: series }, range: whole })) ?? [];
    expect(labels(seriesHints).join('\n')).toMatch(/refused/);
  });

  it('outlines a patch file: files, hunks, functions', async () => {
    const uri = await client.open(at('proc-fix.patch'), 'diff');
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    expect(symbols.map((s) => s.name)).toEqual(['fs/proc/cmdline.c', 'fs/proc/version.c']);
    const names = (s: DocumentSymbol): string[] => [s.name, ...(s.children ?? []).flatMap(names)];
    expect(names(symbols[0])).toContain('cmdline_proc_show');
  });

  it('goes from old_name to the definition in the kernel source', async () => {
    const uri = uriOf(at('lpa.c'));
    const position = cursorInFile(at('lpa.c'), '.old_name = "cmdli$0ne_proc_show"');
    const links = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position })) as LocationLink[];
    const cmdline = at('source/fs/proc/cmdline.c');
    expect(links.map((l) => [l.targetUri, l.targetSelectionRange.start.line])).toEqual([[uriOf(cmdline), cursorInFile(cmdline, 'static int $0cmdline_proc_show(').line]]);
  });

  it('answers the series state with each patch, its state and its findings', async () => {
    const state = await client.connection.sendRequest(SeriesStateRequest.type, {});
    expect(state.patches.map((p) => [p.name, p.state])).toEqual([
      ['lpa', 'enabled'],
      ['proc_fix', 'enabled'],
      ['bsc1', 'disabled'],
      ['lpr', 'refused'],
    ]);
    expect(state.patches[3].error).toMatch(/unresolvable ambiguity for symbol 'type_show'/);
    // The findings of each livepatch's file (the overlap of lpa and proc_fix, lpr's ambiguous symbol), and in all.
    const counts = (uri: string) => state.findings.byUri[uri] && [state.findings.byUri[uri].error, state.findings.byUri[uri].warning];
    expect(state.patches.map((p) => counts(p.uri))).toEqual([[0, 2], [0, 2], [0, 0], [1, 0]]);
    expect(state.findings.total).toEqual({ error: 1, warning: 4, information: 0, hint: 0 });
  });
});
