// What the language features read: the latest analysis of the workspace, with the
// mapping between the engine's file paths and LSP document URIs. The workspace
// (lsp/workspace.ts) builds it; features are plain functions of a view.
import type { Analysis } from '../analysis/analyze';
import type { KernelContext } from '../kernel/types';
import type { CParser } from '../syntax/treeSitter';

export interface AnalysisView {
  analysis: Analysis;
  kernel: KernelContext;
  parser: CParser;
  /** The engine names files by path; LSP by URI. */
  toUri(file: string): string;
  toFile(uri: string): string;
  /** The current text of a file: the open document's when it is open, else the disk's. */
  readText(file: string): string | undefined;
}
