// A livepatch whose new function calls an export of the module it patches (ta_value) and a
// function vmlinux does not export and holds many times (jhash), made to work as a livepatch
// author would (templates/lpklp.c): klp-lens's quick fixes applied through the language server,
// the module built with `klp-lens build` (kbuild, then klpConvert). The kernel then judges: the
// converted module loads without klp_oracle_ta (no depends:), the relocations are written when
// the module comes (late module patching) and the patched function's output shows both calls
// work; the same module never converted is refused by the loader.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { nodeFileSource } from '../../server/src/common/fileSource';
import { buildModules } from '../../server/src/compiler/moduleBuild';
import { SourceText } from '../../server/src/edits/sourceText';
import { applyEdits } from '../../server/src/edits/textEdits';
import { elfSymbols, parseElf } from '../../server/src/kernel/elf';
import { convertKlpRelocations } from '../../server/src/klpConvert/convert';
import { readModuleFile } from '../../server/src/kernel/modinfo';
import type { KernelContext } from '../../server/src/kernel/types';
import type { SimPatch } from '../../server/src/simulator/types';
import type { CParser } from '../../server/src/syntax/treeSitter';
import { run } from '../../tools/src/exec';
import { TestClient } from '../../tools/src/lspClient';
import { jhash } from './jhash';
import { targetName, template } from './modules';
import { CACHE } from './paths';
import type { OracleStep, Scenario } from './scenario';
import type { KernelSetup } from './setup';

export const LPKLP = 'klp_oracle_lpklp';
/** The same source, built and never converted. */
export const LPRAW = 'klp_oracle_lpraw';
const TA = targetName('ta');
const OBSERVE = { object: TA, name: 'ta_a_show', sympos: 1, path: `/proc/${TA}_a` };
/** What the new function prints: ta_value() is 42, jhash("klp-lens", 8, 0) as the kernel's lib computes it. */
export const EXPECTED_OUTPUT = `klp-oracle ${LPKLP} 42 ${jhash(new TextEncoder().encode('klp-lens'), 0).toString(16).padStart(8, '0')}`;

/** The language server's klpLens.kernel settings. */
type KernelSettings = { symvers: string; kallsyms: string; modulesDir: string };

export interface KlpSymbolModules {
  /** The built modules, by name. */
  modules: Map<string, string>;
  scenario: Scenario;
  /** What went wrong before the boot (a fix not offered, a build error, an unexpected section). */
  problems: string[];
}

/**
 * The language server, with `kernel` as its settings, fixes the template; the built modules and
 * the scenario. `context` knows the same kernel (for the simulator's reading of the source).
 */
export async function klpSymbolModules(
  kernel: KernelSetup,
  /** The oracle's other modules: klp-lens convert must leave each as it is (none has a klp symbol). */
  others: ReadonlyMap<string, string>,
  settings: KernelSettings,
  context: KernelContext,
  parser: CParser,
  log: (line: string) => void,
): Promise<KlpSymbolModules> {
  const dir = path.join(CACHE, 'klp-symbol');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const source = path.join(dir, `${LPKLP}.c`);
  writeFileSync(source, template('lpklp.c'));
  const problems: string[] = [];
  log('klp-symbol: applying the quick fixes through the language server');
  const fixed = await applyQuickFixes(source, settings, problems);
  writeFileSync(source, fixed);
  copyFileSync(source, path.join(dir, `${LPRAW}.c`));

  log(`klp-symbol: klp-lens build against ${kernel.buildDir}`);
  const out = path.join(dir, 'out');
  const converted = await buildModules({ buildDir: kernel.buildDir, sources: [source], cacheDir: dir, outputDir: out });
  const raw = await buildModules({ buildDir: kernel.buildDir, sources: [path.join(dir, `${LPRAW}.c`)], cacheDir: dir, outputDir: out, convert: false });
  for (const p of [...converted.problems, ...raw.problems]) if (p.severity === 'error') problems.push(`klp-lens build: ${p.message}`);
  const lpklpKo = converted.modules[0]?.ko;
  const lprawKo = raw.modules[0]?.ko;
  const modules = new Map<string, string>();
  if (lpklpKo) modules.set(LPKLP, lpklpKo);
  if (lprawKo) modules.set(LPRAW, lprawKo);
  if (lpklpKo) problems.push(...(await convertedProblems(lpklpKo)));
  for (const [name, ko] of others) {
    const bytes = readFileSync(ko);
    const result = convertKlpRelocations(bytes);
    if (!result.ok || result.conversion.symbols.length > 0 || !Buffer.from(result.conversion.bytes).equals(bytes)) problems.push(`klp-lens convert changed ${name}.ko, which has no klp symbol${result.ok ? '' : `: ${result.error}`}`);
  }

  const patch = readPatch(source, fixed, context, parser, problems);
  const undefinedSymbols = lprawKo ? klpSymbolsOf(readFileSync(lprawKo)) : [];
  const rawPatch: SimPatch = { ...patch, name: LPRAW, klpRelocations: undefined, undefinedSymbols };
  return { modules, scenario: klpSymbolScenario(patch, rawPatch), problems };
}

