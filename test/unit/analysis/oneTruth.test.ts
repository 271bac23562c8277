// One truth: what a check says will not take effect (a patch refused by the kernel, the loader
// or the build, an object that never matches a module, a function the build leaves out), every
// shell shows the same way and for the same reason: the stacks and roles (hovers, inlay hints),
// the series view and its grid, and `klp-lens state`. Over every check fixture and the examples.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchOutcomes } from '../../../server/src/analysis/outcomes';
import { patchStacks, roleReason, stackOf } from '../../../server/src/analysis/roles';
import { formatStateText } from '../../../server/src/cli/formatState';
import type { Problem } from '../../../server/src/common/problem';
import { hover } from '../../../server/src/lsp/features/hover';
import { inlayHints } from '../../../server/src/lsp/features/inlayHints';
import { seriesPatches } from '../../../server/src/lsp/features/seriesState';
import { NO_FINDINGS } from '../../../server/src/lsp/protocol';
import type { AnalysisView } from '../../../server/src/lsp/view';
import { functionKey } from '../../../server/src/model/identity';
import { anchorOf, functionsOf, type Livepatch, type PatchedFunction } from '../../../server/src/model/livepatch';
import { cellOf, functionRows } from '../../../client/src/seriesModel';
import { fixturePath } from '../../helpers/fixtures';
import { makeView, WHOLE } from '../lsp/view';

/** The checks whose every problem says the patch in its file never takes effect: the kernel, the loader or the build refuses it. */
const REFUSES_PATCH = new Set([
  'missing-livepatch-modinfo',
  'duplicate-function',
  'incompatible-state',
  'init-function',
  'changed-data',
  'no-functional-change',
  'unsupported-file',
  'static-local-change',
  'once-macro',
  'module-jump-label',
]);
/** The build tools refuse these (their problem's words are the reason every shell gives). */
const BUILD = new Set(['init-function', 'changed-data', 'no-functional-change', 'unsupported-file', 'static-local-change', 'once-macro', 'module-jump-label']);

type Said = { scope: 'patch'; build: boolean } | { scope: 'functions'; funcs: PatchedFunction[]; role: 'never' | 'refused' };

/** What `p` says will not take effect in `lp` (a livepatch read from p's file), read from the check and its words. */
function said(p: Problem, lp: Livepatch): Said | undefined {
  const data = (p.data ?? {}) as { hasNullObject?: true; function?: string; file?: string };
  if (REFUSES_PATCH.has(p.code)) return { scope: 'patch', build: BUILD.has(p.code) };
  // A use of another livepatch's export, loaded before it: "insmod of <user> fails on the unknown symbol".
  if (p.code === 'livepatch-export' && new RegExp(`insmod of ${lp.name} fails`).test(p.message)) return { scope: 'patch', build: false };
  // A klp_func whose symbol does not resolve: klp_enable_patch() or the module's load is refused (errors; information for diffs).
  if (['ambiguous-symbol', 'sympos-not-found', 'unknown-symbol'].includes(p.code) && p.severity === 'error') return { scope: 'patch', build: false };
  if (p.code === 'object-named-vmlinux' || p.code === 'unknown-object') {
    if (data.hasNullObject && p.code === 'object-named-vmlinux') return { scope: 'patch', build: false };
    if (/klp_init_object\(\) refuses/.test(p.message)) return { scope: 'patch', build: false };
    const obj = lp.objects.find((o) => (o.nameLocation ?? o.location).range.start.line === p.range.start.line);
    return { scope: 'functions', funcs: obj?.funcs ?? [], role: 'never' };
  }
  // The reading's warning that a diff file's object is unknown: its functions are patched nowhere.
  if (p.code === 'unknown-build-object') {
    const file = lp.diff?.files.find((f) => f.location.range.start.line === p.range.start.line);
    return { scope: 'functions', funcs: functionsOf(lp).filter((f) => f.object === 'unknown' && f.sourceFile === file?.path), role: 'never' };
  }
  if (p.code === 'inline-function') {
    const funcs = functionsOf(lp).filter((f) => f.sourceFile === data.file && (f.sourceFunction ?? f.name) === data.function);
    return { scope: 'functions', funcs, role: 'refused' };
  }
  return undefined;
}

