// How the core reads files. The CLI reads the disk; the language server lays
// the unsaved text of open documents over it (the overrides).
import { readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { DiskCache } from './diskCache';
import { DEFAULT_LIMITS, readRegularFile, type ReadLimits } from './fileRead';

export interface FileSource {
  /** The file's text, or undefined when it cannot be read (absent, a directory, no permission, no regular file, too large). */
  readText(path: string): string | undefined;
  /** Why readText() gives undefined, in words for a message ("is a FIFO, not a regular file"). */
  whyUnreadable(path: string): string;
  /** The names of a directory's entries (sorted), or undefined when it is not a readable directory. */
  listDir(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
  /** The path with its symbolic links resolved (as given when it does not exist): walks visit each real path once. */
  realPath(path: string): string;
  /** The bounds of reads and walks (common/fileRead.ts). */
  readonly limits: ReadLimits;
}

/**
 * The disk through node:fs (common/fileRead.ts: regular files within `limits.textBytes`), with
 * `overrides` (path -> text) taking the place of what the disk holds. With a `disk` cache
 * (the language server's, kept across analyses), what did not change on disk since the last
 * analysis is not read again (common/diskCache.ts): make one source per analysis.
 */
export function nodeFileSource(overrides: Map<string, string> = new Map(), limits: ReadLimits = DEFAULT_LIMITS, disk?: DiskCache): FileSource {
  const byPath = new Map([...overrides].map(([file, text]) => [path.resolve(file), text]));
  const read = (file: string) => readRegularFile(file, limits.textBytes);
  const readText = (file: string) => {
    const bytes = read(file);
    return bytes.ok ? bytes.bytes.toString('utf8') : undefined;
  };
  const round = disk?.round();
  /** What the round knows of an entry of a folder it listed: lstat's kind, so a link is asked of the disk. */
  const kindOf = (file: string) => round?.kindIn(path.dirname(file), path.basename(file));
  /** Real paths this source resolved: an entry that is no link is its real folder's real path and its name. */
  const realPaths = new Map<string, string>();
  return {
    readText(file) {
      const text = byPath.get(path.resolve(file));
      if (text !== undefined) return text;
      return round ? round.text(file, limits.textBytes, () => readText(file)) : readText(file);
    },
    whyUnreadable(file) {
      const bytes = read(file);
      return bytes.ok ? 'unreadable' : bytes.reason;
    },
    listDir(dir) {
      const names = round ? round.listing(dir)?.names.slice() : namesIn(dir);
      if (names === undefined) return undefined;
      // An open document not yet saved to disk still belongs to its folder.
      const resolved = path.resolve(dir);
      for (const file of byPath.keys()) {
        if (path.dirname(file) === resolved) names.push(path.basename(file));
      }
      return [...new Set(names)].sort();
    },
    isDirectory(file) {
      const kind = kindOf(file);
      if (kind !== undefined && kind !== 'link') return kind === 'directory';
      try {
        return statSync(file).isDirectory();
      } catch {
        return false;
      }
    },
    realPath(file) {
      const folder = realPaths.get(path.dirname(file));
      const kind = folder === undefined ? undefined : kindOf(file);
      let real: string;
      if (folder !== undefined && kind !== undefined && kind !== 'link') real = path.join(folder, path.basename(file));
      else {
        try {
          real = realpathSync.native(file);
        } catch {
          return path.resolve(file);
        }
      }
      realPaths.set(file, real);
      return real;
    },
    limits,
  };
}

function namesIn(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}
