// A parsed patch diff (diff -Nupr, git diff, git format-patch mail). Every
// header, hunk and line keeps its position in the patch file. Two values, each made once
// and never changed afterwards: the patch as parsed (ParsedPatch, syntax/diff.ts), and
// the patch whose hunks carry the functions they touch (PatchDiff, syntax/hunkFunctions.ts).
import type { Problem } from '../common/problem';
import type { Location } from '../common/range';

/** A value while its maker makes it (the makers' own business: what they hand out is not changed). */
export type Making<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Every field of T, the optional ones too (maybe undefined): a copy written field by field (a
 * literal is much faster than a spread that adds fields) cannot leave out one added later.
 */
export type AllFields<T> = { readonly [K in keyof Required<T>]: T[K] };

export type DiffLineKind = 'context' | 'add' | 'remove';

export interface DiffLine {
  readonly kind: DiffLineKind;
  /** The text without its leading ' ', '+' or '-'. */
  readonly text: string;
  /** 0-based line in the patch file. */
  readonly patchLine: number;
  /** 1-based line in the original file (context and remove lines). */
  readonly oldLine?: number;
  /** 1-based line in the new file (context and add lines). */
  readonly newLine?: number;
}

/** A function a hunk touches. */
export interface HunkFunction {
  readonly name: string;
  /** The function does not exist in the original source (added by the patch). */
  readonly isNew: boolean;
  /** The function's body or signature has added or removed lines (not only context). */
  readonly changed: boolean;
  /** How it was found. */
  readonly source: 'tree-sitter' | 'hunk-body' | 'hunk-context';
  /** Where to point: the function's first changed line in the patch, or the hunk header. */
  readonly location: Location;
  /** Storage/attributes seen on the definition: 'static', 'inline', '__init', '__exit', 'notrace', ... */
  readonly specifiers: readonly string[];
  /** The hunk's lines (0-based patch lines: context, added, removed) that lie inside this function. */
  readonly lines?: readonly number[];
}

/** A hunk as parsed. */
export interface ParsedHunk {
  /** The @@ line as written. */
  readonly header: string;
  readonly location: Location;
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** The text after the closing @@ (diff -p's function context). */
  readonly context: string;
  readonly lines: readonly DiffLine[];
}

/** A hunk with the functions it touches. */
export interface DiffHunk extends ParsedHunk {
  readonly functions: readonly HunkFunction[];
}

/** A file as parsed. */
export interface ParsedFile {
  /** Path as written in the --- line ('/dev/null' for a new file). */
  readonly oldPath: string;
  /** Path as written in the +++ line. */
  readonly newPath: string;
  /** Path inside the kernel tree (prefixes such as a/, b/ or linux-x.y.old/ removed). */
  readonly path: string;
  /** The diff/--- header of this file. */
  readonly location: Location;
  readonly isNew: boolean;
  readonly isDeleted: boolean;
  readonly isBinary: boolean;
  readonly hunks: readonly ParsedHunk[];
  /**
   * The text of the patch the file was read from (from its first header line to its last
   * hunk line): two files read from the same text are the same but for their place in the
   * patch and the patch's name (syntax/diffFileCache.ts fileTextKey). Absent in a file
   * parsePatch did not make.
   */
  readonly reading?: string;
}

/** A file whose hunks carry the functions they touch. */
export interface DiffFile extends ParsedFile {
  readonly hunks: readonly DiffHunk[];
  /**
   * The functions of the hunks, positions relative to the file's header line, as a short
   * digest (syntax/diffFileCache.ts functionsKey): what a result that reads them depends
   * on. Absent in a file findHunkFunctions did not make.
   */
  readonly functionsKey?: string;
}

export interface ParsedPatch {
  readonly file: string;
  /** git format-patch mail subject, when present. */
  readonly subject?: string;
  readonly files: readonly ParsedFile[];
  readonly problems: readonly Problem[];
}

/** A patch whose hunks carry the functions they touch. */
export interface PatchDiff extends ParsedPatch {
  readonly files: readonly DiffFile[];
}
