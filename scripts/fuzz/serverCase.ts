// The server target's input: a workspace case (its livepatches opened as documents, its kernel
// given as settings), maybe requests sent before `initialize`, then a stream of steps: JSON-RPC
// requests and notifications of the methods the server serves with random or nearly right
// params (documents opened, changed at random ranges, closed; settings and watched files
// changed; requests cancelled), frames whose body is no JSON-RPC message, and raw bytes with
// wrong headers. Never `shutdown` or `exit`, nor the two requests that run the compiler.
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { Corpus } from './corpus';
import { frame } from './lspFrames';
import { mutatedText } from './mutate';
import { MODULE_TOKENS, PATCH_TOKENS } from './tokens';
import { KERNEL_DIRS, workspaceCase, type WorkspaceCase } from './workspaceCase';

export type Step = { message: unknown } | { raw: string };

export interface ServerCase {
  workspace: WorkspaceCase;
  early: Step[];
  steps: Step[];
}

const REQUESTS = [
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/documentSymbol',
  'textDocument/inlayHint',
  'textDocument/completion',
  'textDocument/codeAction',
  'textDocument/diagnostic',
  'workspace/diagnostic',
  'klpLens/seriesState',
  'klpLens/compareRunning',
  'textDocument/formatting',
  'no/suchMethod',
];

const NOTIFICATIONS = [
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'textDocument/didSave',
  'workspace/didChangeConfiguration',
  'workspace/didChangeWatchedFiles',
  'workspace/didChangeWorkspaceFolders',
  '$/cancelRequest',
  '$/setTrace',
  'initialized',
];

/** Frames a careless or hostile client may send: wrong, missing, huge or short lengths, bodies that are no message. */
const RAW_FRAMES = [
  'Content-Length: abc\r\n\r\n{}',
  'Content-Length: -5\r\n\r\n{}',
  '\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"textDocument/hover"}',
  'Content-Length: 5\r\n\r\n{"jsonrpc":"2.0","id":1,"method":"textDocument/hover"}',
  'Content-Length: 99999999999\r\n\r\n{}',
  'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}',
  'Content-Length: 3\r\n\r\nabc',
  'Content-Length: 4\r\n\r\nnull',
  'X-Header: 1\r\n\r\n',
  'Content-Length: 60\r\n\r\n[{"jsonrpc":"2.0","id":7,"method":"textDocument/hover"}]   ',
  'Content-Length: 0\r\n\r\n',
];

/** Where the workspace goes is known only when it runs: `$WS` in a string stands for its folder's path. */
export const WS = '$WS';

function params(docs: string[], corpus: Corpus): fc.Arbitrary<unknown> {
  const uri = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...docs).map((rel) => `file://${WS}/${rel}`) },
    { weight: 1, arbitrary: fc.constantFrom('file:///etc/passwd', 'untitled:Untitled-1', 'file://', '', 'http://x/y.patch', `file://${WS}/../../etc/shadow`, `file://${WS}/%00.patch`) },
    { weight: 1, arbitrary: fc.string() },
  );
  const number = fc.oneof(fc.nat({ max: 60 }), fc.integer(), fc.constantFrom(-1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5));
  const position = fc.record({ line: number, character: number }, { requiredKeys: [] });
  const range = fc.record({ start: position, end: position }, { requiredKeys: [] });
  const text = fc.oneof(mutatedText(corpus.patches, PATCH_TOKENS), mutatedText(corpus.modules, MODULE_TOKENS), fc.string());
  const nearlyRight = fc.record(
    {
      textDocument: fc.record({ uri, version: number, languageId: fc.constantFrom('diff', 'c', 'klp-series', 'plaintext'), text }, { requiredKeys: [] }),
      position,
      range,
      contentChanges: fc.array(fc.oneof(fc.record({ text }), fc.record({ range, text: fc.string() })), { maxLength: 3 }),
      context: fc.record({ diagnostics: fc.array(fc.record({ range, message: fc.string(), code: fc.string() }, { requiredKeys: [] }), { maxLength: 2 }), only: fc.constant(['quickfix']) }, { requiredKeys: [] }),
      settings: fc.record({ klpLens: fc.record({ kernel: fc.record({ buildDir: fc.constantFrom(...Object.values(KERNEL_DIRS), '/', '/dev/zero', '') }, { requiredKeys: [] }), severity: fc.jsonValue() }, { requiredKeys: [] }) }, { requiredKeys: [] }),
      changes: fc.array(fc.record({ uri, type: number }), { maxLength: 3 }),
      id: fc.oneof(fc.nat(), fc.string()),
      previousResultId: fc.string(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 3, arbitrary: nearlyRight }, { weight: 1, arbitrary: fc.jsonValue() }, { weight: 1, arbitrary: fc.constantFrom(null, undefined, [], 0, '') });
}

function steps(docs: string[], corpus: Corpus, maxLength: number): fc.Arbitrary<Step[]> {
  const p = params(docs, corpus);
  const id = fc.oneof({ weight: 5, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue()) });
  const request = fc.record({ jsonrpc: fc.constant('2.0'), id, method: fc.constantFrom(...REQUESTS), params: p });
  const notification = fc.record({ jsonrpc: fc.constant('2.0'), method: fc.constantFrom(...NOTIFICATIONS), params: p });
  const step = fc.oneof(
    { weight: 5, arbitrary: request.map((message) => ({ message })) },
    { weight: 4, arbitrary: notification.map((message) => ({ message })) },
    { weight: 1, arbitrary: fc.jsonValue().map((message) => ({ message })) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom(...RAW_FRAMES), fc.string({ unit: 'binary', maxLength: 64 })).map((raw) => ({ raw })) },
  );
  return fc.array(step, { maxLength });
}

export function serverCase(corpus: Corpus, withDebian: boolean): fc.Arbitrary<ServerCase> {
  return workspaceCase(corpus, withDebian).chain((workspace) => {
    const docs = Object.keys(workspace.files).filter((f) => !f.startsWith('kernel/'));
    return fc.record({
      workspace: fc.constant(workspace),
      early: fc.oneof({ weight: 9, arbitrary: fc.constant<Step[]>([]) }, { weight: 1, arbitrary: steps(docs.length > 0 ? docs : ['x.patch'], corpus, 3) }),
      steps: steps(docs.length > 0 ? docs : ['x.patch'], corpus, 20),
    });
  });
}

/** A step's bytes, `$WS` made the workspace's folder. */
export function stepBytes(step: Step, dir: string): Buffer {
  if ('raw' in step) return Buffer.from(step.raw, 'latin1');
  return frame((JSON.stringify(step.message) ?? 'null').replaceAll(`file://${WS}`, pathToFileURL(dir).href));
}
