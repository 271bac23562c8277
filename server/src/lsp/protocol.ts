// klp-lens's own LSP messages, typed once: the server and the VS Code client both import
// this module (vscode-eslint's and rust-analyzer's habit).
import { existsSync } from 'node:fs';
import { release } from 'node:os';
import * as path from 'node:path';
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { FinalPatchState } from '../analysis/outcomes';
import type { FunctionRole } from '../analysis/roles';
import type { Severity } from '../common/problem';
import type { StepResult } from '../simulator/types';

export type { FinalPatchState, FunctionRole };

export interface SeriesFunction {
  /** The function's identity (model/identity.ts functionKey): `object:name,sympos`. */
  key: string;
  object: string;
  name: string;
  /** As sysfs shows it (0 as 1). */
  sympos: number;
  /** Patch names, newest first, after the series. */
  stack: string[];
  /** The patch whose version runs, or null when the original runs. */
  active: string | null;
  /** What this patch's entry is after the series (analysis/roles.ts). */
  role: FunctionRole;
  /** Why it never runs: the words of the check that says so, or the kernel's (analysis/roles.ts roleReason()). */
  reason?: string;
  /** Where this patch changes the function (a document URI and a 0-based range). */
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface SeriesPatch {
  name: string;
  kind: 'diff' | 'module' | 'csv';
  uri: string;
  replace: boolean;
  state: FinalPatchState;
  replacedBy: string | null;
  /** Why its load was refused: the kernel's message, or the check's words when the build makes no module of it. */
  error: string | null;
  objects: Array<{ name: string; functions: SeriesFunction[] }>;
  /** For a replace patch: the functions of the patches it replaced that it does not carry. */
  dropped: Array<{
    key: string;
    object: string;
    name: string;
    /** As sysfs shows it. */
    sympos: number;
    /** The earlier patch whose version was dropped, and its index in `patches`. */
    from: string;
    fromIndex: number;
  }>;
}

export interface SeriesState {
  /** Each step of the series and the state after it: the `klp-lens state --format json` form. */
  steps: StepResult[];
  /** The livepatches in load order with their state after the series. */
  patches: SeriesPatch[];
  /** The series file used, if any. */
  seriesUri: string | null;
  kernel: KernelStatus;
  /** What the Problems panel shows of the series: its findings in all, and in each livepatch's file (by its `uri`). */
  findings: { total: FindingCounts; byUri: Record<string, FindingCounts> };
}

/** How many findings of each severity. */
export type FindingCounts = Record<Severity, number>;

export const NO_FINDINGS: Readonly<FindingCounts> = { error: 0, warning: 0, information: 0, hint: 0 };

export interface KernelStatus {
  state: 'none' | 'indexing' | 'ready';
  /** One line for people, e.g. "Debian 6.1.0-56-amd64: 94,266 vmlinux symbols, 24,683 exports". */
  description: string;
  /** Where it came from (a folder or file), if any. */
  source: string | null;
}

export namespace SeriesStateRequest {
  export const method = 'klpLens/seriesState';
  export const type = new RequestType<Record<string, never>, SeriesState, void>(method);
}

export namespace KernelStatusNotification {
  export const method = 'klpLens/kernelStatus';
  export const type = new NotificationType<KernelStatus>(method);
}

/** Sent by the server when the series state changed, so views can re-request it. */
export namespace SeriesChangedNotification {
  export const method = 'klpLens/seriesChanged';
  export const type = new NotificationType<Record<string, never>>(method);
}

/** What the client tells the server in initialize's initializationOptions. */
export interface InitializationOptions {
  /**
   * false in a workspace the user has not trusted (VS Code's Restricted Mode): the server then
   * runs no program for it (the compile check, Build Module) until WorkspaceTrustedNotification.
   * A client that does not say (one without workspace trust) is trusted.
   */
  workspaceTrusted?: boolean;
}

/** Sent by the client once the user trusts the workspace. */
export namespace WorkspaceTrustedNotification {
  export const method = 'klpLens/workspaceTrusted';
  export const type = new NotificationType<Record<string, never>>(method);
}

/** "Verify with the compiler": compile what a patch diff touches before and after it, and read it as the compiler says from then on. */
export namespace VerifyWithCompilerRequest {
  export const method = 'klpLens/verifyWithCompiler';
  export const type = new RequestType<VerifyWithCompilerParams, VerifyWithCompilerResult, void>(method);
}

export interface VerifyWithCompilerParams {
  uri: string;
}

export interface VerifyWithCompilerResult {
  /** The compiler judged the whole patch. */
  ok: boolean;
  /** One line for people: what the compiler changed, where the prediction differed, or why it could not run. */
  message: string;
}

/** "Compare with This Machine": the series' final state beside the livepatches of the machine the server runs on. */
export namespace CompareRunningRequest {
  export const method = 'klpLens/compareRunning';
  export const type = new RequestType<Record<string, never>, CompareRunningResult, void>(method);
}

export interface CompareRunningResult {
  /** The machine is where the series leads. */
  same: boolean;
  /** One line for people. */
  message: string;
  /** Each livepatch of the series beside the machine's, a line each (for an output channel). */
  output: string[];
}

/** "Build Module": build a hand-written livepatch module with the kernel's kbuild and convert its klp symbols. */
export namespace BuildModuleRequest {
  export const method = 'klpLens/buildModule';
  export const type = new RequestType<BuildModuleParams, BuildModuleResult, void>(method);
}

export interface BuildModuleParams {
  uri: string;
}

export interface BuildModuleResult {
  ok: boolean;
  /** One line for people. */
  message: string;
  /** The compiler's and modpost's complaints, a line each (for an output channel). */
  output: string[];
}

/**
 * The kernel build folder that Build Module and the "Build module" task (client/src/buildTask.ts)
 * build in: the settings' kernel folder when kbuild can build there, else the running kernel's;
 * the first of them when neither can (the build then says why).
 */
export function moduleBuildFolder(settingsFolder: string): string {
  const candidates = [settingsFolder, `/lib/modules/${release()}/build`].filter((d) => d !== '');
  return candidates.find((d) => existsSync(path.join(d, 'Makefile'))) ?? candidates[0];
}