const RUNS = new Set(['active', 'shadowed', 'waiting']);
const counts = { analyses: 0, functions: 0, refusedPatches: 0, neverOrLeftOut: 0 };

/**
 * Every analysis of the property: each fixture folder as fixtures.test.ts reads it, and the
 * examples; a series of several livepatches also in reverse order (its files given in that order).
 */
function cases(): Array<{ name: string; paths: string[]; kernel?: string }> {
  const root = fixturePath('checks');
  const examples = path.resolve(__dirname, '../../../examples');
  const out: Array<{ name: string; paths: string[]; kernel?: string }> = [];
  const folder = (name: string, dir: string, kernel: string | undefined) => {
    out.push({ name, paths: [dir], kernel });
    const files = readFileSync(path.join(dir, 'series'), 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0])
      .filter((entry) => /\.(patch|diff|c|csv)$/.test(entry));
    if (files.length > 1) out.push({ name: `${name}, reversed`, paths: files.reverse().map((f) => path.join(dir, f)), kernel });
  };
  for (const id of readdirSync(root).sort()) {
    const dir = path.join(root, id);
    const kernel = existsSync(path.join(dir, 'kernel')) ? path.join(dir, 'kernel') : undefined;
    if (existsSync(path.join(dir, 'series'))) folder(id, dir, kernel);
    else for (const f of readdirSync(dir).filter((f) => /\.(patch|diff|c|csv)$/.test(f)).sort()) out.push({ name: `${id}/${f}`, paths: [path.join(dir, f)], kernel });
  }
  folder('examples', examples, path.join(examples, 'kernel'));
  return out;
}

