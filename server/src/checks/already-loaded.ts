// A livepatch loaded while a module of its name is loaded: insmod fails with "File exists".
// A series that lists a livepatch twice without unloading it between, or two files whose
// modules have one name.
import { problem } from '../common/problem';
import type { Location } from '../common/range';
import type { Check, CheckContext, LoadStep } from './check';

export const check: Check = {
  id: 'already-loaded',
  severity: 'error',
  title: 'A livepatch loaded while a module of its name is loaded',
  doc:
    'The module loader refuses a second module of a name that is loaded: kernel/module/main.c ' +
    'add_unformed_module() returns -EEXIST, and insmod says "could not insert module NAME.ko: File exists". ' +
    'A series that lists a livepatch again must `unload` it first (a disabled livepatch is still loaded ' +
    'until then); two files whose modules have one name (kbuild names a module after its file, `-` read ' +
    'as `_`) clash the same way: rename one, or give it `name=` in the series.',
  run: (ctx) => {
    const lines = seriesLines(ctx);
    return ctx.loads.flatMap((load) => {
      const at = lines.get(load);
      const before = load.step > 0 ? ctx.results[load.step - 1] : undefined;
      if (ctx.results[load.step]?.ok !== false || !before?.patches.some((p) => p.name === load.livepatch.name)) return [];
      return [
        problem(check.id, check.severity, at ?? load.livepatch.location, `\`${load.livepatch.name}\` is loaded already at this step: insmod fails ("File exists", add_unformed_module() in kernel/module/main.c); unload it first`),
      ];
    });
  },
};

/** The series line of each load: the n-th load of a file is the n-th line that lists it. */
function seriesLines(ctx: CheckContext): Map<LoadStep, Location> {
  const listed = new Map<string, Location[]>();
  for (const item of ctx.plan) if (item.kind === 'patch' && item.location) listed.set(item.file, [...(listed.get(item.file) ?? []), item.location]);
  const seen = new Map<string, number>();
  const lines = new Map<LoadStep, Location>();
  for (const load of ctx.loads) {
    const n = seen.get(load.livepatch.file) ?? 0;
    seen.set(load.livepatch.file, n + 1);
    const at = listed.get(load.livepatch.file)?.[n];
    if (at) lines.set(load, at);
  }
  return lines;
}

