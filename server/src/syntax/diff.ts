// Reads a patch as kpatch-build and klp-build take it: `diff -Nupr` output, `git diff`,
// `git format-patch` mails and quilt (`Index:`) patches, with any number of files.
// Hunks are read by their line counts, as GNU patch does; a hunk whose body does not
// match its counts is reported (parse-error at its @@ line) and reading goes on.
import { problem, type Problem } from '../common/problem';
import { lineRange, location, type Location } from '../common/range';
import type { DiffLine, Making, ParsedFile, ParsedHunk, ParsedPatch } from './diffTypes';
import { deepFreeze } from './diffFileCache';
import { LineIndex } from './lineIndex';

// The mbox separator git format-patch writes before each mail.
const MAIL_START = /^From [0-9a-f]{40} /;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;
// `--- path<TAB>date`, or (some tools) a blank before the date.
const TRAILING_DATE = /\s+\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( ?[+-]\d{4})?$/;
// The top-level directories of a kernel tree: a path starting with one is already
// relative to the tree (a -p0 patch) and keeps its first component.
const KERNEL_TOP_DIRS = new Set([
  'Documentation', 'LICENSES', 'arch', 'block', 'certs', 'crypto', 'drivers', 'fs', 'include', 'init',
  'io_uring', 'ipc', 'kernel', 'lib', 'mm', 'net', 'rust', 'samples', 'scripts', 'security', 'sound',
  'tools', 'usr', 'virt',
]);

/** What the extended headers before the ---/+++ pair said about the next file. */
interface PendingHeader {
  line: number;
  /** The last line read as part of it, and the problems found in its lines. */
  end?: number;
  problems: Problem[];
  /** Old and new path from a `diff` or `diff --git` line, or `Index:` (both the same). */
  oldPath?: string;
  newPath?: string;
  git: boolean;
  isNew: boolean;
  isDeleted: boolean;
  isBinary: boolean;
  renameFrom?: string;
  renameTo?: string;
}

type FileMaking = Making<ParsedFile> & { hunks: ParsedHunk[] };
type HunkMaking = ParsedHunk & { lines: DiffLine[] };

/**
 * The files of the last parse of a patch, by their first line: a file whose lines (and the
 * few after them, which decided where it ended) are the same at the same place is not read
 * again: it is the frozen ParsedFile of the parse before (which the analysis before kept).
 */
export interface PatchParseCache {
  files: Map<number, KeptFile>;
}

interface KeptFile {
  /** The lines after the file that reading it looked at (see lookAhead). */
  after: string;
  /** The file's last line. */
  end: number;
  /** The file as parsed (with its reading), frozen. */
  file: ParsedFile & { reading: string };
  /** The parse problems found in its lines, frozen. */
  problems: readonly Problem[];
}

/**
 * A copy of `part` of a longer string. V8 makes a long enough slice a view of the whole
 * string: the lines and readings a cache keeps, from parses of many versions of a patch,
 * would each keep their version's whole text alive. Slicing a concatenation copies it.
 */
function detached(part: string): string {
  return ` ${part}`.slice(1);
}

/** How many lines after a file's last line its reading looked at (startsHeader of the line after it). */
const LOOK_AHEAD = 3;

export function newPatchParseCache(): PatchParseCache {
  return { files: new Map() };
}

/**
 * Parses a patch; never throws. Every header, hunk and line keeps its 0-based line in the
 * patch. The result is not changed afterwards; with a cache, the lines of its files are frozen.
 */
export function parsePatch(text: string, file: string, cache?: PatchParseCache): ParsedPatch {
  return new PatchReader(text, file, cache).read();
}

