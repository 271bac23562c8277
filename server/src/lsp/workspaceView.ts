// One analysis of the whole workspace: the open documents' text laid over the disk, the
// paths (the workspace folders), the series (the setting, else the one planSeries finds),
// the kernel as read so far.
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from '../analysis/analyze';
import { verdictsOf } from '../checks/verdicts';
import { fileSnapshot } from '../analysis/fileSnapshot';
import type { AnalysisSession } from '../analysis/session';
import { nodeFileSource } from '../common/fileSource';
import { errorMessage, problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';
import type { KernelContext } from '../kernel/types';
import { findSeriesFile, isLivepatchFile } from '../model/plan';
import type { Logger } from './logger';
import type { KernelStatus } from './protocol';
import type { Settings } from './settings';
import { uriToPath } from './uris';
import type { AnalysisView } from './view';

/** The analysis as of one `version`, with what the server's own handlers need besides. */
export interface WorkspaceView extends AnalysisView {
  /** The workspace's change counter when this analysis ran (the pull diagnostics' resultId). */
  version: number;
  settings: Settings;
  /** Workspace folders (paths); relative path settings are read against the first. */
  folders: readonly string[];
  /** The series file the analysis followed, if any. */
  seriesFile?: string;
  /** Read live: while a new kernel is read, the state says so. */
  readonly kernelStatus: KernelStatus;
  /** The problems located in a file (a path), the kernel's included. */
  problemsIn(file: string): Problem[];
  /**
   * The version of an open document, null when it is not open. Read live: it is the
   * version this analysis saw as long as the view is used before the next `await`.
   */
  documentVersion(uri: string): number | null;
}

export interface WorkspaceState {
  version: number;
  settings: Settings;
  /** Workspace folders (paths); the first one's settings apply. */
  folders: string[];
  documents: { all(): TextDocument[]; get(uri: string): TextDocument | undefined };
  kernel: KernelContext;
  kernelStatus(): KernelStatus;
  /** The URI of a file: the client's own for an open document. */
  uriOf(file: string): string;
  /** What the previous analyses leave for this one. */
  session: AnalysisSession;
  /** The last "Build module" of each file: its complaints, shown while the file reads as it was built. */
  buildProblems?: ReadonlyMap<string, { text: string; problems: readonly Problem[] }>;
  logger: Logger;
}

/** Analyses slower than this are logged (vscode-eslint reports its validation time). */
const SLOW_MS = 500;

export function analyseWorkspace(state: WorkspaceState): WorkspaceView {
  const { settings, kernel, documents } = state;
  const overrides = new Map<string, string>();
  for (const document of documents.all()) {
    const file = uriToPath(document.uri);
    if (file !== undefined) overrides.set(file, document.getText());
  }
  const fs = nodeFileSource(overrides, settings.limits, state.session.disk);
  // The analysis reads each file once; the features read the disk as it is when they run.
  const snapshot = fileSnapshot(fs);
  // The folders, and every open livepatch file: one the series does not list is read as loaded
  // after its steps, and says so (model/plan.ts, not-in-series); without a folder they stand for the workspace.
  const open = [...overrides].filter(([file, text]) => isLivepatchFile(file, text)).map(([file]) => file);
  const paths = [...state.folders, ...open];
  const seriesFile = settings.series !== '' ? path.resolve(state.folders[0] ?? '', settings.series) : findSeriesFile(state.folders.length > 0 ? state.folders : open, undefined, snapshot);

  const started = Date.now();
  let analysis: Analysis;
  try {
    analysis = analyze({ paths, seriesFile, kernel, fs: snapshot, session: state.session, severities: settings.severity });
  } catch (err) {
    // The engine returns problems rather than throwing: this is a bug, shown where the user looks.
    state.logger.error('analysis failed', err);
    const at = { file: seriesFile ?? paths[0] ?? '', range: FILE_START };
    analysis = {
      plan: [],
      livepatches: [],
      steps: [],
      results: [],
      loads: [],
      verdicts: verdictsOf([], []),
      problems: [problem('internal-error', 'error', at, `analysis failed: ${errorMessage(err)}`)],
      memo: state.session.memo,
    };
  }
  const elapsed = Date.now() - started;
  if (elapsed > SLOW_MS) state.logger.warn(`the analysis of ${analysis.livepatches.length} livepatches took ${elapsed} ms`);

  const byFile = new Map<string, Problem[]>();
  // Hundreds of problems name a few files: each is resolved once.
  const resolved = new Map<string, string>();
  const built = [...(state.buildProblems ?? [])].flatMap(([file, b]) => (snapshot.readText(file) === b.text ? b.problems : []));
  for (const p of [...kernel.problems, ...analysis.problems, ...built]) {
    let key = resolved.get(p.file);
    if (key === undefined) resolved.set(p.file, (key = path.resolve(p.file)));
    const list = byFile.get(key);
    if (list) list.push(p);
    else byFile.set(key, [p]);
  }
  return {
    analysis,
    kernel,
    parser: state.session.parser,
    version: state.version,
    settings,
    folders: state.folders,
    seriesFile,
    get kernelStatus() {
      return state.kernelStatus();
    },
    toUri: state.uriOf,
    toFile: (uri) => uriToPath(uri) ?? uri,
    readText: (file) => fs.readText(file),
    problemsIn: (file) => byFile.get(path.resolve(file)) ?? [],
    documentVersion: (uri) => documents.get(uri)?.version ?? null,
  };
}