/** Each klp-lens finding of the two checks, fixed with its first quick fix (jhash: the one at position 2), one at a time. */
async function applyQuickFixes(file: string, settings: KernelSettings, problems: string[]): Promise<string> {
  const client = TestClient.spawn('stdio');
  try {
    client.settings = { kernel: settings };
    await client.initialize([path.dirname(file)]);
    const uri = await client.open(file);
    let text = readFileSync(file, 'utf8');
    const wanted = (d: { code?: string | number }) => d.code === 'exported-symbol-dependency' || d.code === 'unexported-symbol';
    const findingsNow = async () => (await client.diagnostics(uri)).filter(wanted);
    // The kernel is read in the background: wait for both findings.
    let findings = await client.waitFor('the klp-symbol findings', async () => {
      const found = await findingsNow();
      return found.length >= 2 && found;
    }, 120_000);
    const names = findings.map((d) => new SourceText(text).slice(d.range)).sort();
    if (names.join() !== 'jhash,ta_value') problems.push(`klp-lens reported ${names.join(', ') || 'nothing'}, not jhash (unexported-symbol) and ta_value (exported-symbol-dependency)`);
    while (findings.length > 0) {
      const [finding] = findings;
      const actions = await client.quickFixes(uri, finding);
      const action = actions.find((a) => a.title.includes(' at position 2 ')) ?? actions[0];
      const change = action?.edit?.documentChanges?.[0];
      if (!change || !('edits' in change)) {
        problems.push(`no quick fix for ${finding.code} ${JSON.stringify(finding.message)}`);
        break;
      }
      text = applyEdits(text, change.edits);
      await client.change(uri, text);
      findings = await findingsNow();
    }
    return text;
  } finally {
    await client.stop().catch(() => client.kill());
  }
}

/** The simulator's patch, read from the fixed source by the whole engine. */
function readPatch(file: string, text: string, context: KernelContext, parser: CParser, problems: string[]): SimPatch {
  const analysis = analyze({ paths: [file], kernel: context, fs: nodeFileSource(), session: new AnalysisSession(parser) });
  const load = analysis.steps.find((s) => s.action === 'load');
  const errors = analysis.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) problems.push(`klp-lens still reports, after the fixes: ${errors.map((p) => `${p.code} ${p.message}`).join(' | ')}`);
  if (load?.action === 'load') return load.patch;
  problems.push(`klp-lens read no livepatch from ${file}:\n${text}`);
  return { name: LPKLP, replace: false, objects: [], states: [], livepatchModinfo: true };
}

/** The klp symbols a module still names, in its symbol table's order (the loader reports them so). */
function klpSymbolsOf(bytes: Uint8Array): string[] {
  const elf = parseElf(bytes);
  const symbols = elf.ok ? elfSymbols(elf.value) : undefined;
  return symbols?.ok ? symbols.value.filter((s) => s.shndx === 0 && s.name.startsWith('.klp.sym.')).map((s) => s.name) : [];
}

/** What readelf and the module's .modinfo must show of the converted module. */
async function convertedProblems(ko: string): Promise<string[]> {
  const problems: string[] = [];
  const depends = (await readModuleFile(ko)).modinfo.depends;
  if (depends.length > 0) problems.push(`modinfo of ${LPKLP}.ko says depends: ${depends.join(',')}`);
  const sections = (await run('readelf', ['-SW', ko], { timeoutMs: 60_000 })).stdout;
  const symbols = (await run('readelf', ['-sW', ko], { timeoutMs: 60_000 })).stdout;
  for (const name of ['.klp.rela.vmlinux.text', `.klp.rela.${TA}.text`]) {
    // SHF_RELA_LIVEPATCH is an OS-specific flag: readelf shows it as "o".
    if (!new RegExp(`\\${name}\\s+RELA\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S*o\\S*\\s`).test(sections)) problems.push(`readelf -S shows no ${name} section flagged o (SHF_RELA_LIVEPATCH)`);
  }
  for (const name of ['.klp.sym.vmlinux.jhash,2', `.klp.sym.${TA}.ta_value,0`]) {
    // SHN_LIVEPATCH (0xff20) is in the OS-specific range: readelf shows "OS [0xff20]".
    if (!symbols.split('\n').some((l) => l.includes('OS [0xff20]') && l.trim().endsWith(name))) problems.push(`readelf -s shows no ${name} in SHN_LIVEPATCH`);
  }
  return problems;
}

function klpSymbolScenario(patch: SimPatch, raw: SimPatch): Scenario {
  const s = (action: OracleStep['action'], target: string, withPatch?: SimPatch): OracleStep => ({ action, target, args: [], ...(withPatch ? { patch: withPatch } : {}) });
  const steps: OracleStep[] = [
    s('load', LPRAW, raw), // refused: nothing exports the klp symbols of a module never converted
    s('load', LPKLP, patch), // loads without klp_oracle_ta: no depends:
    s('load-module', TA), // late module patching writes the klp_oracle_ta relocations
    s('unload-module', TA), // nothing pins it
    s('load-module', TA), // 6.1: the places are still written
    s('disable', LPKLP),
    s('unload', LPKLP),
    s('load-module', TA),
    s('load', LPKLP, patch), // the module is there: the relocations are written at once
    s('unload-module', TA),
    s('load-module', TA),
  ];
  return {
    name: 'klp-symbol',
    kind: 'klp-symbol',
    reproduce: 'npm run oracle -- --only klp-symbol',
    items: steps.map((step) => ({ step })),
    targets: [TA],
    observe: [OBSERVE],
    expectedOutput: { patch: LPKLP, text: EXPECTED_OUTPUT },
  };
}
