// The built language server, spawned as an editor runs it (`klp-lens-server --stdio`) and
// spoken to over its stdio, on the section 3 series (lpa, lpb, lpc) and a small kernel.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  ErrorCodes,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { cursorInFile, rangeIn } from '../helpers/cursor';
import { fixturePath } from '../helpers/fixtures';
import { TestClient, uriOf } from '../../tools/src/lspClient';

let folder: string;
let client: TestClient;

const findings = (diagnostics: Diagnostic[], code: string) => diagnostics.filter((d) => d.code === code);

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-lsp-'));
  cpSync(fixturePath('cli/series'), folder, { recursive: true });
  cpSync(fixturePath('cli/kernel'), path.join(folder, 'kernel'), { recursive: true });
  client = TestClient.spawn();
  // One relative path (read against the folder), one absolute.
  client.settings = { kernel: { symvers: 'kernel/Module.symvers', kallsyms: path.join(folder, 'kernel/kallsyms') } };
});

afterAll(() => {
  client.kill();
  rmSync(folder, { recursive: true, force: true });
});

describe('klp-lens-server over stdio', () => {
  it('announces incremental sync, pull diagnostics and quick fixes', async () => {
    const result = await client.initialize([folder]);
    expect(result.serverInfo?.name).toBe('klp-lens');
    expect(result.capabilities.textDocumentSync).toBe(TextDocumentSyncKind.Incremental);
    expect(result.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: true });
    expect(result.capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix'] });
  });

  it('reads its settings for the folder and the kernel in the background, with a progress bar', async () => {
    const ready = await client.waitFor('the kernel status', () => client.kernelStatuses.find((s) => s.state === 'ready'));
    expect(client.configurationItems[0]).toEqual({ scopeUri: uriOf(folder), section: 'klpLens' });
    expect(client.kernelStatuses[0].state).toBe('indexing');
    expect(ready.description).toMatch(/vmlinux symbols, .*exports/);
    expect(ready.source).toBe(path.join(folder, 'kernel/Module.symvers'));
    const [token] = client.progressTokens;
    await client.waitFor('the end of the progress', () => client.progress.some((p) => p.token === token && p.value.kind === 'end'));
    expect(client.progress.filter((p) => p.token === token).map((p) => p.value.kind)).toEqual(['begin', 'end']);
    expect(client.registrations.map((r) => r.method)).toContain('workspace/didChangeWatchedFiles');
  });

  it('pulls overlapping-function for lpb.c at line 20 with the related lpa.c', async () => {
    const lpbFile = path.join(folder, 'lpb.c');
    const lpb = await client.open(lpbFile);
    const [overlap] = findings(await client.diagnostics(lpb), 'overlapping-function');
    const start = cursorInFile(lpbFile, '.old_name = $0"cmdline_proc_show"');
    expect(overlap).toMatchObject({ severity: DiagnosticSeverity.Warning, source: 'klp-lens', range: { start } });
    const lpaFile = path.join(folder, 'lpa.c');
    const lpaLine = cursorInFile(lpaFile, '.old_name = $0"cmdline_proc_show"').line;
    expect(overlap.relatedInformation?.[0].location).toMatchObject({ uri: uriOf(lpaFile), range: { start: { line: lpaLine } } });
  });

  it('answers "unchanged" when nothing changed since the previous pull', async () => {
    const lpb = uriOf(path.join(folder, 'lpb.c'));
    const first = await client.pull(lpb);
    expect(first.kind).toBe('full');
    const again = await client.pull(lpb, first.resultId);
    expect(again).toEqual({ kind: 'unchanged', resultId: first.resultId });
  });

  it('offers set-replace for missing-replace on the current version, and nothing for a diagnostic the document moved away from', async () => {
    const lpb = uriOf(path.join(folder, 'lpb.c'));
    const [missing] = findings(await client.diagnostics(lpb), 'missing-replace');
    expect(missing.range.start.line).toBe(cursorInFile(path.join(folder, 'lpb.c'), '$0static struct klp_patch patch').line);
    const context = { diagnostics: [missing], only: ['quickfix'] };
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: lpb }, range: missing.range, context })) as CodeAction[];
    expect(actions.length).toBeGreaterThan(0);
    const [action] = actions;
    expect(action.kind).toBe('quickfix');
    expect(action.diagnostics?.[0].code).toBe('missing-replace');
    const [change] = action.edit?.documentChanges ?? [];
    if (!change || !('edits' in change)) throw new Error('expected a text document edit');
    expect(change.textDocument).toEqual({ uri: lpb, version: 1 });
    const text = readFileSync(path.join(folder, 'lpb.c'), 'utf8');
    const fixed = TextDocument.applyEdits(TextDocument.create(lpb, 'c', 1, text), change.edits);
    expect(fixed).toMatch(/\.replace = true/);

    // The same text as version 2: the finding is still there, the fix edits version 2.
    await client.change(lpb, text);
    const same = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: lpb }, range: missing.range, context })) as CodeAction[];
    expect(same[0]?.edit?.documentChanges?.[0]).toMatchObject({ textDocument: { uri: lpb, version: 2 } });
    // A line added above: the diagnostic of version 2 no longer shows a finding of version 3.
    await client.change(lpb, `\n${text}`);
    const stale = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: lpb }, range: missing.range, context });
    expect(stale).toEqual([]);
    await client.change(lpb, text);
  });

  it('applies incremental changes: an edit inside a line leaves the findings "unchanged", a new line moves them', async () => {
    const lpb = uriOf(path.join(folder, 'lpb.c'));
    const first = await client.pull(lpb);
    if (first.kind !== 'full') throw new Error('expected a full report');
    const [missing] = findings(first.items, 'missing-replace');
    // A comment typed at the end of the file's first line.
    const text = readFileSync(path.join(folder, 'lpb.c'), 'utf8');
    await client.edit(lpb, rangeIn(text, 'as in reference section 3.$0$0\n'), ' /* typed */');
    expect(await client.pull(lpb, first.resultId)).toEqual({ kind: 'unchanged', resultId: first.resultId });
    await client.edit(lpb, rangeIn(text, '$0$0// lpb:'), '\n');
    const moved = await client.pull(lpb, first.resultId);
    if (moved.kind !== 'full') throw new Error('expected a full report');
    expect(findings(moved.items, 'missing-replace')[0].range.start.line).toBe(missing.range.start.line + 1);
    await client.change(lpb, text);
  });

  it('applies changed settings (severity overrides) without rereading the kernel, then refreshes', async () => {
    const lpb = uriOf(path.join(folder, 'lpb.c'));
    const statuses = client.kernelStatuses.length;
    const refreshes = client.refreshes;
    const settings = client.settings;
    client.settings = { ...settings, severity: { 'missing-replace': 'off', 'overlapping-function': 'error' } };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitFor('a diagnostic refresh', () => client.refreshes > refreshes);
    const diagnostics = await client.diagnostics(lpb);
    expect(findings(diagnostics, 'missing-replace')).toEqual([]);
    expect(findings(diagnostics, 'overlapping-function')[0].severity).toBe(DiagnosticSeverity.Error);
    expect(client.kernelStatuses).toHaveLength(statuses);

    client.settings = settings;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    await client.waitFor('missing-replace back', async () => findings(await client.diagnostics(lpb), 'missing-replace').length === 1);
  });

  it('reads the kernel again when one of its files changes on disk', async () => {
    const kallsyms = path.join(folder, 'kernel/kallsyms');
    expect(client.registrations.some((r) => JSON.stringify(r.registerOptions).includes(uriOf(path.join(folder, 'kernel'))))).toBe(true);
    const statuses = client.kernelStatuses.length;
    expect(client.kernelStatuses.at(-1)?.description).toMatch(/\b8 vmlinux symbols/);
    appendFileSync(kallsyms, 'ffffffff81300000 t uptime_proc_show\n');
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(kallsyms), type: FileChangeType.Changed }] });
    const ready = await client.waitFor('the kernel read again', () => client.kernelStatuses.slice(statuses).find((s) => s.state === 'ready'));
    expect(ready.description).toMatch(/\b9 vmlinux symbols/);
    expect(client.kernelStatuses[statuses].state).toBe('indexing');
  });

  it('clears lpb.c overlapping-function once lpa.c no longer patches cmdline_proc_show (in memory), after a refresh', async () => {
    const lpaFile = path.join(folder, 'lpa.c');
    const lpa = await client.open(lpaFile);
    const lpb = uriOf(path.join(folder, 'lpb.c'));
    const refreshes = client.refreshes;
    const changes = client.seriesChanges;
    const without = readFileSync(lpaFile, 'utf8').replace(/\{\s*\.old_name = "cmdline_proc_show",[^}]*\}, /, '');
    expect(without).not.toMatch(/cmdline_proc_show"/);
    await client.change(lpa, without);
    await client.waitFor('a diagnostic refresh', () => client.refreshes > refreshes);
    expect(client.seriesChanges).toBeGreaterThan(changes);
    expect(findings(await client.diagnostics(lpb), 'overlapping-function')).toEqual([]);
    // The disk still has the entry: the open document's text is what counts.
    expect(readFileSync(lpaFile, 'utf8')).toMatch(/cmdline_proc_show"/);
  });

  it('answers the series state: three steps, the series file, the kernel', async () => {
    const state = await client.connection.sendRequest(SeriesStateRequest.type, {});
    expect(state.steps.map((s) => `${s.action} ${s.target} ${s.ok}`)).toEqual(['load lpa true', 'load lpb true', 'load lpc true']);
    expect(state.seriesUri).toBe(uriOf(path.join(folder, 'series')));
    expect(state.kernel.state).toBe('ready');
  });

  it('answers a request cancelled before its turn with RequestCancelled, without computing it', async () => {
    const uri = uriOf(path.join(folder, 'lpb.c'));
    client.writeRaw([
      { jsonrpc: '2.0', id: 'cancelled-1', method: 'textDocument/diagnostic', params: { textDocument: { uri } } },
      { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'cancelled-1' } },
    ]);
    const response = await client.waitFor('the cancelled response', () => /\{[^{}]*"id":"cancelled-1"[^]*?\}\}/.exec(client.transcript)?.[0]);
    expect(JSON.parse(response)).toMatchObject({ id: 'cancelled-1', error: { code: LSPErrorCodes.RequestCancelled } });
  });

  it('survives malformed requests and keeps answering', async () => {
    expect(await client.diagnostics(uriOf('/nonexistent/never-opened.c'))).toEqual([]);
    expect(await client.diagnostics('untitled:Untitled-1')).toEqual([]);
    // No document named: answered InvalidParams before any handler runs (lsp/messageGate.ts).
    await expect(client.connection.sendRequest('textDocument/diagnostic', {})).rejects.toMatchObject({ code: ErrorCodes.InvalidParams });
    await expect(client.connection.sendRequest('klpLens/noSuchRequest', {})).rejects.toThrow();
    const state = await client.connection.sendRequest(SeriesStateRequest.type, {});
    expect(state.steps).toHaveLength(3);
  });

  it('exits with code 0 after shutdown and exit', async () => {
    expect(await client.stop()).toBe(0);
    expect(client.stderr).toBe('');
  });
});

describe('klp-lens-server over Node IPC', () => {
  it('initializes, answers and exits with code 0', async () => {
    const ipc = TestClient.spawn('ipc');
    try {
      ipc.settings = { kernel: { symvers: fixturePath('cli/kernel/Module.symvers') } };
      const result = await ipc.initialize([fixturePath('cli/series')]);
      expect(result.capabilities.diagnosticProvider).toBeDefined();
      const state = await ipc.connection.sendRequest(SeriesStateRequest.type, {});
      expect(state.steps).toHaveLength(3);
      expect(await ipc.stop()).toBe(0);
    } finally {
      ipc.kill();
    }
  });
});
