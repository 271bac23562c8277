// A klp_object whose name is no loadable module of the target kernel. Its fix writes the module
// name the check suggests, or leaves the name out (NULL, vmlinux) when the module is built into vmlinux.
import { closestName } from '../common/closestName';
import { problem, type Problem, type Severity } from '../common/problem';
import { fixOf, type Fix } from '../edits/fix';
import { nullName } from '../edits/objectName';
import type { SourceText } from '../edits/sourceText';
import { moduleNameOf, type KernelContext } from '../kernel/types';
import type { PatchObject } from '../model/livepatch';
import type { StaticCheck } from './check';

export interface UnknownObjectData {
  /** The name the klp_object writes. */
  object: string | null;
  /** A module name, or 'NULL' for a module built into vmlinux. */
  suggestion?: string;
  /** With suggestion 'NULL': the livepatch has a NULL-named (vmlinux) object too. */
  hasNullObject?: true;
  /** The name is too long: klp_init_object() refuses the whole patch (simulated), rather than the object never matching. */
  tooLong?: true;
}

/** include/linux/module.h MODULE_NAME_LEN on 64-bit: 64 - sizeof(unsigned long). */
const MODULE_NAME_LEN = 56;

export const check: StaticCheck<UnknownObjectData> = {
  id: 'unknown-object',
  severity: 'warning',
  title: 'klp_object names no module of the kernel',
  doc:
    'A klp_object is matched to its module by exact name: kernel/livepatch/core.c klp_find_object_module() ' +
    'calls find_module(obj->name), and klp_module_coming() compares obj->name with each module that loads. ' +
    'A name that no module has (a typo, a path like "drivers/cdrom/cdrom.ko", a file name with `-` where ' +
    'kbuild makes module names with `_`, or a module that is built into vmlinux on this kernel) never ' +
    'matches: klp_enable_patch() succeeds, but the object\'s functions silently stay unpatched and its ' +
    'callbacks never run. A name of 56 characters or more is refused by klp_init_object() (-EINVAL). A name ' +
    'that cannot be a module name at all is reported whatever klp-lens knows of the kernel. klp-lens knows the modules from modules.order, modules.builtin, Module.symvers and the .ko files it ' +
    'was given; with Module.symvers alone (which lists only modules that export symbols) a name it does not ' +
    'list is reported too, saying so: give the kernel\'s modules.order to be sure. The state shows the ' +
    'object\'s functions as never patched, for the reason the warning gives. An out-of-tree target module ' +
    'is unknown to it: ignore the warning for those.',
  run(ctx) {
    const kernel = ctx.kernel;
    const out: Problem<UnknownObjectData>[] = [];
    for (const lp of ctx.livepatches) {
      // csv objects are written by hand as well; diff objects come from the kernel's Makefiles.
      if (lp.kind === 'diff') continue;
      for (const obj of lp.objects) {
        if (obj.declaredName === null || obj.declaredName === 'vmlinux') continue; // vmlinux: see object-named-vmlinux
        const found = findings(obj.declaredName, kernel);
        if (found) out.push(report(obj, found, lp.objects.some((o) => o.declaredName === null)));
      }
    }
    return out;
  },
  verdict: (p) => (p.data?.tooLong ? undefined : { refuses: 'object' }),
  fix: renameObject,
};

interface Finding {
  severity: Severity;
  message: string;
  suggestion?: string;
  tooLong?: true;
}

