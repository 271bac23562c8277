// klp-build's way out of `__LINE__` shifts (scripts/livepatch/fix-patch-lines, Linux 6.19,
// then patchutils' recountdiff): after each group of changed lines of a C file's hunk, a
// `#line N` directive gives the next context line its number in the original file, so every
// line after the change keeps the number it had and WARN()/BUG()/might_sleep() expansions
// elsewhere do not change.

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** The patch with `#line` directives added after each change group of its .c and .h files' hunks (their new-side counts grown to match). */
export function pinLines(patch: string): string {
  const lines = patch.split('\n');
  const out: string[] = [];
  let cFile = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('--- ')) cFile = /\.[ch]$/.test(line.slice(4).split('\t')[0].trim());
    const header = cFile ? HUNK_HEADER.exec(line) : null;
    if (!header) {
      out.push(line);
      continue;
    }
    const hunk = pinnedHunkAt(lines, i)!;
    out.push(...hunk.lines);
    i = hunk.end - 1;
  }
  return out.join('\n');
}

/** The hunk whose @@ line is lines[at], pinned: its new lines (header first) and the index after its last line. */
export function pinnedHunkAt(lines: readonly string[], at: number): { lines: string[]; end: number } | undefined {
  const header = HUNK_HEADER.exec(lines[at] ?? '');
  if (!header) return undefined;
  const hunk = pinnedHunk(lines, at + 1, header);
  return { lines: [`@@ -${header[1]}${header[2] === undefined ? '' : `,${header[2]}`} +${header[3]},${hunk.newCount} @@${header[5]}`, ...hunk.lines], end: hunk.end };
}

function pinnedHunk(lines: readonly string[], start: number, header: RegExpExecArray) {
  let old = Number(header[1]);
  let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
  let newLeft = header[4] === undefined ? 1 : Number(header[4]);
  let newCount = newLeft;
  const out: string[] = [];
  let afterChange = false;
  let i = start;
  for (; i < lines.length && (oldLeft > 0 || newLeft > 0); i++) {
    const line = lines[i];
    if (line.startsWith('\\')) {
      out.push(line);
      continue;
    }
    if (line.startsWith('+')) {
      newLeft--;
      afterChange = true;
    } else if (line.startsWith('-')) {
      oldLeft--;
      old++;
      afterChange = true;
    } else {
      if (afterChange) {
        out.push(`+#line ${old}`);
        newCount++;
      }
      afterChange = false;
      oldLeft--;
      newLeft--;
      old++;
    }
    out.push(line);
  }
  // A "\ No newline at end of file" right after the hunk belongs to it.
  while (i < lines.length && lines[i].startsWith('\\')) out.push(lines[i++]);
  return { lines: out, newCount, end: i };
}
