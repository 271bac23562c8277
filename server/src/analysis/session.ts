// The analysis session: the one incrementality mechanism. The language server keeps one for
// its life and analyses the workspace again at every edit; the CLI and the tests make one per
// run. It owns the C parser and everything kept from one analysis to the next:
// - the livepatches read last time, each reused while nothing it read changed, and a changed
//   diff's per-file readings (LivepatchCache, analysis/livepatchCache.ts);
// - the memo (common/memo.ts) of what the reading, the checks and the shells derive from an
//   input object (a hunk's lines, a livepatch, a kernel symbol table, an analysis), kept while
//   the object lives;
// - the call graphs of the kernel source tree's files (callGraphs.ts);
// - the compiler's answers the author asked for, which the reading of their patches takes;
// - the last simulation of the series (simulationCache.ts);
// - for the language server, which reads the disk at every analysis, the texts and folder
//   listings found on disk, kept while a stat says they are unchanged (common/diskCache.ts).
// Nothing of it is module-level: two sessions never see each other's values.
import { DiskCache } from '../common/diskCache';
import { Memo } from '../common/memo';
import { CParser } from '../syntax/treeSitter';
import type { CompilerAnswer } from '../model/compilerAnswer';
import { CallGraphs } from './callGraphs';
import { LivepatchCache } from './livepatchCache';
import { SimulationCache } from './simulationCache';

export class AnalysisSession {
  readonly memo = new Memo();
  readonly livepatches = new LivepatchCache();
  readonly callGraphs = new CallGraphs();
  /** The compiler's answers the author asked for ("Verify with the compiler"), by patch file. */
  readonly compilerAnswers = new Map<string, CompilerAnswer>();
  /** The last simulation, reused while the series simulated is the same. */
  readonly simulations = new SimulationCache();
  /** What the disk held at the last analysis: for a source of each analysis (nodeFileSource's `disk`). */
  readonly disk = new DiskCache();

  constructor(readonly parser: CParser) {}

  static async create(): Promise<AnalysisSession> {
    return new AnalysisSession(await CParser.create());
  }
}
