// A hover in a large patch looks at the hunk under the cursor: the livepatches of a file, a
// diff's hunks and a livepatch's references are indexed once per analysis or livepatch, where
// each hover searched every livepatch's functions, every hunk and every reference.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hover } from '../../../../server/src/lsp/features/hover';
import { timeRatio } from '../../../helpers/scaling';
import { makeView } from '../view';

/** A patch of `count` files, one hunk each adding a line to a function of its own. */
function manyHunks(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(`diff --git a/fs/f${i}.c b/fs/f${i}.c`, `--- a/fs/f${i}.c`, `+++ b/fs/f${i}.c`, '@@ -7,6 +7,7 @@');
    lines.push(` static int fn_${i}(struct seq_file *m, void *v)`, ' {', ' \tseq_puts(m, saved_command_line);', '+\tseq_printf(m, "%d\\n", count);');
    lines.push(" \tseq_putc(m, '\\n');", ' \treturn 0;', ' }');
  }
  return lines.join('\n') + '\n';
}
const LINES_PER_FILE = 11;

describe('hover in a large patch', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klp-hover-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function viewOf(count: number) {
    const file = path.join(dir, `hunks-${count}.patch`);
    writeFileSync(file, manyHunks(count));
    return { view: await makeView([file]), file, count };
  }

  it('8x the hunks take about the same time per hover, far from 8x', async () => {
    const small = await viewOf(300);
    const large = await viewOf(2400);
    /** Hovers on the last function's line and its added line, many times. */
    const hovers = ({ view, file, count }: typeof small) => {
      const at = (count - 1) * LINES_PER_FILE + 4;
      for (let i = 0; i < 2000; i++) for (const line of [at, at + 3]) hover(view, file, { line, character: 1 });
    };
    const on = (s: typeof small, line: number) => hover(s.view, s.file, { line, character: 1 })?.contents;
    expect(JSON.stringify(on(large, (large.count - 1) * LINES_PER_FILE + 4))).toContain('**unknown:fn_2399,1**');
    // Indexed: ~1; a search per hover: ~8. Wide apart, as CI's shared cores make timings noisy.
    expect(timeRatio(small, large, hovers)).toBeLessThan(3);
  });
});
