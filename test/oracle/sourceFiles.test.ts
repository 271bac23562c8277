// The old_sympos choices on Debian's kernel name each occurrence's source file (oracle tier,
// KLP_ORACLE=1): the kernel's own /proc/kallsyms (one boot under qemu) against the vmlinux of
// its linux-image-<release>-dbg package. Every name that occurs more than once must occur as
// often, at the same relative addresses, in both; each static occurrence then has its file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootedKallsyms } from '../../oracle/src/bootedKallsyms';
import { CACHE } from '../../oracle/src/paths';
import { kernelImage, setUp } from '../../oracle/src/setup';
import { compileModtoolInto } from '../../oracle/src/trySeries';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { fixesFor } from '../../server/src/checks';
import { nodeFileSource } from '../../server/src/common/fileSource';
import { loadKernelContext } from '../../server/src/kernel/context';
import { CParser } from '../../server/src/syntax/treeSitter';
import { debugVmlinux } from '../../tools/src/debianData';
import { fixturePath } from '../helpers/fixtures';

const ENABLED = process.env.KLP_ORACLE === '1';
if (!ENABLED) console.warn('[klp-lens tests] source files of the sympos choices on the real kernel are skipped: set KLP_ORACLE=1');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'klp-sourcefiles-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('source files of the old_sympos choices (Debian kernel, its -dbg vmlinux)', () => {
  it.skipIf(!ENABLED)(
    'every static occurrence of a name the running kernel holds more than once has its file',
    async () => {
      const log = (l: string) => console.log(`source files: ${l}`);
      const kernel = await setUp(log);
      const image = await kernelImage(kernel.release, CACHE, log);
      const kallsyms = await bootedKallsyms(image.vmlinuz, await compileModtoolInto(path.join(CACHE, 'try', 'modtool')), image.kallsyms, log);
      const vmlinux = await debugVmlinux(kernel.release, path.join(CACHE, 'debug'), log);
      const started = Date.now();
      const context = await loadKernelContext({ kallsyms, vmlinux });
      const loadMs = Date.now() - started;
      expect(context.problems).toEqual([]);

      const repeated = [...(context.objects.get('vmlinux')?.byName ?? [])].filter(([, entries]) => entries.length > 1);
      const statics = repeated.flatMap(([, entries]) => entries.filter((e) => /^[a-z]$/.test(e.type)));
      const named = statics.filter((e) => e.sourceFile !== undefined);
      console.log(`source files: ${repeated.length} names occur more than once; ${named.length}/${statics.length} static occurrences named (loaded in ${loadMs} ms)`);
      expect(repeated.length).toBeGreaterThan(500);
      expect(named.length).toBe(statics.length);

      // The fixes of ambiguous-symbol for a klp_func patching jhash (vmlinux holds a copy of the header's static inline per file that does not inline it).
      const lp = path.join(tmp, 'lp.c');
      const text = readFileSync(fixturePath('checks', 'ambiguous-symbol', 'lp.c'), 'utf8').replace('"type_show"', '"jhash"');
      writeFileSync(lp, text);
      const analysis = analyze({ paths: [lp], kernel: context, fs: nodeFileSource(), session: new AnalysisSession(await CParser.create()) });
      const ambiguous = analysis.problems.find((p) => p.code === 'ambiguous-symbol');
      const titles = fixesFor(ambiguous!, text, (message) => expect.fail(message)).map((f) => f.title);
      console.log(`source files: ${titles.slice(0, 3).join('; ')}; ...`);
      expect(titles.length).toBeGreaterThan(1);
      for (const title of titles) expect(title).toMatch(/^Set \.old_sympos = \d+ \([\w.-]+\.c, [0-9a-f]{16}\)$/);
    },
    20 * 60_000,
  );
});
