// The static prediction (what klp-lens says a patch diff patches while the author types, no
// compiler) against the compiler's answer on real Debian stable changes (the truth sample),
// with the full Debian kernel (every .ko) with and without the source tree.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { nodeFileSource } from '../../server/src/common/fileSource';
import { readFileSync } from 'node:fs';
import { loadKernelContext } from '../../server/src/kernel/context';
import { DEBIAN_KERNEL, HAS_SHARED } from '../helpers/shared';
import { allModules, BUILD_SKIP, BUILD_TIER, originalTree, truthSample } from './truthData';

const log = (line: string) => console.log(`build tier: ${line}`);

interface Score {
  patches: number;
  exact: number;
  agreed: number;
  missed: string[];
  extra: string[];
}

async function score(withSource: boolean): Promise<Score> {
  const modules = await allModules(log);
  const source = withSource ? await originalTree(log) : undefined;
  const kernel = await loadKernelContext({ kernel: DEBIAN_KERNEL, modules, source });
  const session = await AnalysisSession.create();
  const result: Score = { patches: 0, exact: 0, agreed: 0, missed: [], extra: [] };
  for (const truth of truthSample()) {
    // Read with the compiler's answer, the livepatch says where the prediction differs from it.
    const patchText = readFileSync(truth.patchFile, 'utf8');
    session.compilerAnswers.set(truth.patchFile, { patchText, objects: truth.objects.map((o) => ({ source: o.source, target: o.target, patched: o.patched })) });
    const verdict = analyze({ paths: [truth.patchFile], kernel, fs: nodeFileSource(), session }).livepatches[0].compilerVerdict!;
    const compiled = truth.objects.reduce((n, o) => n + o.patched.length, 0);
    result.patches++;
    result.agreed += compiled - verdict.missed.length;
    result.missed.push(...verdict.missed.map((d) => `${truth.name}: ${d.object}:${d.name}`));
    result.extra.push(...verdict.extra.map((d) => `${truth.name}: ${d.object}:${d.name}`));
    if (verdict.missed.length === 0 && verdict.extra.length === 0) result.exact++;
  }
  const recall = result.agreed / (result.agreed + result.missed.length);
  const precision = result.agreed / (result.agreed + result.extra.length);
  log(
    `prediction ${withSource ? 'with' : 'without'} the source tree: ${result.patches} patches, exact ${result.exact} ` +
      `(${pct(result.exact / result.patches)}), recall ${pct(recall)}, precision ${pct(precision)}\n` +
      `  missed: ${result.missed.join('; ') || 'none'}\n  extra: ${result.extra.join('; ') || 'none'}`,
  );
  return result;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

describe(`the static prediction against the compiler${BUILD_TIER ? '' : ` — ${BUILD_SKIP}`}`, () => {
  it.skipIf(!BUILD_TIER || !HAS_SHARED)(
    'with the full Debian kernel and the source tree: recall and precision ≥ 95%, exact on ≥ 90% of patches',
    async () => {
      const s = await score(true);
      expect(s.patches).toBeGreaterThanOrEqual(40);
      expect(s.agreed / (s.agreed + s.missed.length)).toBeGreaterThanOrEqual(0.95);
      expect(s.agreed / (s.agreed + s.extra.length)).toBeGreaterThanOrEqual(0.95);
      expect(s.exact / s.patches).toBeGreaterThanOrEqual(0.9);
    },
    30 * 60_000,
  );

  it.skipIf(!BUILD_TIER || !HAS_SHARED)(
    'with the full Debian kernel and no source tree: precision ≥ 95% (recall reported)',
    async () => {
      const s = await score(false);
      expect(s.agreed / (s.agreed + s.extra.length)).toBeGreaterThanOrEqual(0.95);
    },
    30 * 60_000,
  );
});
