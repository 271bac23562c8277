// SUSE's cumulative livepatch through the built server over stdio: a part's rows and the klpp_
// functions its .c files define, linked both ways by hover and go to definition.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionRequest, HoverRequest, type Hover, type LocationLink } from 'vscode-languageserver-protocol';
import { TestClient, uriOf } from '../../tools/src/lspClient';
import { cursorInFile, rangeInFile } from '../helpers/cursor';
import { fixturePath } from '../helpers/fixtures';

const folder = path.join(mkdtempSync(path.join(tmpdir(), 'klp-lens-suse-')), 'release');
const at = (file: string) => path.join(folder, file);
const CSV = 'bsc1000002/patched_funcs.csv';
const C = 'bsc1000002/livepatch_bsc1000002.c';
const markdown = (h: Hover | null) => (h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '');
let client: TestClient;

beforeAll(async () => {
  cpSync(fixturePath('suse/release'), folder, { recursive: true });
  client = TestClient.spawn();
  client.settings = { kernel: { buildDir: fixturePath('cli/kernel') } };
  await client.initialize([folder]);
});

afterAll(async () => {
  await client.stop();
  rmSync(path.dirname(folder), { recursive: true, force: true });
});

const hover = async (file: string, snippet: string) =>
  markdown(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: await client.open(at(file)) }, position: cursorInFile(at(file), snippet) }));
const definition = async (file: string, snippet: string) =>
  (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: await client.open(at(file)) }, position: cursorInFile(at(file), snippet) })) as LocationLink[];

describe("SUSE's parts over stdio", () => {
  it("hovers a row with its function's stack in the cumulative livepatch and its part", async () => {
    const text = await hover(CSV, 'vmlinux unix_stream_$0read_generic');
    expect(text).toContain('**vmlinux:unix_stream_read_generic,1**: `release` runs');
    expect(text).toContain("Part `bsc1000002` of SUSE's cumulative livepatch");
  });

  it('goes from the new_func column to the klpp_ definition in the part', async () => {
    const [link] = await definition(CSV, 'unix_stream_read_generic klpp_unix$0_stream_read_generic');
    expect([link?.targetUri, link?.targetSelectionRange]).toEqual([uriOf(at(C)), rangeInFile(at(C), 'int $0klpp_unix_stream_read_generic$0(')]);
  });

  it('hovers a klpp_ definition with its row, and goes from it to the row', async () => {
    expect(await hover(C, '$0klpp_hci_conn_del_sysfs(void *conn)')).toContain('replaces `net/bluetooth/bluetooth:hci_conn_del_sysfs,1`');
    const [link] = await definition(C, '$0klpp_hci_conn_del_sysfs(void *conn)');
    expect([link?.targetUri, link?.targetSelectionRange]).toEqual([uriOf(at(CSV)), rangeInFile(at(CSV), 'hci_conn_del_sysfs $0klpp_hci_conn_del_sysfs$0 IS_ENABLED')]);
  });

  // Last: it changes the csv.
  it("names the other part in a related place, which an editor shows by the file's base name alone", async () => {
    const uri = await client.open(at(CSV));
    await client.change(uri, `${readFileSync(at(CSV), 'utf8')}vmlinux unix_gc klpp_unix_gc\n`);
    const duplicate = (await client.diagnostics(uri)).find((d) => d.code === 'duplicate-function');
    expect(duplicate?.relatedInformation?.map((r) => [r.location.uri, r.message])).toEqual([[uriOf(at('bsc1000001/patched_funcs.csv')), 'bsc1000001: `unix_gc` is first patched here']]);
  });
});