function findings(name: string, kernel: KernelContext): Finding | undefined {
  // kernel/livepatch/core.c klp_init_object()
  if (name.length >= MODULE_NAME_LEN) {
    return {
      severity: 'error',
      message: `the object name "${name}" has ${name.length} characters: klp_init_object() refuses names of ${MODULE_NAME_LEN} or more (MODULE_NAME_LEN) and klp_enable_patch() fails with -EINVAL`,
      tooLong: true,
    };
  }
  // kbuild names a module after its file, with '-' turned into '_' (scripts/Makefile.lib name-fix):
  // a name that is not one never matches, whatever the kernel; any other needs the kernel's modules.
  const normalized = moduleNameOf(name);
  const malformed = normalized !== name;
  if (!malformed && !kernel.has.moduleList && !kernel.has.symvers) return undefined;
  const known = kernel.modules.get(name);
  if (known?.builtin) {
    return {
      severity: 'error',
      message:
        `${name} is built into vmlinux on this kernel (modules.builtin): find_module() never finds it, so this object's functions ` +
        `are never patched; patch them in the vmlinux object (leave .name out)`,
      suggestion: 'NULL',
    };
  }
  if (known) return undefined;
  const suggestion = malformed && kernel.modules.has(normalized) && !kernel.modules.get(normalized)!.builtin ? normalized : closestModule(name, kernel);
  const why = malformed
    ? `"${name}" cannot be a module name (the kernel names modules after their file, without directory or .ko, with '-' as '_')`
    : kernel.has.moduleList
      ? `no module of this kernel is named ${name}`
      : // Module.symvers alone lists only the modules that export symbols.
        `no module named ${name} is known to this kernel (klp-lens has its Module.symvers, which lists only the modules that ` +
        `export symbols: give its modules.order if ${name} is one that exports none)`;
  return {
    severity: malformed ? 'error' : 'warning',
    message:
      `${why}: find_module() and klp_module_coming() compare names exactly, so this object never matches a module; ` +
      `klp_enable_patch() succeeds but its functions silently stay unpatched` +
      (suggestion ? `. Did you mean "${suggestion}"?` : ''),
    ...(suggestion ? { suggestion } : {}),
  };
}

/** `hasNullObject`: the livepatch has a NULL-named (vmlinux) object too, which a built-in module's functions would join. */
function report(obj: PatchObject, found: Finding, hasNullObject: boolean): Problem<UnknownObjectData> {
  const funcs = obj.funcs.map((f) => f.name);
  return problem(check.id, found.severity, obj.nameLocation ?? obj.location, found.message, {
    related: funcs.length > 0 ? [{ location: obj.funcs[0].location, message: `${funcs.join(', ')} would stay unpatched` }] : [],
    data: {
      object: obj.declaredName,
      ...(found.suggestion ? { suggestion: found.suggestion } : {}),
      ...(found.suggestion === 'NULL' && hasNullObject ? { hasNullObject: true } : {}),
      ...(found.tooLong ? { tooLong: true } : {}),
    },
  });
}

function renameObject(problem: Problem<UnknownObjectData>, source: SourceText): Fix[] {
  const { object, suggestion } = problem.data ?? {};
  if (object == null || suggestion === undefined || source.slice(problem.range) !== JSON.stringify(object)) return [];
  if (suggestion === 'NULL') {
    // Beside a NULL-named object, its functions belong in that one (see object-named-vmlinux).
    const change = problem.data?.hasNullObject ? undefined : nullName(source, problem.range);
    if (!change) return [];
    const title = change.removed ? `Remove .name = "${object}" (built into vmlinux)` : `Replace "${object}" with NULL (built into vmlinux)`;
    return [fixOf(problem, title, change.edits, true)];
  }
  if (!/^[\w-]+$/.test(suggestion)) return [];
  // The name kbuild gives the file is certain; a name close to a typo is a guess.
  const certain = moduleNameOf(object) === suggestion;
  return [fixOf(problem, `Change the object name to "${suggestion}"`, [{ range: problem.range, newText: `"${suggestion}"` }], certain)];
}

/** The loadable module whose name is closest to `name`, when close enough to be a typo. */
export function closestModule(name: string, kernel: KernelContext): string | undefined {
  return closestName(name, [...kernel.modules].flatMap(([candidate, info]) => (info.builtin ? [] : [candidate])));
}
