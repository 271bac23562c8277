// How the core reads files. The CLI reads the disk; the language server lays
// the unsaved text of open documents over it (the overrides).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

export interface FileSource {
  /** The file's text, or undefined when it cannot be read (absent, a directory, no permission). */
  readText(path: string): string | undefined;
  /** The names of a directory's entries (sorted), or undefined when it is not a readable directory. */
  listDir(path: string): string[] | undefined;
  isDirectory(path: string): boolean;
}

/** The disk through node:fs, with `overrides` (path -> text) taking the place of what the disk holds. */
export function nodeFileSource(overrides: Map<string, string> = new Map()): FileSource {
  const byPath = new Map([...overrides].map(([file, text]) => [path.resolve(file), text]));
  return {
    readText(file) {
      const text = byPath.get(path.resolve(file));
      if (text !== undefined) return text;
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
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
  };
}