class PatchReader {
  private readonly index: LineIndex;
  private readonly count: number;
  /** The lines split off so far (see line()). */
  private readonly lines: string[] = [];
  private readonly files: FileMaking[] = [];
  private readonly problems: Problem[] = [];
  private subject?: string;
  private pending?: PendingHeader;
  /** The file the next hunk belongs to (until another header starts). */
  private current?: FileMaking;
  /** Each file's first and last line, and the problems found in them; `headed`: a ---/+++ pair started it (a cache keeps those). */
  private readonly spans = new Map<FileMaking, { start: number; end: number; problems: Problem[]; headed?: boolean; reused?: KeptFile }>();
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly cache: PatchParseCache | undefined,
  ) {
    this.index = new LineIndex(text);
    this.count = this.index.lineCount;
  }

  /**
   * Line `n` without its line end ('\n' or '\r\n'), undefined past the last one. Split off
   * the text when first asked for: the lines of the files a cache gives are never needed.
   */
  private line(n: number): string | undefined {
    if (n < 0 || n >= this.count) return undefined;
    let line = this.lines[n];
    if (line === undefined) {
      line = detached(this.text.slice(this.index.start(n), this.index.end(n)));
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.lines[n] = line;
    }
    return line;
  }

  read(): ParsedPatch {
    while (this.i < this.count) {
      const line = this.line(this.i)!;
      const problems = this.problems.length;
      if (this.reuse()) {
        // A file taken as the last parse read it: this.i is at its last line.
      } else if (line.startsWith('diff --git ')) this.startHeader({ git: true, ...splitGitPaths(line.slice(11)) });
      else if (line.startsWith('diff ')) this.startHeader({ git: false, ...plainDiffPaths(line) });
      else if (line.startsWith('Index: ')) this.startHeader({ git: false, oldPath: line.slice(7).trim(), newPath: line.slice(7).trim() });
      else if (line.startsWith('--- ') && this.line(this.i + 1)?.startsWith('+++ ')) this.fileHeader();
      else if (line.startsWith('@@')) this.hunk();
      else if (MAIL_START.test(line) || isSignature(line)) this.endFile();
      else if (this.pending) this.extendedHeader(line);
      else if (!this.subject && this.files.length === 0 && line.startsWith('Subject: ')) this.readSubject();
      const span = (this.current && this.spans.get(this.current)) ?? this.pending;
      if (span) {
        span.end = this.i;
        if (this.problems.length > problems) span.problems.push(...this.problems.slice(problems));
      }
      this.i++;
    }
    this.flushPending();
    this.keep();
    return { file: this.file, ...(this.subject !== undefined ? { subject: this.subject } : {}), files: this.files, problems: this.problems };
  }

  /** How many lines follow line `end` (up to LOOK_AHEAD), and their text: what reading the line before them looked at. */
  private lookAhead(end: number): string {
    return `${Math.min(LOOK_AHEAD, this.count - 1 - end)}:${this.textOf(end + 1, end + LOOK_AHEAD)}`;
  }

  /** The text of lines `from` to `to` (both included, within the text). */
  private textOf(from: number, to: number): string {
    return this.index.lines(from, to);
  }

  /**
   * A file of the cache starts here, and its lines and the ones after it that decided where
   * it ended are the same: it is taken as it was, and reading goes on after it. A file that
   * ---/+++ starts is one only when no diff or Index line came just before (it would be part
   * of that header).
   */
  private reuse(): boolean {
    const known = this.cache?.files.get(this.i);
    if (!known) return false;
    const line = this.line(this.i)!;
    const startsHeader = line.startsWith('diff ') || line.startsWith('Index: ');
    if (!startsHeader && this.pending) return false;
    if (this.textOf(this.i, known.end) !== known.file.reading || this.lookAhead(known.end) !== known.after) return false;
    this.flushPending();
    // The very (frozen) file of the last parse: what is derived from it is found again by identity. Nothing
    // is added to it: the lines after it that ended it are the same (lookAhead), so no hunk follows.
    const file = known.file as FileMaking;
    this.files.push(file);
    this.spans.set(file, { start: this.i, end: known.end, problems: [], headed: true, reused: known });
    this.problems.push(...known.problems);
    this.current = file;
    this.i = known.end;
    return true;
  }

  /** Each file's reading; with a cache, what the next parse may reuse (the files ---/+++ started). */
  private keep(): void {
    const kept = new Map<number, KeptFile>();
    for (const [file, { start, end, problems, headed, reused }] of this.spans) {
      if (reused) {
        kept.set(start, reused);
        continue;
      }
      const reading = detached(this.textOf(start, end));
      file.reading = reading;
      if (!this.cache || !headed) continue;
      // Frozen copies of the file and its hunks (the lines are shared, frozen too).
      const parsed = { after: detached(this.lookAhead(end)), end, file: { ...file, reading, hunks: file.hunks.map((h) => ({ ...h })) }, problems };
      kept.set(start, deepFreeze(parsed));
    }
    if (this.cache) this.cache.files = kept;
  }

  /** A new mail (git format-patch series in one file) or a signature: what follows belongs to no file yet. */
  private endFile(): void {
    this.flushPending();
    this.current = undefined;
  }

  private at(line: number): Location {
    return location(this.file, lineRange(line, this.line(line)?.length ?? 0));
  }

  private startHeader(paths: Pick<PendingHeader, 'git' | 'oldPath' | 'newPath'>): void {
    this.flushPending();
    this.current = undefined;
    this.pending = { line: this.i, problems: [], isNew: false, isDeleted: false, isBinary: false, ...paths };
  }

  /** git's extended header lines, `Binary files ... differ` and `GIT binary patch`. */
  private extendedHeader(line: string): void {
    const p = this.pending!;
    const value = (prefix: string) => unquote(line.slice(prefix.length).trim());
    if (line.startsWith('new file mode ')) p.isNew = true;
    else if (line.startsWith('deleted file mode ')) p.isDeleted = true;
    else if (line.startsWith('rename from ') || line.startsWith('copy from ')) p.renameFrom = value(line.startsWith('rename') ? 'rename from ' : 'copy from ');
    else if (line.startsWith('rename to ') || line.startsWith('copy to ')) p.renameTo = value(line.startsWith('rename') ? 'rename to ' : 'copy to ');
    else if (line === 'GIT binary patch') {
      p.isBinary = true;
      this.skipBinaryData();
    } else {
      const binary = /^Binary files (.+) and (.+) differ$/.exec(line);
      if (binary) {
        p.isBinary = true;
        p.oldPath ??= binary[1];
        p.newPath ??= binary[2];
      }
    }
  }

  /** `literal N` / `delta N` blocks of base85 lines (which never hold a blank) and blank separators. */
  private skipBinaryData(): void {
    while (/^(literal \d+|delta \d+|[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]*|)$/.test(this.line(this.i + 1) ?? 'x y')) this.i++;
  }

  /** A git header without ---/+++ (binary, rename, mode change) is a file of its own; a bare `diff` line is dropped. */
  private flushPending(): void {
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    const meaningful = p.isBinary || p.isNew || p.isDeleted || p.renameTo !== undefined || p.git;
    if (!meaningful) return;
    const oldPath = p.renameFrom ?? p.oldPath ?? '';
    const newPath = p.renameTo ?? p.newPath ?? oldPath;
    const treePath = p.renameTo ?? (p.isDeleted ? stripPrefix(oldPath) : stripPrefix(newPath));
    const file = this.makeFile(p.line, oldPath, newPath, treePath, p);
    this.files.push(file);
    this.spans.set(file, { start: p.line, end: p.end ?? p.line, problems: p.problems });
  }

  private makeFile(line: number, oldPath: string, newPath: string, path: string, p?: PendingHeader): FileMaking {
    return {
      oldPath,
      newPath,
      path,
      location: this.at(line),
      isNew: (p?.isNew ?? false) || oldPath === '/dev/null',
      isDeleted: (p?.isDeleted ?? false) || newPath === '/dev/null',
      isBinary: p?.isBinary ?? false,
      hunks: [],
    };
  }

  private fileHeader(): void {
    const p = this.pending;
    this.pending = undefined;
    const oldPath = headerPath(this.line(this.i)!.slice(4));
    const newPath = headerPath(this.line(this.i + 1)!.slice(4));
    const path = newPath === '/dev/null' ? stripPrefix(oldPath) : (p?.renameTo ?? stripPrefix(newPath));
    const file = this.makeFile(p?.line ?? this.i, oldPath, newPath, path, p);
    this.files.push(file);
    this.spans.set(file, { start: p?.line ?? this.i, end: this.i, problems: p?.problems ?? [], headed: true });
    this.current = file;
    this.i++;
  }

  private readSubject(): void {
    let subject = this.line(this.i)!.slice(9);
    while (/^[ \t]/.test(this.line(this.i + 1) ?? '')) subject += ' ' + this.line(++this.i)!.trim();
    // git am drops the [PATCH ...] tags.
    this.subject = subject.replace(/^(\s*\[[^\]]*\])+\s*/, '').trim();
  }

  private hunk(): void {
    const headerLine = this.i;
    const header = this.line(headerLine)!;
    const m = HUNK_HEADER.exec(header);
    if (!m) {
      this.problems.push(problem('parse-error', 'error', this.at(headerLine), `malformed hunk header: expected '@@ -start,count +start,count @@'`));
      this.skipBody();
      return;
    }
    if (!this.current) {
      this.problems.push(problem('parse-error', 'error', this.at(headerLine), 'hunk without a file header (--- and +++ lines) before it'));
      this.skipBody();
      return;
    }
    const count = (s: string | undefined) => (s === undefined ? 1 : Number(s));
    const hunk: HunkMaking = {
      header,
      location: this.at(headerLine),
      oldStart: Number(m[1]),
      oldLines: count(m[2]),
      newStart: Number(m[3]),
      newLines: count(m[4]),
      context: m[5].trim(),
      lines: [],
    };
    this.readBody(hunk);
    this.current.hunks.push(hunk);
    this.updateNewDeleted(this.current);
  }

  /** diff -N writes an absent file as an empty one: `@@ -0,0 +1,n @@` alone means the file is new. */
  private updateNewDeleted(file: FileMaking): void {
    if (file.hunks.length !== 1) return;
    const [h] = file.hunks;
    if (h.oldStart === 0 && h.oldLines === 0) file.isNew = true;
    if (h.newStart === 0 && h.newLines === 0) file.isDeleted = true;
  }

  private readBody(hunk: HunkMaking): void {
    let oldLeft = hunk.oldLines;
    let newLeft = hunk.newLines;
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    const push = (kind: DiffLine['kind'], text: string) => {
      const line: Making<DiffLine> = { kind, text, patchLine: this.i + 1 };
      if (kind !== 'add') line.oldLine = oldLine++;
      if (kind !== 'remove') line.newLine = newLine++;
      hunk.lines.push(line);
    };
    // The counted body.
    while (oldLeft > 0 || newLeft > 0) {
      const next = this.line(this.i + 1);
      if (next === undefined || this.startsHeader(this.i + 1)) break;
      const kind = bodyKind(next);
      if (kind === 'no-newline') {
        this.i++;
        continue;
      }
      if (kind === 'context' && oldLeft > 0 && newLeft > 0) {
        oldLeft--;
        newLeft--;
      } else if (kind === 'remove' && oldLeft > 0) oldLeft--;
      else if (kind === 'add' && newLeft > 0) newLeft--;
      else break;
      push(kind, bodyText(next));
      this.i++;
    }
    const counted = oldLeft === 0 && newLeft === 0;
    // Lines past the counts that still read as body lines: the header's counts are too small.
    let extra = 0;
    if (counted) {
      for (;;) {
        const next = this.line(this.i + 1);
        if (next === undefined || this.startsHeader(this.i + 1) || isSignature(next)) break;
        const kind = bodyKind(next);
        if (kind === 'no-newline') {
          this.i++;
          continue;
        }
        if (kind === undefined || next === '' || next.startsWith('\t')) break;
        push(kind, bodyText(next));
        extra++;
        this.i++;
      }
    }
    if (!counted || extra > 0) {
      const seenOld = hunk.lines.filter((l) => l.kind !== 'add').length;
      const seenNew = hunk.lines.filter((l) => l.kind !== 'remove').length;
      const why = counted ? 'the body goes on past them' : 'the body ends before them';
      this.problems.push(
        problem(
          'parse-error',
          'error',
          hunk.location,
          `hunk line counts do not match its body: the header says ${hunk.oldLines} old and ${hunk.newLines} new lines, ` +
            `the body has ${seenOld} old and ${seenNew} new lines (${why})`,
          { data: { oldLines: hunk.oldLines, newLines: hunk.newLines, seenOld, seenNew } },
        ),
      );
    }
  }

  /** After a malformed hunk header: skip what looks like its body. */
  private skipBody(): void {
    while (this.i + 1 < this.count && !this.startsHeader(this.i + 1) && bodyKind(this.line(this.i + 1)!) !== undefined) this.i++;
  }

  /** Line `n` starts a new file or hunk (a `---` line counts only when `+++` and `@@` follow). */
  private startsHeader(n: number): boolean {
    const line = this.line(n)!;
    if (line.startsWith('@@') || line.startsWith('diff ') || line.startsWith('Index: ')) return true;
    return line.startsWith('--- ') && (this.line(n + 1)?.startsWith('+++ ') ?? false) && (this.line(n + 2)?.startsWith('@@') ?? false);
  }
}

