// A parsed patch diff (diff -Nupr, git diff, git format-patch mail). Every
// header, hunk and line keeps its position in the patch file.
import type { Problem } from '../common/problem';
import type { Location } from '../common/range';

export type DiffLineKind = 'context' | 'add' | 'remove';

export interface DiffLine {
  kind: DiffLineKind;
  /** The text without its leading ' ', '+' or '-'. */
  text: string;
  /** 0-based line in the patch file. */
  patchLine: number;
  /** 1-based line in the original file (context and remove lines). */
  oldLine?: number;
  /** 1-based line in the new file (context and add lines). */
  newLine?: number;
}

/** A function a hunk touches. */
export interface HunkFunction {
  name: string;
  /** The function does not exist in the original source (added by the patch). */
  isNew: boolean;
  /** The function's body or signature has added or removed lines (not only context). */
  changed: boolean;
  /** How it was found. */
  source: 'tree-sitter' | 'hunk-body' | 'hunk-context';
  /** Where to point: the function's first changed line in the patch, or the hunk header. */
  location: Location;
  /** Storage/attributes seen on the definition: 'static', 'inline', '__init', '__exit', 'notrace', ... */
  specifiers: string[];
  /** The hunk's lines (0-based patch lines: context, added, removed) that lie inside this function. */
  lines?: number[];
}

export interface DiffHunk {
  /** The @@ line as written. */
  header: string;
  location: Location;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the closing @@ (diff -p's function context). */
  context: string;
  lines: DiffLine[];
  functions: HunkFunction[];
}

export interface DiffFile {
  /** Path as written in the --- line ('/dev/null' for a new file). */
  oldPath: string;
  /** Path as written in the +++ line. */
  newPath: string;
  /** Path inside the kernel tree (prefixes such as a/, b/ or linux-x.y.old/ removed). */
  path: string;
  /** The diff/--- header of this file. */
  location: Location;
  isNew: boolean;
  isDeleted: boolean;
  isBinary: boolean;
  hunks: DiffHunk[];
  /** The object the file is built into, when the kernel source tree is known. */
  object?: string;
  objectReason?: string;
}

export interface PatchDiff {
  file: string;
  /** git format-patch mail subject, when present. */
  subject?: string;
  files: DiffFile[];
  problems: Problem[];
}
