// The .vsix that `npm run package` makes: exactly the files the installed extension needs,
// and a server that runs from the unpacked archive (its tree-sitter wasm files included).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { buildExtension, vscePackage } from '../../../editor/src/vsix';
import { zipEntries, type ZipEntry } from '../../../editor/src/zip';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples');

/** vsce adds the two manifests at the top and renames LICENSE and README.md. */
const EXPECTED = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/dist/cli.js',
  'extension/dist/client.js',
  'extension/dist/moduleReadWorker.js',
  'extension/dist/moduleWorker.js',
  'extension/dist/server.js',
  'extension/grammars/tree-sitter-c.info',
  'extension/grammars/tree-sitter-c.wasm',
  'extension/grammars/tree-sitter.wasm',
  'extension/media/klp-lens.svg',
  'extension/oracle/templates/init.sh',
  'extension/oracle/templates/modtool.c',
  'extension/package.json',
  'extension/readme.md',
  'extension/syntaxes/diff-c.injection.tmLanguage.json',
  'extension/syntaxes/klp-series.language-configuration.json',
  'extension/syntaxes/klp-series.tmLanguage.json',
  // The diagnostics' code links: one page per problem code.
  ...readdirSync(path.join(ROOT, 'docs', 'problems')).map((page) => `extension/docs/problems/${page}`),
].sort();

let scratch: string;
let entries: ZipEntry[];
/** The archive unpacked, as VS Code installs it. */
let unpacked: string;

beforeAll(async () => {
  if (!['server', 'client', 'cli', 'moduleWorker', 'moduleReadWorker'].every((b) => existsSync(path.join(ROOT, `dist/${b}.js`)))) await buildExtension(() => {});
  scratch = mkdtempSync(path.join(tmpdir(), 'klp-lens-vsix-'));
  const vsix = path.join(scratch, 'klp-lens.vsix');
  await vscePackage(vsix, () => {});
  entries = await zipEntries(vsix);
  unpacked = path.join(scratch, 'unpacked');
  for (const entry of entries) {
    const file = path.join(unpacked, entry.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, entry.data);
  }
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the .vsix', () => {
  it('holds exactly the manifest, README, LICENSE, the three bundles, the grammars, syntaxes, the icon and the VM templates of try', () => {
    expect(entries.map((e) => e.name).sort()).toEqual(EXPECTED);
    expect(EXPECTED.filter((e) => e.startsWith('extension/docs/problems/')).length).toBeGreaterThan(30);
  });

  it('holds nothing of the sources, tests, dependencies, caches, examples or maps', () => {
    // Of oracle/, only the two templates `klp-lens try` puts in the VM.
    const forbidden = /^extension\/(test|server|client|editor|bench|scripts|node_modules|\.cache|examples|bin|\.vscode)\/|^extension\/oracle\/(?!templates\/(init\.sh|modtool\.c)$)|\.map$/;
    expect(entries.map((e) => e.name).filter((name) => forbidden.test(name))).toEqual([]);
  });

  it('holds the GPL-2.0 text and the manifest as they are in the repository', () => {
    const text = (name: string) => entries.find((e) => e.name === name)!.data.toString('utf8');
    expect(text('extension/LICENSE.txt')).toBe(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8'));
    expect(text('extension/LICENSE.txt')).toMatch(/GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
    expect(JSON.parse(text('extension/package.json')).main).toBe('./dist/client.js');
  });

  it('runs its server from the unpacked archive: C parsed with the packaged wasm, findings and hover on the examples', async () => {
    const server = spawn(process.execPath, [path.join(unpacked, 'extension/dist/server.js'), '--stdio'], { cwd: '/', stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'klpLens' ? { kernel: { buildDir: path.join(EXAMPLES, 'kernel') } } : null)),
    );
    connection.onNotification(LogMessageNotification.type, (params) => (output += `${params.message}\n`));
    connection.listen();
    try {
      await check(connection, () => output);
    } finally {
      connection.dispose();
      stop(server);
    }
  });

  it('runs the command line the "Build module" task runs from the unpacked archive', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(unpacked, 'extension/dist/cli.js'), ...args], { cwd: '/', encoding: 'utf8' });
    const check = cli('check', '--kernel', path.join(EXAMPLES, 'kernel'), EXAMPLES);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/\n6 warnings\n$/);
    // No kernel build folder: the build says so at the module's first line.
    const build = cli('build', '--kernel', scratch, path.join(EXAMPLES, 'lp-cdrom.c'));
    expect(build.status).toBe(1);
    expect(build.stdout).toContain(`${path.join(EXAMPLES, 'lp-cdrom.c')}:1:1: error: ${scratch} is no kernel build folder`);
  });
});

async function check(connection: ProtocolConnection, output: () => string): Promise<void> {
  const folder = pathToFileURL(EXAMPLES).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: 'examples' }],
    capabilities: { workspace: { configuration: true, workspaceFolders: true } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const file = path.join(EXAMPLES, 'lp-cmdline.c');
  const uri = pathToFileURL(file).href;
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'c', version: 1, text: readFileSync(file, 'utf8') },
  });
  const found = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === 'missing-replace' && d.range.start.line === 40);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    if (report.kind === 'full' && found(report.items)) break;
    if (Date.now() > deadline) throw new Error(`no missing-replace at line 41 of lp-cmdline.c; server log: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const line = readFileSync(file, 'utf8').split('\n')[24];
  const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 24, character: line.indexOf('cmdline_proc_show') + 2 } });
  expect(JSON.stringify(hover?.contents)).toMatch(/lp_cmdline[^]*proc_fix/);
}

function stop(server: ChildProcess): void {
  if (server.exitCode === null) server.kill();
}