/**
 * The kind of a body line. An empty line, or one starting with a tab, is a context line
 * whose leading blank was eaten on the way (mailers, editors); GNU patch reads it so too.
 */
function bodyKind(line: string): DiffLine['kind'] | 'no-newline' | undefined {
  switch (line[0]) {
    case ' ':
    case '\t':
    case undefined:
      return 'context';
    case '+':
      return 'add';
    case '-':
      return 'remove';
    case '\\':
      return 'no-newline';
    default:
      return undefined;
  }
}

/** The text of a body line without its ' ', '+' or '-' (a tab-led context line keeps its tab). */
function bodyText(line: string): string {
  return line.startsWith('\t') ? line : line.slice(1);
}

/** git format-patch ends a mail with `-- ` and the git version. */
function isSignature(line: string): boolean {
  return line === '-- ' || line === '--';
}

/** The path of a ---/+++ line: up to the tab (or the date), unquoted. */
function headerPath(rest: string): string {
  const tab = rest.indexOf('\t');
  const path = tab >= 0 ? rest.slice(0, tab) : rest.replace(TRAILING_DATE, '');
  return unquote(path.trim());
}

/** `diff -Nupr -U 15 old new`: the last two words. */
function plainDiffPaths(line: string): Pick<PendingHeader, 'oldPath' | 'newPath'> {
  const words = line.split(/\s+/).filter((w) => w !== '');
  return words.length >= 3 ? { oldPath: words[words.length - 2], newPath: words[words.length - 1] } : {};
}

