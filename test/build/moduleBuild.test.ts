// klp-lens build on a real kernel's kbuild (Debian's linux-headers): the unexported-symbol
// fixture fails at modpost as the kernel's tools say ("undefined!"), and once its quick fixes are
// applied it builds, and its klp symbols come out as SHN_LIVEPATCH symbols of a .klp.rela section.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { fixesFor } from '../../server/src/checks/index';
import { nodeFileSource } from '../../server/src/common/fileSource';
import { buildModules } from '../../server/src/compiler/moduleBuild';
import { applyEdits } from '../../server/src/edits/textEdits';
import { loadKernelContext } from '../../server/src/kernel/context';
import { packageRoot } from '../../server/src/common/packageRoot';
import { parseModinfo } from '../../server/src/kernel/modinfo';
import { klpLens } from '../helpers/cli';
import { fixturePath, readFixture } from '../helpers/fixtures';
import { BUILD_SKIP, BUILD_TIER, CACHE, ensureBuildPackages, kbuildHeaders } from './truthData';

const log = (line: string) => console.log(`build tier: ${line}`);
const readText = (file: string) => readFileSync(file, 'utf8');
const modinfoOf = (ko: string) => parseModinfo(readFileSync(ko));
const dir = mkdtempSync(path.join(tmpdir(), 'klp-lens-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`klp-lens build with Debian's kbuild${BUILD_TIER ? '' : ` — ${BUILD_SKIP}`}`, () => {
  it.skipIf(!BUILD_TIER)(
    'fails at modpost before the quick fixes, builds and converts after them',
    async () => {
      await ensureBuildPackages(log);
      const buildDir = await kbuildHeaders(log);
      const cacheDir = path.join(CACHE, 'klp-lens');
      const source = path.join(dir, 'lp_open.c');
      const text = readFixture('checks', 'unexported-symbol', 'bad.c');
      writeFileSync(source, text);
      const before = await buildModules({ buildDir, sources: [source], cacheDir });
      expect(before.problems.map((p) => p.message)).toEqual([
        expect.stringContaining('`do_sys_open` is undefined'),
        expect.stringContaining('`ksys_sync` is undefined'),
        expect.stringContaining('`jhash` is undefined'),
      ]);

      // The fixes klp-lens offers on the fixture's kernel, the first of each (the editor applies the same edits).
      const kernel = await loadKernelContext({ kernel: fixturePath('checks', 'unexported-symbol', 'kernel') });
      const session = await AnalysisSession.create();
      const fail = (m: string) => {
        throw new Error(m);
      };
      for (let fixes = 0; ; fixes++) {
        const [first] = analyze({ paths: [source], kernel, fs: nodeFileSource(), session }).problems.filter((p) => p.code === 'unexported-symbol');
        if (!first) break;
        expect(fixes).toBeLessThan(3);
        const now = readText(source);
        writeFileSync(source, applyEdits(now, fixesFor(first, now, fail)[0].edits));
      }
      const after = await buildModules({ buildDir, sources: [source], cacheDir });
      expect(after.problems).toEqual([]);
      expect(after.modules[0].klpSymbols.sort()).toEqual(['.klp.sym.vmlinux.do_sys_open,0', '.klp.sym.vmlinux.jhash,1', '.klp.sym.vmlinux.ksys_sync,1']);
      const sections = execFileSync('readelf', ['-SW', after.modules[0].ko!], { encoding: 'utf8' });
      expect(sections).toMatch(/\.klp\.rela\.vmlinux\.text\s+RELA\s.*AIo/);
      log(`built ${after.modules[0].ko} against ${buildDir}`);
    },
    20 * 60_000,
  );

  it.skipIf(!BUILD_TIER)(
    "builds every module of the example workspace with klp-lens build; lp-cdrom after its quick fix converts and no longer depends on cdrom",
    async () => {
      await ensureBuildPackages(log);
      const buildDir = await kbuildHeaders(log);
      const examples = path.join(packageRoot(), 'examples');
      const modules = readdirSync(examples).filter((f) => f.endsWith('.c'));
      expect(modules.sort()).toEqual(['lp-cdrom.c', 'lp-cmdline.c']);
      /** `klp-lens build` of `sources` into dir/`out`: it succeeds with no finding, one line per module built. */
      const build = async (out: string, sources: string[]) => {
        const built = await klpLens('build', '--kernel', buildDir, '--cache', path.join(CACHE, 'klp-lens'), '--output', path.join(dir, out), ...sources);
        expect(built.stderr).toBe('');
        expect(built.code).toBe(0);
        const lines = built.stdout.trimEnd().split('\n');
        expect(lines.map((l) => l.replace(/\.ko: .*/, '.ko'))).toEqual(sources.map((s) => path.relative(process.cwd(), path.join(dir, out, path.basename(s, '.c') + '.ko'))));
        return lines;
      };
      await build('examples', modules.map((f) => path.join(examples, f)));
      expect(modinfoOf(path.join(dir, 'examples', 'lp-cdrom.ko')).depends).toEqual(['cdrom']);

      // The quick fix, as the editor applies it, found on the kernel the module is built for.
      const fixed = path.join(dir, 'fixed', 'lp-cdrom.c');
      mkdirSync(path.dirname(fixed));
      const text = readText(path.join(examples, 'lp-cdrom.c'));
      writeFileSync(fixed, text);
      const kernel = await loadKernelContext({ kernel: buildDir });
      const [problem] = analyze({ paths: [fixed], kernel, fs: nodeFileSource(), session: await AnalysisSession.create() }).problems.filter((p) => p.code === 'exported-symbol-dependency');
      const [fix] = fixesFor(problem, text, (m) => {
        throw new Error(m);
      });
      expect(fix.title).toBe('Convert `cdrom_check_events` to a klp symbol (KLP_RELOC_SYMBOL)');
      writeFileSync(fixed, applyEdits(text, fix.edits));
      expect(await build('fixed', [fixed])).toEqual([expect.stringMatching(/, 1 klp symbol converted \(\.klp\.sym\.cdrom\.cdrom_check_events,0\)$/)]);
      expect(modinfoOf(path.join(dir, 'fixed', 'lp-cdrom.ko')).depends).toEqual([]);
    },
    20 * 60_000,
  );
});
