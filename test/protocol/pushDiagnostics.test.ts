// A client that cannot pull diagnostics (Neovim before 0.10, eglot, Helix) gets them pushed
// (textDocument/publishDiagnostics) for its open documents, only when they change, and an
// empty set when a document closes; a client that pulls gets none pushed. On the section 3
// series (lpa, lpb, lpc) and a small kernel.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DidCloseTextDocumentNotification, type Diagnostic } from 'vscode-languageserver-protocol';
import { SeriesStateRequest } from '../../server/src/lsp/protocol';
import { cursorIn, rangeIn } from '../helpers/cursor';
import { fixturePath } from '../helpers/fixtures';
import { CLIENT_CAPABILITIES, PUSH_CLIENT_CAPABILITIES, TestClient, uriOf } from '../../tools/src/lspClient';

let folder: string;

const codesAt = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();
/** What codesAt gives for lpb.c's findings in `text`: its klp_patch misses .replace, its cmdline_proc_show entry overlaps lpa's. */
const lpbFindings = (text: string) => [
  `missing-replace@${cursorIn(text, '$0static struct klp_patch patch').line}`,
  `overlapping-function@${cursorIn(text, '.old_name = $0"cmdline_proc_show"').line}`,
];

function workspace(): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'klp-lens-push-'));
  cpSync(fixturePath('cli/series'), copy, { recursive: true });
  cpSync(fixturePath('cli/kernel'), path.join(copy, 'kernel'), { recursive: true });
  return copy;
}

/** A client on the folder with the kernel read. */
async function started(capabilities = PUSH_CLIENT_CAPABILITIES): Promise<TestClient> {
  const client = TestClient.spawn();
  client.settings = { kernel: { symvers: 'kernel/Module.symvers', kallsyms: 'kernel/kallsyms' } };
  await client.initialize([folder], capabilities);
  await client.waitFor('the kernel', () => client.kernelStatuses.some((s) => s.state === 'ready'));
  return client;
}

/**
 * Waits for the changes made after `since` series notifications to settle, then for the
 * answer to a request: whatever that settle published was written before that answer.
 */
async function settled(client: TestClient, since: number): Promise<void> {
  await client.waitFor('the changes to settle', () => client.seriesChanges > since);
  await client.connection.sendRequest(SeriesStateRequest.type, {});
}

beforeAll(() => {
  folder = workspace();
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('publishDiagnostics, for a client without pull diagnostics', () => {
  let client: TestClient;
  const lpbFile = () => path.join(folder, 'lpb.c');
  const lpb = () => uriOf(lpbFile());
  const lpbText = () => readFileSync(lpbFile(), 'utf8');
  const pushedTo = (uri: string) => client.published.filter((p) => p.uri === uri).map((p) => p.diagnostics);

  beforeAll(async () => {
    client = await started();
  });

  afterAll(() => client.kill());

  it("publishes an opened document's diagnostics once, and not again while they stay the same", async () => {
    const changes = client.seriesChanges;
    await client.open(lpbFile());
    const [first] = await client.waitFor('diagnostics for lpb.c', () => pushedTo(lpb()).length > 0 && pushedTo(lpb()));
    expect(codesAt(first)).toEqual(lpbFindings(lpbText()));
    expect(first[0]).toMatchObject({ source: 'klp-lens' });
    // Opening changed the analysis' text (the disk's was not read yet): its settle finds the same findings.
    await settled(client, changes);
    expect(pushedTo(lpb())).toHaveLength(1);
  });

  it('publishes the updated set after an edit that moves the findings', async () => {
    await client.edit(lpb(), rangeIn(lpbText(), '$0$0// lpb:'), '\n');
    const moved = await client.waitFor('the moved findings', () => pushedTo(lpb())[1]);
    expect(codesAt(moved)).toEqual(lpbFindings(`\n${lpbText()}`));
  });

  it('publishes nothing after an edit that changes no finding', async () => {
    const changes = client.seriesChanges;
    const published = client.published.length;
    // Before the comment of the first line, a line down since the edit above.
    await client.edit(lpb(), rangeIn(`\n${lpbText()}`, '$0$0// lpb:'), '/* typed */ ');
    await settled(client, changes);
    expect(client.published.length).toBe(published);
  });

  it('publishes the set of a document that edits in another one clear, then bring back', async () => {
    const lpaFile = path.join(folder, 'lpa.c');
    const lpa = await client.open(lpaFile);
    const text = readFileSync(lpaFile, 'utf8');
    const before = pushedTo(lpb()).length;
    // lpa no longer patches cmdline_proc_show: lpb overlaps nothing and covers no more than it patches.
    const without = text.replace(/\{\s*\.old_name = "cmdline_proc_show",[^}]*\}, /, '');
    expect(without).not.toMatch(/cmdline_proc_show"/);
    await client.change(lpa, without);
    expect(await client.waitFor('lpb.c cleared', () => pushedTo(lpb())[before])).toEqual([]);
    await client.change(lpa, text);
    const back = await client.waitFor('lpb.c findings back', () => pushedTo(lpb())[before + 1]);
    expect(codesAt(back)).toEqual(lpbFindings(`\n/* typed */ ${lpbText()}`));
  });

  it("clears a closed document's diagnostics, and publishes none for it afterwards", async () => {
    const changes = client.seriesChanges;
    const before = pushedTo(lpb()).length;
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: lpb() } });
    expect(await client.waitFor('the empty set', () => pushedTo(lpb())[before])).toEqual([]);
    const published = before + 1;
    // Closing gives the document's disk text to the analysis: a change that settles.
    await settled(client, changes);
    expect(pushedTo(lpb())).toHaveLength(published);
    expect(await client.stop()).toBe(0);
  });
});

describe('a client that pulls diagnostics', () => {
  it('gets none pushed', async () => {
    const client = await started(CLIENT_CAPABILITIES);
    try {
      const changes = client.seriesChanges;
      const lpbFile = path.join(folder, 'lpb.c');
      const lpb = await client.open(lpbFile);
      expect((await client.diagnostics(lpb)).length).toBeGreaterThan(0);
      await client.edit(lpb, rangeIn(readFileSync(lpbFile, 'utf8'), '$0$0// lpb:'), '\n');
      await settled(client, changes);
      expect(client.refreshes).toBeGreaterThan(0);
      expect(client.published).toEqual([]);
      expect(await client.stop()).toBe(0);
    } finally {
      client.kill();
    }
  });
});