/** `diff --git a/x b/x`: split where the two halves name the same file (paths may hold blanks). */
function splitGitPaths(rest: string): Pick<PendingHeader, 'oldPath' | 'newPath'> {
  const quoted = /^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(rest);
  if (quoted) return { oldPath: unquote(quoted[1]), newPath: unquote(quoted[2]) };
  for (let at = rest.indexOf(' '); at >= 0; at = rest.indexOf(' ', at + 1)) {
    const [a, b] = [rest.slice(0, at), rest.slice(at + 1)];
    if (stripPrefix(a) === stripPrefix(b)) return { oldPath: a, newPath: b };
  }
  return {};
}

/** git quotes paths with unusual characters C-style, non-ASCII bytes as octal escapes of their UTF-8. */
function unquote(path: string): string {
  if (!(path.length >= 2 && path.startsWith('"') && path.endsWith('"'))) return path;
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, '\\': 92 };
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += 3;
    } else {
      const e = body[++i];
      bytes.push(escapes[e] ?? e.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The path inside the kernel tree, as `patch -p1` reads it: the first component
 * (a/, b/, src.orig/, linux-3.10.0.old/, ...) goes, unless the path already starts
 * with a top-level directory of the kernel tree or has a single component.
 */
export function stripPrefix(path: string): string {
  if (path === '/dev/null') return path;
  const clean = path.replace(/^(\.\/)+/, '');
  const slash = clean.indexOf('/');
  if (slash < 0) return clean;
  const first = clean.slice(0, slash);
  if (first !== 'a' && first !== 'b' && KERNEL_TOP_DIRS.has(first)) return clean;
  return clean.slice(slash + 1);
}
