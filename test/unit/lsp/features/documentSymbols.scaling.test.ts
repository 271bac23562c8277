// The outline of a large hunk takes time linear in its lines: each function's lines are
// looked up among the hunk's, not searched for line by line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentSymbols } from '../../../../server/src/lsp/features/documentSymbols';
import { oneHunkPatch, timeRatio } from '../../../helpers/scaling';
import { makeView } from '../view';

describe('document symbols of a large hunk', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-outline-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The view of a one-hunk patch adding `added` lines, and the patch. */
  async function viewOf(added: number) {
    const file = path.join(dir, `add-${added}.patch`);
    writeFileSync(file, oneHunkPatch(added));
    return { view: await makeView([file]), file };
  }

  it('8x the lines take far less than 64x the time', async () => {
    const small = await viewOf(2500);
    const large = await viewOf(20000);
    const [fn] = documentSymbols(large.view, large.file)[0].children![0].children!;
    expect(fn.name).toBe('cmdline_proc_show');
    expect(fn.range.end.line - fn.range.start.line).toBe(20000 + 5);
    // Linear: ~8; quadratic: ~64. Wide apart, as CI's shared cores make timings noisy.
    expect(timeRatio(small, large, ({ view, file }) => documentSymbols(view, file))).toBeLessThan(24);
  });
});
