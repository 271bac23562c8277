// A livepatch that calls an export of the module it patches (templates/lpdep.c): modinfo
// depends names the module, the loader pins it while the livepatch is loaded, and
// klp-lens's exported-symbol-dependency check must report the call.
import { analyze } from '../../server/src/analysis/analyze';
import { AnalysisSession } from '../../server/src/analysis/session';
import { nodeFileSource } from '../../server/src/common/fileSource';
import type { Problem } from '../../server/src/common/problem';
import type { KernelContext } from '../../server/src/kernel/types';
import type { SimPatch } from '../../server/src/simulator/types';
import type { CParser } from '../../server/src/syntax/treeSitter';
import { LPDEP, targetName } from './modules';
import type { OracleStep, Scenario } from './scenario';

const TA = targetName('ta');
const CALLED = 'ta_value';

export interface LpdepReading {
  patch: SimPatch;
  /** Why the check's finding is not what it must be, or null when it is. */
  checkProblem: string | null;
}

/**
 * Reads lpdep.c through the whole engine (`kernel` knows the exports and the built .ko files);
 * the check's findings give the patch its imports.
 */
export function readLpdep(file: string, text: string, kernel: KernelContext, parser: CParser): LpdepReading {
  const analysis = analyze({ paths: [file], kernel, fs: nodeFileSource(), session: new AnalysisSession(parser) });
  const load = analysis.steps.find((s) => s.action === 'load');
  if (!load || load.action !== 'load') return { patch: emptyPatch(), checkProblem: `klp-lens read no livepatch from ${file}` };
  const findings = analysis.problems.filter((p): p is Problem<{ symbol?: unknown; object?: unknown }> => p.code === 'exported-symbol-dependency');
  const imports = findings.flatMap((p) =>
    typeof p.data?.symbol === 'string' && typeof p.data?.object === 'string' ? [{ symbol: p.data.symbol, module: p.data.object }] : [],
  );
  // The call in the new function (the header comment and the declaration name it too).
  const callLine = text.split('\n').findIndex((l) => l.includes(`${CALLED}()`) && l.includes('seq_printf'));
  const atCall = findings.some((p) => p.range.start.line === callLine && p.data?.symbol === CALLED && p.data?.object === TA);
  // The built module's .modinfo, as klp-lens's ELF reader sees it.
  const depends = kernel.modules.get(LPDEP)?.depends ?? [];
  const problems = [
    ...(atCall
      ? []
      : [
          `exported-symbol-dependency did not report ${CALLED} (exported by ${TA}) at ${file}:${callLine + 1}; it reported: ${
            findings.map((p) => `${p.range.start.line + 1}: ${p.message}`).join(' | ') || 'nothing'
          }`,
        ]),
    ...(depends.includes(TA) ? [] : [`modinfo of ${LPDEP}.ko says depends: ${depends.join(',') || '(nothing)'}, not ${TA}`]),
  ];
  return { patch: { ...load.patch, imports }, checkProblem: problems.join('; ') || null };
}

function emptyPatch(): SimPatch {
  return { name: LPDEP, replace: false, objects: [], states: [], livepatchModinfo: true };
}

export function exportedScenario(patch: SimPatch): Scenario {
  const s = (action: OracleStep['action'], target: string): OracleStep =>
    action === 'load' ? { action, target, args: [], patch } : { action, target, args: [] };
  const steps: OracleStep[] = [
    s('load', LPDEP), // refused: ta_value is an unknown symbol while klp_oracle_ta is not loaded
    s('load-module', TA),
    s('load', LPDEP),
    s('unload-module', TA), // in use by klp_oracle_lpdep
    s('disable', LPDEP),
    s('unload-module', TA), // still in use: the reference is the loader's, not the livepatch core's
    s('unload', LPDEP),
    s('unload-module', TA),
  ];
  return {
    name: 'exported-symbol-dependency',
    kind: 'exported',
    reproduce: 'npm run oracle -- --only exported-symbol-dependency',
    items: steps.map((step) => ({ step })),
    targets: [TA],
    observe: [{ object: TA, name: 'ta_a_show', sympos: 1, path: `/proc/${TA}_a` }],
  };
}
