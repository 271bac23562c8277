// The editor as a livepatch author's workbench (issue 12), over stdio on a copy of the example
// workspace with its small example kernel: every finding of the workspace without opening a
// file (workspace/diagnostic), each code linked to its page.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionRequest, WorkspaceDiagnosticRequest, type Diagnostic, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { packageRoot } from '../../server/src/common/packageRoot';
import { CompareRunningRequest } from '../../server/src/lsp/protocol';
import { TestClient, uriOf } from '../../tools/src/lspClient';
import { fixturePath } from '../helpers/fixtures';
import { cursorIn } from '../helpers/cursor';
import { DEBIAN_KERNEL, describeShared } from '../helpers/shared';

const folder = path.join(mkdtempSync(path.join(tmpdir(), 'klp-lens-workbench-')), 'examples');
let client: TestClient;

beforeAll(async () => {
  cpSync(path.join(packageRoot(), 'examples'), folder, { recursive: true });
  client = TestClient.spawn();
  client.settings = { kernel: { buildDir: path.join(folder, 'kernel') } };
  await client.initialize([folder]);
  await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
});

afterAll(async () => {
  await client.stop();
  rmSync(path.dirname(folder), { recursive: true, force: true });
});

const workspaceReports = async (): Promise<WorkspaceDocumentDiagnosticReport[]> => (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })).items;
const fullItems = (reports: WorkspaceDocumentDiagnosticReport[]) => reports.flatMap((r) => (r.kind === 'full' ? r.items.map((d) => ({ file: path.basename(fileURLToPath(r.uri)), d })) : []));

describe('workspace diagnostics', () => {
  it("returns the example's six findings without any document open", async () => {
    const items = fullItems(await workspaceReports());
    expect(items.map(({ file, d }) => `${file} ${d.code}`).sort()).toEqual([
      'lp-cdrom.c exported-symbol-dependency',
      'lp-cmdline.c missing-replace',
      'lp-cmdline.c overlapping-function',
      'lp-cmdline.c overlapping-function',
      'proc-fix.patch overlapping-function',
      'proc-fix.patch overlapping-function',
    ]);
  });

  it('answers "unchanged" for a file whose findings did not change', async () => {
    const first = await workspaceReports();
    const previousResultIds = first.flatMap((r) => (r.kind === 'full' && r.resultId ? [{ uri: r.uri, value: r.resultId }] : []));
    const again = (await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds })).items;
    expect(again.map((r) => r.kind)).toEqual(first.map(() => 'unchanged'));
  });

  it('links every diagnostic code to its page, bundled with the extension', async () => {
    const diagnostics: Diagnostic[] = fullItems(await workspaceReports()).map(({ d }) => d);
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      const href = d.codeDescription?.href ?? '';
      expect(href).toMatch(new RegExp(`/docs/problems/${d.code}\\.md$`));
      expect(existsSync(fileURLToPath(href))).toBe(true);
    }
  });
});

describe('a livepatch the series does not list', () => {
  it('is analysed when opened, loaded after the series, and says so on its first line', async () => {
    const file = path.join(folder, 'lp-new.c');
    writeFileSync(file, readFileSync(path.join(folder, 'lp-cmdline.c'), 'utf8'));
    const uri = await client.open(file);
    const diagnostics = await client.diagnostics(uri);
    const notListed = diagnostics.find((d) => d.code === 'not-in-series');
    expect(notListed?.range.start).toEqual({ line: 0, character: 0 });
    expect(notListed?.message).toBe("lp-new.c is not in the series: it loads after the series' entries");
    // It patches what lp_cmdline patches, without .replace: the series' findings reach it.
    expect(diagnostics.map((d) => d.code)).toContain('overlapping-function');
    const [add] = await client.quickFixes(uri, notListed!);
    expect(add.title).toBe('Add lp-new.c to the series');
    const change = add.edit?.documentChanges?.[0];
    expect(change && 'edits' in change && change.textDocument.uri).toBe(uriOf(path.join(folder, 'series')));
    expect(change && 'edits' in change && change.edits.map((e) => e.newText)).toEqual(['lp-new.c\n']);
    await client.close(uri);
    rmSync(file);
  });
});

describe('Compare with This Machine', () => {
  it("shows the series' final state beside the machine's livepatches (a snapshot of Debian 6.1's sysfs as the machine)", async () => {
    const other = TestClient.spawn('stdio', { env: { KLP_LENS_MACHINE_ROOT: fixturePath('running', 'debian-6.1-examples') } });
    other.settings = { kernel: { buildDir: path.join(folder, 'kernel') } };
    await other.initialize([folder]);
    const result = await other.connection.sendRequest(CompareRunningRequest.type, {});
    expect(result.same).toBe(false);
    expect(result.message).toBe('1 difference between the series and this machine');
    expect(result.output).toContain('   DIFFERS proc_fix: series enabled, machine not loaded');
    expect(result.output).toContain('   same    lp_cdrom: series enabled, machine enabled');
    await other.stop();
  });
});

describe('the series file', () => {
  it('reports a step that names no livepatch, with the fix of the typo', async () => {
    const series = path.join(folder, 'series');
    const uri = await client.open(series, 'klp-series');
    await client.change(uri, `${readFileSync(series, 'utf8')}disable lp_neww\n`);
    const [unknown] = (await client.diagnostics(uri)).filter((d) => d.code === 'unknown-step-target');
    expect(unknown?.message).toMatch(/^`lp_neww` is no livepatch of the series/);
    expect(unknown.range.start.line).toBe(readFileSync(series, 'utf8').split('\n').length - 1);
    expect((await client.quickFixes(uri, unknown)).map((f) => f.title)).toEqual([]);
  });
});

describeShared("symbols from Debian 6.1's kernel", () => {
  let debian: TestClient;
  const file = path.join(folder, 'lp-cmdline.c');
  beforeAll(async () => {
    debian = TestClient.spawn();
    debian.settings = { kernel: { buildDir: DEBIAN_KERNEL } };
    await debian.initialize([folder]);
    await debian.waitFor('the kernel', () => debian.kernelStatuses.some((s) => s.state === 'ready'), 120_000);
  }, 180_000);
  afterAll(async () => {
    await debian.stop();
  });

  it('completes a function name in old_name from vmlinux', async () => {
    const uri = await debian.open(file);
    const typed = readFileSync(file, 'utf8').replace('.old_name = "cmdline_proc_show"', '.old_name = "cmdline_pr"');
    await debian.change(uri, typed);
    const position = cursorIn(typed, '.old_name = "cmdline_pr$0"');
    const list = await debian.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    const items = Array.isArray(list) ? list : (list?.items ?? []);
    expect(items.map((i) => i.label)).toContain('cmdline_proc_show');
    expect(items.every((i) => i.label.startsWith('cmdline_pr'))).toBe(true);
  });

  it('offers the name a typo meant, as a quick fix of unknown-symbol', async () => {
    const uri = uriOf(file);
    const typo = readFileSync(file, 'utf8').replace('.old_name = "cmdline_proc_show"', '.old_name = "cmdline_proc_shw"');
    await debian.change(uri, typo);
    const [unknown] = (await debian.diagnostics(uri)).filter((d) => d.code === 'unknown-symbol');
    expect(unknown?.message).toContain('Did you mean `cmdline_proc_show`?');
    const [fix] = await debian.quickFixes(uri, unknown);
    expect(fix.title).toBe('Change to `cmdline_proc_show`');
    const change = fix.edit?.documentChanges?.[0];
    expect(change && 'edits' in change && change.edits.map((e) => e.newText)).toEqual(['"cmdline_proc_show"']);
  });
});
