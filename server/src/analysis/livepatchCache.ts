// The livepatches of the last analysis, for the next one (the language server analyses
// the workspace again at every edit): a livepatch whose inputs are unchanged is not read
// again. Its inputs are what the read looked at: the files it read (its own text, and for
// a diff the original sources of its files) with the text each had, its planned name and
// replace flag, the kernel context and the parser. A diff read again because its text
// changed still reuses, file by file, what its last reading made of the files that did not
// change (readLivepatch.ts DiffCaches: their parsed lines, hunk functions, and what
// livepatchFromDiff read from them).
import type { FileSource } from '../common/fileSource';
import type { KernelContext } from '../kernel/types';
import type { CParser } from '../syntax/treeSitter';
import type { CompilerAnswer } from '../model/compilerAnswer';
import { newDiffCaches, readLivepatch, type DiffCaches, type LivepatchRead, type PlannedPatch, type ReadContext } from './readLivepatch';

interface Entry {
  kernel: KernelContext;
  parser: CParser;
  /** Every file the read looked at, with the text it found (undefined: unreadable). */
  reads: Map<string, string | undefined>;
  result: LivepatchRead;
  diffCaches: DiffCaches;
  /** The compiler's answer the read used, if any (a new one is a new reading). */
  answer: CompilerAnswer | undefined;
}

export class LivepatchCache {
  private entries = new Map<string, Entry>();
  /** The entries used since the last prune(). */
  private used = new Map<string, Entry>();

  /** readLivepatch(item, ctx), or the same result as last time when nothing it read changed. */
  read(item: PlannedPatch, ctx: ReadContext): LivepatchRead {
    // SUSE's layout: a part or a .c file more or less is another reading (the plan lists them; a read does not look).
    const key = [item.file, item.livepatchKind, item.name, item.noReplace, JSON.stringify(item.suse ?? null)].join('\0');
    const entry = this.used.get(key) ?? this.entries.get(key);
    const answer = ctx.compilerAnswers?.get(item.file);
    if (entry && entry.kernel === ctx.kernel && entry.parser === ctx.parser && entry.answer === answer && unchanged(entry.reads, ctx.fs)) {
      this.used.set(key, entry);
      return entry.result;
    }
    const reads = new Map<string, string | undefined>();
    const diffCaches = entry?.diffCaches ?? newDiffCaches();
    const result = readLivepatch(item, { ...ctx, fs: recording(ctx.fs, reads), diffCaches });
    this.used.set(key, { kernel: ctx.kernel, parser: ctx.parser, reads, result, diffCaches, answer });
    return result;
  }

  /** Forgets the livepatches not read since the last prune (files gone from the series or the workspace). */
  prune(): void {
    this.entries = this.used;
    this.used = new Map();
  }
}

function unchanged(reads: Map<string, string | undefined>, fs: FileSource): boolean {
  for (const [file, text] of reads) if (fs.readText(file) !== text) return false;
  return true;
}

/** `fs`, noting in `reads` the text of every file read through it. */
function recording(fs: FileSource, reads: Map<string, string | undefined>): FileSource {
  return {
    readText(file) {
      const text = fs.readText(file);
      reads.set(file, text);
      return text;
    },
    whyUnreadable: (file) => fs.whyUnreadable(file),
    listDir: (dir) => fs.listDir(dir),
    isDirectory: (file) => fs.isDirectory(file),
    realPath: (file) => fs.realPath(file),
    limits: fs.limits,
  };
}
