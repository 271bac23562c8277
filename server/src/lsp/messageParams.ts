// What each message the server takes needs of its params: the fields its handler reads (or
// vscode-languageserver's code in front of it: its wrapper of a request reads params.workDoneToken,
// TextDocuments reads the text document notifications, vscode-jsonrpc $/cancelRequest and
// $/setTrace), as LSP 3.17 types them. messageGate.ts answers a request whose params fail with
// InvalidParams (-32602, JSON-RPC 2.0 §5.1) and drops such a notification, before any handler
// runs. A new request or notification gets its line here (test/unit/lsp/messageParams.test.ts
// checks that every request the features register has one).
import {
  CodeActionRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  DocumentSymbolRequest,
  FileChangeType,
  HoverRequest,
  InitializeRequest,
  InlayHintRequest,
  SetTraceNotification,
  TextDocumentSaveReason,
  WillSaveTextDocumentNotification,
  WillSaveTextDocumentWaitUntilRequest,
  WorkDoneProgressCancelNotification,
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
function oneOf(...values: unknown[]): Check {
  return (v) => values.includes(v);
}
const string: Check = (v) => typeof v === 'string';
const integer: Check = (v) => Number.isSafeInteger(v);
/** LSP's uinteger: 0 to 2^31 - 1. */
const uinteger: Check = (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0x7fffffff;
/** A request id, a progress token. */
const integerOrString: Check = (v) => integer(v) || string(v);

const position = fields({ line: uinteger, character: uinteger });
const range = fields({ start: position, end: position });
const textDocument = fields({ uri: string });
const atPosition = fields({ textDocument, position });
const workspaceFolder = fields({ uri: string, name: string });
const saveReason = oneOf(TextDocumentSaveReason.Manual, TextDocumentSaveReason.AfterDelay, TextDocumentSaveReason.FocusOut);
/** TextDocumentContentChangeEvent: a range and its new text, or the whole new text. */
const contentChange = fields({ range: optional(range), rangeLength: optional(uinteger), text: string });
/** vscode-jsonrpc's CancelNotification (lib/common/connection.js), which it does not export. */
const CANCEL_REQUEST = '$/cancelRequest';
/** klpLens' requests that take nothing: an object, or no params at all. */
const nothing = optional(isRecord);

export const MESSAGE_PARAMS: ReadonlyMap<string, Check> = new Map([
  [
    InitializeRequest.method,
    fields({
      capabilities: isRecord,
      processId: optional(orNull(integer)),
      rootUri: optional(orNull(string)),
      workspaceFolders: optional(orNull(arrayOf(workspaceFolder))),
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
  // TextDocuments answers it, though the server does not announce willSaveWaitUntil.
  [WillSaveTextDocumentWaitUntilRequest.method, fields({ textDocument, reason: saveReason })],
  // Notifications.
  [DidOpenTextDocumentNotification.method, fields({ textDocument: fields({ uri: string, languageId: string, version: integer, text: string }) })],
  [DidChangeTextDocumentNotification.method, fields({ textDocument: fields({ uri: string, version: integer }), contentChanges: arrayOf(contentChange) })],
  [DidCloseTextDocumentNotification.method, fields({ textDocument })],
  [DidSaveTextDocumentNotification.method, fields({ textDocument, text: optional(string) })],
  [WillSaveTextDocumentNotification.method, fields({ textDocument, reason: saveReason })],
  // settings: LSPAny, which the handler takes as it comes.
  [DidChangeConfigurationNotification.method, isRecord],
  [DidChangeWatchedFilesNotification.method, fields({ changes: arrayOf(fields({ uri: string, type: oneOf(FileChangeType.Created, FileChangeType.Changed, FileChangeType.Deleted) })) })],
  [DidChangeWorkspaceFoldersNotification.method, fields({ event: fields({ added: arrayOf(workspaceFolder), removed: arrayOf(workspaceFolder) }) })],
  [WorkDoneProgressCancelNotification.method, fields({ token: integerOrString })],
  [SetTraceNotification.type.method, fields({ value: oneOf('off', 'messages', 'verbose') })],
  [CANCEL_REQUEST, fields({ id: integerOrString })],
]);
