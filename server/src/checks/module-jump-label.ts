// Jump labels and static calls in patched code whose key lives in a module (kpatch
// doc/patch-author-guide.md, "Jump labels and static calls"; late module patching).
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import type { KernelContext } from '../kernel/types';
import type { CToken } from '../syntax/cLine';
import { lineLocation, sideLines } from '../syntax/hunkLines';
import { refusesThePatch, type StaticCheck, type StaticContext } from './check';
import { movedProblem, perFileGroup, perFunction } from './diffFileResults';
import type { DiffFunction, FileGroup } from './diffFunctions';

/** Jump-label tests (include/linux/jump_label.h) take `&key`; static calls (include/linux/static_call.h) a name. */
const JUMP_LABEL = /^(static_branch_(likely|unlikely|maybe)|static_key_(true|false))$/;
const STATIC_CALL = /^(static_call|static_call_cond|static_call_mod)$/;
/** Definitions of a key or a static call in the patch itself (it then lives in the livepatch module). */
const KEY_DEFINITION = /^(DEFINE_STATIC_KEY_\w+|DEFINE_STATIC_CALL\w*)$/;

interface Use {
  /** The key's symbol: the static key, or `__SCK__<name>` for a static call. */
  key: string;
  kind: 'jump label' | 'static call';
  token: CToken;
}

export interface ModuleJumpLabelData {
  /** The function that uses the key. */
  function: string;
  key: string;
  /** The module the key is defined in; null when the symbol tables do not know it. */
  keyObject: string | null;
  /** The object of the function. */
  object: string;
}

/** A finding, and the key it is about (a key the patches define is no finding). */
interface Found {
  key: string;
  problem: Problem<ModuleJumpLabelData>;
}

export const check: StaticCheck<ModuleJumpLabelData> = {
  id: 'module-jump-label',
  severity: 'error',
  title: 'A jump label or static call in patched code uses a key that lives in a module',
  doc:
    'Jump labels (`static_branch_likely()`, `static_key_false()`, ...) and static calls (`static_call()`) ' +
    'are patched in place through special sections whose entries point at their key. When that key is ' +
    'defined in a module, the livepatch reaches it through a klp relocation, which is only resolved when ' +
    'the module is there; but the module loader processes those sections first, when the livepatch loads ' +
    '(late module patching), and corrupts them. kpatch-build refuses such code ("Found a jump label ... ' +
    'defined in a module"), except for tracepoints, which it silently drops. Replace `static_branch_*()` ' +
    'and `static_key_true/false()` with `static_key_enabled()`, and `static_call()` with ' +
    '`KPATCH_STATIC_CALL()` (kpatch-macros.h). Keys of vmlinux are fine since Linux 5.8. The key\'s home ' +
    'comes from the kernel\'s symbol tables and Module.symvers; when they do not know it, a use in a ' +
    'function of a module is reported, since such keys usually belong to that module.',
  run(ctx) {
    const definedHere = keysDefinedByPatches(ctx);
    const found = perFunction(ctx, check.id, true, (f) => findingsOf(ctx, f), (f, delta) => ({ ...f, problem: movedProblem(f.problem, delta) }));
    return found.filter((f) => !definedHere.has(f.key)).map((f) => f.problem);
  },
  // kpatch-build and klp-build make no module of the patch.
  verdict: refusesThePatch,
};

/** The first use of each key in the function whose key may live in a module, keys the patches define included. */
function findingsOf({ kernel, memo }: StaticContext, f: DiffFunction): Found[] {
  const vmlinuxTable = kernel.objects.get('vmlinux');
  const object = f.file.object ?? 'vmlinux';
  const seen = new Set<string>();
  return f.appearances.flatMap(({ hunk, fn }) => {
    const mine = new Set(fn.lines ?? []);
    return sideLines(memo, hunk, 'new')
      .filter((tl) => mine.has(tl.line.patchLine) && !tl.preprocessor)
      .flatMap(({ line, tokens }) =>
        usesIn(tokens).flatMap((use) => {
          if (seen.has(use.key)) return [];
          seen.add(use.key);
          const home = keyHome(kernel, use.key);
          // A file whose object is unknown (model/objectOfFile.ts) is not known to be a module's.
          if (home === 'vmlinux' || (home === undefined && (object === 'vmlinux' || object === 'unknown'))) return [];
          const where =
            home !== undefined
              ? `its key \`${use.key}\` is defined in module ${home}`
              : `its key \`${use.key}\` is ${vmlinuxTable ? `not in vmlinux's symbol table (${vmlinuxTable.file})` : 'not known to be a vmlinux symbol'}, so it is most likely defined in module ${object}, which ${f.name} belongs to`;
          const fix = use.kind === 'jump label' ? 'use static_key_enabled() instead' : 'use KPATCH_STATIC_CALL() (kpatch-macros.h) instead';
          const found = problem(
            check.id,
            check.severity,
            lineLocation(f.lp.file, line, use.token),
            `\`${use.token.text}()\` in ${f.name} is a ${use.kind} and ${where}: a livepatch cannot carry a ${use.kind} ` +
              `whose key lives in a module (late module patching), kpatch-build refuses it; ${fix}`,
            { data: { function: f.name, key: use.key, keyObject: home ?? null, object } },
          );
          return [{ key: use.key, problem: found }];
        }),
      );
  });
}

/** Jump labels `static_branch_unlikely(&key)` and static calls `static_call(name)(...)` on a line. */
function usesIn(tokens: readonly CToken[]): Use[] {
  const out: Use[] = [];
  tokens.forEach((t, i) => {
    if (tokens[i + 1]?.text !== '(') return;
    if (JUMP_LABEL.test(t.text)) {
      const key = tokens.slice(i + 2).find((k) => k.kind === 'ident');
      if (key) out.push({ key: key.text, kind: 'jump label', token: t });
    } else if (STATIC_CALL.test(t.text) && tokens[i + 2]?.kind === 'ident') {
      out.push({ key: `__SCK__${tokens[i + 2].text}`, kind: 'static call', token: t });
    }
  });
  return out;
}

/** Keys and static calls that added lines of the series' patches define (they live in the livepatch). */
function keysDefinedByPatches(ctx: StaticContext): Set<string> {
  return new Set(perFileGroup(ctx, `${check.id}:keys`, (g) => keysDefinedIn(ctx.memo, g), (keys) => [...keys]).flatMap((g) => g.value));
}

function keysDefinedIn(memo: Memo, { files }: FileGroup): string[] {
  const out: string[] = [];
  for (const hunk of files.flatMap((f) => f.hunks)) {
    for (const { line, tokens } of sideLines(memo, hunk, 'new')) {
      if (line.kind !== 'add') continue;
      tokens.forEach((t, i) => {
        const name = tokens[i + 2];
        if (KEY_DEFINITION.test(t.text) && tokens[i + 1]?.text === '(' && name?.kind === 'ident') {
          out.push(t.text.startsWith('DEFINE_STATIC_CALL') ? `__SCK__${name.text}` : name.text);
        }
      });
    }
  }
  return out;
}

/** 'vmlinux' or the module that defines the key, from the symbol tables and Module.symvers; undefined when unknown. */
function keyHome(kernel: KernelContext, key: string): string | undefined {
  if (kernel.objects.get('vmlinux')?.byName.has(key)) return 'vmlinux';
  const exporter = kernel.exports.get(key)?.object;
  if (exporter) return exporter;
  return kernel.objects.holders(key).find((o) => o !== 'vmlinux');
}
