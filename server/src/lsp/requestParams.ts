// What each request the server answers needs of its params: the fields its handler (or
// vscode-languageserver's wrapper around it, which reads params.workDoneToken first) reads, as
// LSP 3.17 types them. messageGate.ts answers params that fail with InvalidParams (-32602,
// JSON-RPC 2.0 §5.1) before any handler runs. A new request gets its line here
// (test/unit/lsp/requestParams.test.ts checks that every request the features register has one).
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InitializeRequest,
  InlayHintRequest,
  WorkspaceDiagnosticRequest,
} from 'vscode-languageserver';
import { BuildModuleRequest, CompareRunningRequest, SeriesStateRequest, VerifyWithCompilerRequest } from './protocol';

type Check = (value: unknown) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function fields(shape: Record<string, Check>): Check {
  return (v) => isRecord(v) && Object.entries(shape).every(([key, check]) => check(v[key]));
}
function optional(check: Check): Check {
  return (v) => v === undefined || check(v);
}
function orNull(check: Check): Check {
  return (v) => v === null || check(v);
}
function arrayOf(check: Check): Check {
  return (v) => Array.isArray(v) && v.every(check);
}
const string: Check = (v) => typeof v === 'string';
const integer: Check = (v) => Number.isSafeInteger(v);
/** LSP's uinteger: 0 to 2^31 - 1. */
const uinteger: Check = (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0x7fffffff;

const position = fields({ line: uinteger, character: uinteger });
const range = fields({ start: position, end: position });
const textDocument = fields({ uri: string });
const atPosition = fields({ textDocument, position });
/** klpLens' requests that take nothing: an object, or no params at all. */
const nothing = optional(isRecord);

export const REQUEST_PARAMS: ReadonlyMap<string, Check> = new Map([
  [
    InitializeRequest.method,
    fields({
      capabilities: isRecord,
      processId: optional(orNull(integer)),
      rootUri: optional(orNull(string)),
      workspaceFolders: optional(orNull(arrayOf(fields({ uri: string, name: string })))),
    }),
  ],
  [DocumentDiagnosticRequest.method, fields({ textDocument, previousResultId: optional(string) })],
  [WorkspaceDiagnosticRequest.method, fields({ previousResultIds: arrayOf(fields({ uri: string, value: string })) })],
  [CodeActionRequest.method, fields({ textDocument, range, context: fields({ diagnostics: arrayOf(fields({ range, message: string })), only: optional(arrayOf(string)) }) })],
  [HoverRequest.method, atPosition],
  [DefinitionRequest.method, atPosition],
  [CompletionRequest.method, atPosition],
  [InlayHintRequest.method, fields({ textDocument, range })],
  [DocumentSymbolRequest.method, fields({ textDocument })],
  [SeriesStateRequest.method, nothing],
  [CompareRunningRequest.method, nothing],
  [VerifyWithCompilerRequest.method, fields({ uri: string })],
  [BuildModuleRequest.method, fields({ uri: string })],
]);
