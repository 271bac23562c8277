// parsePatch, findHunkFunctions and livepatchFromDiff never throw and never hang,
// on random text, on patch-shaped text and on mutated real patches.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { livepatchFromDiff } from '../../../server/src/model/fromDiff';
import { parsePatch } from '../../../server/src/syntax/diff';
import { findHunkFunctions } from '../../../server/src/syntax/hunkFunctions';
import { CParser } from '../../../server/src/syntax/treeSitter';
import { kernel } from '../../helpers/builders';
import { readFixture } from '../../helpers/fixtures';
import { CORPUS, HAS_SHARED } from '../../helpers/shared';

let parser: CParser;
beforeAll(async () => {
  parser = await CParser.create();
});

const k = kernel({ symbols: { vmlinux: ['media_changed', 'demo_init'], cdrom: ['media_changed'] } });

/** Runs the whole diff pipeline and checks the positions it reports; returns the time it took. */
function pipeline(text: string, source?: string): number {
  const started = Date.now();
  const diff = findHunkFunctions(parsePatch(text, 'p.patch'), { parser, readSource: source === undefined ? undefined : () => source });
  const lp = livepatchFromDiff(diff, { name: 'p', replace: true, kernel: k });
  const lineCount = text.split('\n').length;
  for (const file of diff.files) {
    let last = file.location.range.start.line;
    for (const hunk of file.hunks) {
      expect(hunk.location.range.start.line).toBeGreaterThanOrEqual(last);
      for (const line of hunk.lines) {
        expect(line.patchLine).toBeGreaterThan(last);
        expect(line.patchLine).toBeLessThan(lineCount);
        last = line.patchLine;
      }
    }
  }
  for (const p of diff.problems) expect(p.code).toBe('parse-error');
  for (const r of lp.references) expect(r.location.range.start.line).toBeLessThan(lineCount);
  return Date.now() - started;
}

const fixtures = ['diff-nupr.patch', 'git-format-patch.patch', 'quilt.patch', 'bad-counts.patch', 'cdrom-media-changed.patch', 'demo.patch', 'labels.patch'];
const realPatches = (): string[] => [
  ...fixtures.map((f) => readFixture('diff', f)),
  ...(HAS_SHARED
    ? [
        'kpatch/test/integration/rhel-7.9/macro-printk.patch',
        'kpatch/test/integration/linux-6.2.0/symvers-disagreement-FAIL.patch',
        'github/SUSE__kernel-livepatch/SLE15-SP6-RT_Update_0/diff-vs-SLE15-SP6_Update_0.diff',
      ].map((f) => readFileSync(path.join(CORPUS, f), 'utf8'))
    : []),
];

/** Lines that mean something to a patch reader. */
const patchLine = fc.oneof(
  fc.constantFrom('--- a/x.c', '+++ b/x.c', '--- /dev/null', '+++ /dev/null', 'diff --git a/x.c b/x.c', 'Index: x.c', '-- ', '\\ No newline at end of file'),
  fc.constantFrom('new file mode 100644', 'deleted file mode 100644', 'rename from x.c', 'rename to y.c', 'GIT binary patch', 'literal 0', 'Binary files a/x and b/x differ'),
  fc.tuple(fc.nat(40), fc.nat(5), fc.nat(40), fc.nat(5), fc.string()).map(([a, b, c, d, s]) => `@@ -${a},${b} +${c},${d} @@ ${s}`),
  fc.tuple(fc.constantFrom(' ', '+', '-', '\t', ''), fc.constantFrom('static int __init f(void)', '{', '}', 'struct s {', '\tint x;', '};', 'out:', 'SYSCALL_DEFINE1(x, int, a)', '\tstatic int n;', '\tpr_warn_once("x");', '/*', ' */')).map(([p, s]) => p + s),
  fc.string(),
);

describe('diff pipeline properties', () => {
  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (text) => {
      pipeline(text);
    }), { numRuns: 300 });
  });

  it('never throws and stays fast on patch-shaped text, with and without a source file', () => {
    fc.assert(
      fc.property(fc.array(patchLine, { maxLength: 80 }), fc.option(fc.array(patchLine, { maxLength: 40 })), (lines, source) => {
        expect(pipeline(lines.join('\n'), source === null ? undefined : source.join('\n'))).toBeLessThan(2000);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws and stays fast on mutated real patches', () => {
    const originals = realPatches();
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: patchLine }),
      fc.record({ op: fc.constant('renumber' as const), at: fc.nat(), n: fc.nat(100000) }),
      fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.nat(originals.length - 1), fc.array(mutation, { minLength: 1, maxLength: 8 }), (which, mutations) => {
        const lines = originals[which].split('\n');
        for (const m of mutations) {
          const at = m.at % (lines.length + 1);
          if (m.op === 'delete') lines.splice(at, 1);
          else if (m.op === 'duplicate') lines.splice(at, 0, lines[at] ?? '');
          else if (m.op === 'insert') lines.splice(at, 0, m.line);
          else if (m.op === 'renumber') lines[at] = (lines[at] ?? '').replace(/\d+/, String(m.n));
          else lines.length = at;
        }
        expect(pipeline(lines.join('\n'), which === 5 ? readFixture('diff', 'source', 'kernel', 'demo.c') : undefined)).toBeLessThan(2000);
      }),
      { numRuns: 300 },
    );
  });
});
