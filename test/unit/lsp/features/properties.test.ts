// The features never throw, whatever the position, the range or the text of the document.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { definition } from '../../../../server/src/lsp/features/definition';
import { documentSymbols } from '../../../../server/src/lsp/features/documentSymbols';
import { hover } from '../../../../server/src/lsp/features/hover';
import { inlayHints } from '../../../../server/src/lsp/features/inlayHints';
import { contains } from '../../../../server/src/lsp/features/ranges';
import type { AnalysisView } from '../../../../server/src/lsp/view';
import { readFixture } from '../../../helpers/fixtures';
import { KERNEL, lspFixture, makeView, WHOLE } from '../view';

const FILES = [
  'mixed/series',
  'mixed/lpa.c',
  'mixed/lpr.c',
  'mixed/proc-fix.patch',
  'mixed/bsc1/patched_funcs.csv',
  'source/fs/proc/cmdline.c',
  'source/fs/proc/version.c',
  'source/drivers/cdrom/cdrom.c',
].map((f) => lspFixture(f));

const position = fc.record({ line: fc.integer({ min: -2, max: 60 }), character: fc.integer({ min: -2, max: 120 }) });

describe('language features on any input', () => {
  let view: AnalysisView;
  beforeAll(async () => {
    view = await makeView([lspFixture('mixed')], KERNEL);
  });

  it('any position of any fixture file: no throw; a hover range holds the position', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), position, position, (file, p, q) => {
        const h = hover(view, file, p);
        if (h?.range && p.line >= 0) expect(h.range.start.line <= p.line && p.line <= h.range.end.line).toBe(true);
        definition(view, file, p);
        const range = { start: p, end: q };
        for (const hint of inlayHints(view, file, range)) expect(contains(range, hint.position) || (hint.position.line === q.line && hint.position.character === q.character)).toBe(true);
        documentSymbols(view, file);
      }),
      { numRuns: 300 },
    );
  });

  it('any text in a kernel source file or a diff outside the series, random or a mutated fixture', () => {
    const mutated = fc
      .tuple(fc.constantFrom(readFixture('lsp/source/fs/proc/cmdline.c'), readFixture('lsp/mixed/proc-fix.patch')), fc.nat(), fc.nat(), fc.string())
      .map(([text, at, length, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + (length % 40)));
    const kernelFile = lspFixture('source/fs/proc/cmdline.c');
    const strayDiff = lspFixture('stray.patch');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated), position, (text, p) => {
        const over: AnalysisView = { ...view, readText: (file) => (file === kernelFile || file === strayDiff ? text : view.readText(file)) };
        hover(over, kernelFile, p);
        inlayHints(over, kernelFile, WHOLE);
        documentSymbols(over, strayDiff);
      }),
      { numRuns: 200 },
    );
  });
});
