// Exports from livepatch modules, and livepatches that use them (seed 004, cases C and D).
import { problem, type Problem } from '../common/problem';
import type { ExportDeclaration, Livepatch, SymbolReference } from '../model/livepatch';
import { loaderReferences } from '../model/moduleImports';
import type { Check } from './check';

/** A use of a livepatch's export (an export itself has no data). */
export interface LivepatchExportData {
  symbol: string;
  /** The livepatch that exports it. */
  exporter: string;
}

export const check: Check<LivepatchExportData> = {
  id: 'livepatch-export',
  severity: 'warning',
  title: 'Livepatch module exports a symbol, or uses one another livepatch exports',
  doc:
    'A livepatch module that exports symbols (EXPORT_SYMBOL*) turns into a dependency of every module ' +
    'that uses them: modpost writes `depends: <livepatch>` into the user\'s .modinfo and the module loader ' +
    'takes a reference on the exporter when the user loads (kernel/module/main.c resolve_symbol() -> ' +
    'ref_module()). Loading the user then loads the livepatch, whose init enables its patch as a side ' +
    'effect; the livepatch can no longer be removed while the user is loaded, even after it has been ' +
    'disabled or replaced by a cumulative patch; and with insmod, loading the user first fails on the ' +
    'unknown symbol. The kernel\'s own selftests did this only to share callback code (case C of the ' +
    'split-livepatch discussion, judged a bad example); dependencies between livepatch modules should at ' +
    'most mirror those of the modules they patch (case D). Share state through shadow variables ' +
    '(klp_shadow_get()) or keep the code in each livepatch. klp-lens reports each export of a livepatch ' +
    'module, and each reference of a livepatch to a symbol another livepatch of the series exports.',
  run(ctx) {
    const modules = exportingModules(ctx.livepatches);
    const uses = livepatchExportUses(ctx.livepatches);
    return [
      ...modules.flatMap((lp) => lp.exports.map((e) => reportExport(lp, e, uses.filter((u) => u.exporter === lp && u.symbol === e.name)))),
      ...uses.map(reportUse),
    ];
  },
};

/** The series holds livepatches; a C file without any livepatch structure or modinfo is some other module. */
function exportingModules(livepatches: readonly Livepatch[]): Livepatch[] {
  return livepatches.filter((lp) => lp.kind === 'module' && (lp.livepatchModinfo === true || lp.objects.length > 0));
}

/**
 * Every reference of a livepatch of the series to a symbol another livepatch module exports: the
 * module loader resolves it only while the exporter is loaded (the simulation's imports, analysis/toSimPatch.ts).
 */
export function livepatchExportUses(livepatches: readonly Livepatch[]): LivepatchExportUse[] {
  const exporters = new Map<string, Array<{ livepatch: Livepatch; export: ExportDeclaration }>>();
  for (const lp of exportingModules(livepatches)) {
    for (const e of lp.exports) exporters.set(e.name, [...(exporters.get(e.name) ?? []), { livepatch: lp, export: e }]);
  }
  // No export, no use: the references of every livepatch are not walked at each edit.
  if (exporters.size === 0) return [];
  return livepatches.flatMap((lp) => usesOfLivepatchExports(lp, livepatches, exporters));
}

export interface LivepatchExportUse {
  user: Livepatch;
  exporter: Livepatch;
  export: ExportDeclaration;
  symbol: string;
  refs: SymbolReference[];
  /** The exporter comes later in the series than the user. */
  exporterLater: boolean;
}

/** References of `lp` to symbols other livepatches export, one entry per exporter and symbol. */
function usesOfLivepatchExports(
  lp: Livepatch,
  series: readonly Livepatch[],
  exporters: Map<string, Array<{ livepatch: Livepatch; export: ExportDeclaration }>>,
): LivepatchExportUse[] {
  if (lp.kind === 'csv') return []; // a csv row names functions, it has no code of its own
  // A klp symbol is resolved by the livepatch core, not by the module loader: no dependency.
  const uses = new Map<string, LivepatchExportUse>();
  for (const ref of loaderReferences(lp)) {
    for (const { livepatch: exporter, export: e } of exporters.get(ref.name) ?? []) {
      if (exporter === lp) continue;
      const key = `${exporter.name}\0${ref.name}`;
      const use = uses.get(key) ?? { user: lp, exporter, export: e, symbol: ref.name, refs: [], exporterLater: series.indexOf(exporter) > series.indexOf(lp) };
      use.refs.push(ref);
      uses.set(key, use);
    }
  }
  return [...uses.values()];
}

function reportExport(lp: Livepatch, e: ExportDeclaration, uses: LivepatchExportUse[]): Problem<LivepatchExportData> {
  const users = uses.map((u) => u.user.name);
  const inSeries = users.length > 0 ? ` In this series ${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} it.` : '';
  return problem(
    check.id,
    check.severity,
    e.location,
    `livepatch module ${lp.name} exports \`${e.name}\` (${e.macro}): any module that uses it gets \`depends: ${lp.name}\`, so loading that ` +
      `module loads ${lp.name} and enables its patch as a side effect, and ${lp.name} cannot be unloaded while that module is loaded, ` +
      `even after it is disabled or replaced.${inSeries} Share state through shadow variables or keep the code in each livepatch instead`,
    { related: uses.map((u) => ({ location: u.refs[0].location, message: `${u.user.name} uses \`${e.name}\` here` })) },
  );
}

function reportUse(use: LivepatchExportUse): Problem<LivepatchExportData> {
  const { user, exporter, symbol } = use;
  const order = use.exporterLater
    ? ` ${exporter.name} comes after ${user.name} in this series: insmod of ${user.name} fails on the unknown symbol \`${symbol}\`, and modprobe loads ${exporter.name} first.`
    : '';
  return problem(
    check.id,
    check.severity,
    use.refs[0].location,
    `\`${symbol}\` is exported by the livepatch module ${exporter.name}: ${user.name} depends on it (modpost writes \`depends: ${exporter.name}\`), ` +
      `so loading ${user.name} loads ${exporter.name} and enables its patch, and ${exporter.name} cannot be unloaded while ${user.name} is loaded, ` +
      `even after it is disabled or replaced.${order} Livepatch modules should depend on each other at most as the modules they patch do`,
    {
      related: [
        { location: use.export.location, message: `${exporter.name} exports \`${symbol}\` here` },
        ...use.refs.slice(1).map((r) => ({ location: r.location, message: `\`${symbol}\` is also used here` })),
      ],
      data: { symbol, exporter: exporter.name },
    },
  );
}
