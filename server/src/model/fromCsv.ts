// The livepatch a SUSE patched_funcs.csv describes. SUSE builds every csv of a
// release into one cumulative module (kernel-livepatch, scripts/register-patches.sh
// fills the template livepatch_main.c): klp-lens reads such a tree as that one module
// (model/suseLayout.ts), and a csv found elsewhere as one livepatch.
import * as path from 'node:path';
import { FILE_START, location } from '../common/range';
import { moduleNameOf } from '../kernel/types';
import { conditionHolds, type Predefined } from '../syntax/cConditions';
import type { PatchedFuncsCsv, PatchedFuncsRow } from '../syntax/patchedFuncsCsv';
import type { LeftOutFunction, Livepatch, PatchObject, PatchedFunction } from './livepatch';

/**
 * SUSE's main module (livepatch_main.c) sets `.replace = true`: each release's
 * livepatch atomically replaces the one before, so a csv-described livepatch is
 * a replace patch unless a series line says otherwise.
 */
export const CSV_REPLACE = true;

/**
 * SUSE names each sub-patch after the directory holding its patched_funcs.csv
 * (register-patches.sh: livepatch_<dir>.h, livepatch_<dir>_init()), so the
 * default name is that directory's name as kbuild would spell a module ('-' as '_').
 */
export function csvLivepatchName(file: string): string {
  return moduleNameOf(path.basename(path.dirname(path.resolve(file))));
}

export interface CsvLivepatchOptions {
  /** Default: csvLivepatchName(csv.file). */
  name?: string;
  /** Default: CSV_REPLACE. */
  replace?: boolean;
  /** What the target defines before livepatch_main.c's first line (targetMacros.ts); without it every row counts. */
  predefined?: Predefined;
}

export function functionOf(row: PatchedFuncsRow): PatchedFunction {
  return {
    object: row.object,
    name: row.oldFunc,
    sympos: row.sympos,
    newFunc: row.newFunc,
    location: row.location,
    nameLocation: row.oldFuncLocation,
    newFuncLocation: row.newFuncLocation,
    ...(row.symposLocation && { symposLocation: row.symposLocation }),
    ...(row.condition !== undefined && { condition: row.condition }),
  };
}

/**
 * Objects as register-patches.sh emits them: vmlinux first, then the others sorted; funcs in
 * row order (the rows of every csv it is given, one csv after the other).
 */
export function objectsOf(rows: readonly PatchedFuncsRow[], toFunction: (row: PatchedFuncsRow) => PatchedFunction = functionOf): PatchObject[] {
  const byObject = new Map<string, PatchedFuncsRow[]>();
  for (const row of rows) byObject.set(row.object, [...(byObject.get(row.object) ?? []), row]);
  const others = [...byObject.keys()].filter((name) => name !== 'vmlinux').sort();
  const names = byObject.has('vmlinux') ? ['vmlinux', ...others] : others;
  return names.map((name) => {
    const objectRows = byObject.get(name) ?? [];
    // The object name is kept as written: the kernel compares klp_object.name with
    // the module's name as is (kernel/livepatch/core.c klp_find_object_module()).
    const vmlinux = name === 'vmlinux';
    return {
      declaredName: vmlinux ? null : name,
      object: name,
      location: objectRows[0].location,
      ...(!vmlinux && { nameLocation: objectRows[0].objectLocation }),
      funcs: objectRows.map(toFunction),
      hasFuncs: true,
      callbacks: [],
    };
  });
}

/**
 * The objects the target compiles, and the rows it does not: register-patches.sh writes each
 * row's condition as an `#if` around its klp_func, and around an object whose every row has one
 * the `||` of them, so a row whose condition is false on the target is in no object, and an
 * object left without rows is none. A condition not known (no .config, a header's macro) counts.
 */
export function objectsForTarget(
  rows: readonly PatchedFuncsRow[],
  predefined: Predefined | undefined,
  toFunction: (row: PatchedFuncsRow) => PatchedFunction = functionOf,
): { objects: PatchObject[]; leftOut?: LeftOutFunction[] } {
  const kept: PatchedFuncsRow[] = [];
  const leftOut: LeftOutFunction[] = [];
  for (const row of rows) {
    if (predefined !== undefined && row.condition !== undefined && conditionHolds(row.condition, predefined) === false) {
      leftOut.push({ function: toFunction(row), condition: row.condition, conditionLocation: row.conditionLocation! });
    } else {
      kept.push(row);
    }
  }
  return { objects: objectsOf(kept, toFunction), ...(leftOut.length > 0 && { leftOut }) };
}

export function livepatchFromCsv(csv: PatchedFuncsCsv, options: CsvLivepatchOptions = {}): Livepatch {
  const { objects, leftOut } = objectsForTarget(csv.rows, options.predefined);
  return {
    name: options.name ?? csvLivepatchName(csv.file),
    kind: 'csv',
    file: csv.file,
    replace: options.replace ?? CSV_REPLACE,
    location: csv.rows[0]?.location ?? location(csv.file, FILE_START),
    objects,
    ...(leftOut && { leftOut }),
    states: [],
    exports: [],
    references: [],
    klpSymbols: [],
    problems: csv.problems,
  };
}