function assertOneTruth(view: AnalysisView): void {
  const { analysis } = view;
  const outcomes = patchOutcomes(analysis);
  const finalStacks = new Map((analysis.results.at(-1)?.functions ?? []).map((f) => [functionKey(f), f.stack]));
  const series = seriesPatches(view);
  const state = { steps: analysis.results, patches: series, seriesUri: null, kernel: { state: 'none' as const, description: '', source: null }, findings: { total: NO_FINDINGS, byUri: {} } };
  const rows = functionRows(state);
  const stateText = formatStateText(analysis);
  counts.analyses++;
  counts.functions += patchStacks(analysis).reduce((n, s) => n + s.entries.length, 0);

  const saidOf = new Map<PatchedFunction, Array<{ lp: Livepatch; problem: Problem; role: 'never' | 'refused' }>>();
  for (const p of analysis.problems) {
    for (const lp of analysis.livepatches.filter((l) => l.file === p.file)) {
      const what = said(p, lp);
      if (!what) continue;
      const mine = outcomes.map((o, i) => ({ o, i })).filter(({ o }) => o.livepatch === lp);
      if (what.scope === 'patch') {
        counts.refusedPatches++;
        for (const { o, i } of mine) {
          expect(o.state, `${p.code}: ${lp.name}`).toBe('refused');
          // A patch the build refuses for several reasons shows the first (each is the check's own words).
          if (what.build) expect(analysis.problems.filter((q) => q.file === p.file && BUILD.has(q.code)).map((q) => q.message)).toContain(o.error);
          expect(series[i].state).toBe('refused');
          for (const f of series[i].objects.flatMap((obj) => obj.functions)) expect(f.role).toBe('refused');
        }
        // Nothing of it on any stack, and it replaces nothing (unless a later load of the same name succeeded).
        if (outcomes.some((o) => o.livepatch.name === lp.name && o.state !== 'refused')) continue;
        for (const stack of finalStacks.values()) expect(stack).not.toContain(lp.name);
        expect(outcomes.filter((o) => o.replacedBy === lp.name)).toEqual([]);
        expect(stateText).not.toMatch(new RegExp(`runs ${lp.name}\\b`));
        expect(analysis.problems.filter((q) => q.code === 'overlapping-function' && q.message.includes(`${lp.name}'s version runs`))).toEqual([]);
        continue;
      }
      for (const f of what.funcs) saidOf.set(f, [...(saidOf.get(f) ?? []), { lp, problem: p, role: what.role }]);
    }
  }
  // Each function some problem says never runs (several may: the shell gives one of them, in its words).
  for (const [f, all] of saidOf) {
    const { lp } = all[0];
    counts.neverOrLeftOut++;
    const entry = stackOf(analysis, f)?.entries.find((e) => e.outcome.livepatch === lp);
    expect(entry, `${all[0].problem.code}: ${f.name} of ${lp.name}`).toBeDefined();
    if (entry!.outcome.state === 'refused') continue;
    const shown = all.find(({ problem }) => roleReason(entry!)?.includes(problem.message));
    expect(shown, `${f.name} of ${lp.name}: ${roleReason(entry!)}`).toBeDefined();
    const { problem: p, role } = shown!;
    expect(entry!.role).toBe(role);
    expect(finalStacks.get(functionKey(f)) ?? []).not.toContain(lp.name);
    expect(stateText).not.toContain(`${functionKey(f)} runs ${lp.name}`);
    // No overlap warning at it, no hint or hover saying it runs.
    const at = anchorOf(f);
    expect(analysis.problems.filter((q) => q.code === 'overlapping-function' && q.file === at.file && q.range.start.line === at.range.start.line)).toEqual([]);
    const key = `${f.object}:${f.name},${f.sympos || 1}`;
    for (const h of inlayHints(view, lp.file, WHOLE).filter((h) => String(h.tooltip).startsWith(`${key}\n`))) {
      expect(h.label).not.toMatch(/active|shadowed/);
      expect(String(h.tooltip)).toContain(p.message);
    }
    const hovered = hover(view, at.file, at.range.start);
    if (hovered) expect(JSON.stringify(hovered.contents)).toContain(`${role === 'never' ? 'never patched' : 'refused by the build'}: `);
    // The series view and its grid.
    const index = outcomes.findIndex((o) => o === entry!.outcome);
    const fn = series[index].objects.flatMap((o) => o.functions).find((x) => x.key === functionKey(f));
    expect(fn?.role).toBe(role);
    expect(fn?.reason).toContain(p.message);
    const cell = cellOf(state, index, rows.find((r) => r.key === functionKey(f))!);
    expect(RUNS.has(cell.state)).toBe(false);
    expect(cell.detail).toContain(p.message);
  }
  // An object name that is no loadable module of the kernel (when its modules are known) is always diagnosed.
  const { kernel } = view;
  for (const lp of analysis.livepatches.filter((l) => l.kind !== 'diff')) {
    for (const obj of lp.objects) {
      const name = obj.declaredName;
      const known = name === null ? undefined : kernel.modules.get(name);
      // A name kbuild would never give a module is no module of any kernel.
      const impossible = name !== null && name !== 'vmlinux' && !/^\w+$/.test(name);
      if (name === null || (!impossible && !(kernel.has.moduleList || kernel.has.symvers)) || (known && !known.builtin)) continue;
      const at = obj.nameLocation ?? obj.location;
      const diagnosed = analysis.problems.filter((q) => ['unknown-object', 'object-named-vmlinux'].includes(q.code) && q.file === at.file && q.range.start.line === at.range.start.line);
      expect(diagnosed, `${lp.name}: object "${name}"`).not.toEqual([]);
    }
  }
  // No entry of a refused patch, or of a function a verdict names, is shown running.
  for (const s of patchStacks(analysis)) {
    for (const e of s.entries) if (e.outcome.state === 'refused' || analysis.verdicts.functions.has(e.func)) expect(RUNS.has(e.role)).toBe(false);
  }
}

describe('one truth: the state shows what the checks say will not take effect', () => {
  const all = cases();
  const views = new Map<string, AnalysisView>();
  beforeAll(async () => {
    for (const c of all) views.set(c.name, await makeView(c.paths, c.kernel ? { kernel: c.kernel } : {}));
  });

  it.each(all.map((c) => c.name))('%s', (name) => {
    assertOneTruth(views.get(name)!);
  });

  it('covered every fixture and the examples, with refusals and functions that never run among them', () => {
    expect(counts.analyses).toBe(all.length);
    expect(counts.refusedPatches).toBeGreaterThan(10);
    expect(counts.neverOrLeftOut).toBeGreaterThan(2);
    console.log(`one truth: ${counts.analyses} analyses, ${counts.functions} function entries, ${counts.refusedPatches} refused patches, ${counts.neverOrLeftOut} functions never patched or left out`);
  });
});
