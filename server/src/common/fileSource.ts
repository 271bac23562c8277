// How the core reads files. The CLI reads the disk; the language server lays
// the unsaved text of open documents over it (the overrides).
import { readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
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
 * `overrides` (path -> text) taking the place of what the disk holds.
 */
export function nodeFileSource(overrides: Map<string, string> = new Map(), limits: ReadLimits = DEFAULT_LIMITS): FileSource {
  const byPath = new Map([...overrides].map(([file, text]) => [path.resolve(file), text]));
  const read = (file: string) => readRegularFile(file, limits.textBytes);
  return {
    readText(file) {
      const text = byPath.get(path.resolve(file));
      if (text !== undefined) return text;
      const bytes = read(file);
      return bytes.ok ? bytes.bytes.toString('utf8') : undefined;
    },
    whyUnreadable(file) {
      const bytes = read(file);
      return bytes.ok ? 'unreadable' : bytes.reason;
    },
    listDir(dir) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return undefined;
      }
      // An open document not yet saved to disk still belongs to its folder.
      const resolved = path.resolve(dir);
      for (const file of byPath.keys()) {
        if (path.dirname(file) === resolved) names.push(path.basename(file));
      }
      return [...new Set(names)].sort();
    },
    isDirectory(file) {
      try {
        return statSync(file).isDirectory();
      } catch {
        return false;
      }
    },
    realPath(file) {
      try {
        return realpathSync.native(file);
      } catch {
        return path.resolve(file);
      }
    },
    limits,
  };
}
