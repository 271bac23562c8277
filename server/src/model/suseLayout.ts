// SUSE's kernel-livepatch tree (github.com/SUSE/kernel-livepatch, a branch per release): every
// part (a directory per bug, bsc*/ or CVE-*/) is a piece of ONE cumulative livepatch module.
// scripts/register-patches.sh fills the template livepatch_main.c, whose klp_patch sets
// `.replace = true`: `@@KLP_PATCHES_OBJS@@` becomes one klp_object per object any part's
// patched_funcs.csv names (vmlinux first, then the others sorted), each holding the klp_funcs
// of every part that names it, parts in directory order, rows in file order. The parts load
// together; they never replace one another.
//
// The script's rules, as read here:
// - a part is each directory of the tree but rpm/, scripts/, uname_patch/ and a build
//   directory (one holding a livepatch_main.c); its `*` skips hidden ones;
// - a part without livepatch_<dir>.h or patched_funcs.csv stops the script;
// - a row's new_func is a function of the part's own code (`klpp_<name>` by SUSE's habit, but
//   the csv says which): it is looked for among the definitions of the part's .c files.
// Not read: the newuname patch the script always adds to vmlinux (uname_patch/), and the
// rows' cpp conditions (every row counts, as for a single csv).
import * as path from 'node:path';
import type { FileSource } from '../common/fileSource';
import { problem, type Problem, type RelatedInformation } from '../common/problem';
import { FILE_START, location, makeRange, type Location } from '../common/range';
import { lineDefinitions } from '../syntax/lineDefinitions';
import { textLines } from '../syntax/lineTokens';
import { parsePatchedFuncsCsv, type PatchedFuncsRow } from '../syntax/patchedFuncsCsv';
import type { CParser } from '../syntax/treeSitter';
import { functionOf, objectsForTarget } from './fromCsv';
import { livepatchFromModule, type ModuleOptions } from './fromModule';
import { functionsOf, type Livepatch, type PatchedFunction } from './livepatch';

export interface SusePart {
  /** The part's directory. */
  dir: string;
  /** Its name (`bsc1235008`). */
  name: string;
  csv: string;
  /** livepatch_<name>.h, which the script includes into livepatch_main.c. */
  header: string;
  /** Its .c files, sorted. */
  sources: readonly string[];
}

export interface SuseLayout {
  root: string;
  /** livepatch_main.c, the template the script fills. */
  main: string;
  /** In the order the script reads their csv files (its `for d in *`). */
  parts: readonly SusePart[];
}

const MAIN = 'livepatch_main.c';
const SCRIPT = 'scripts/register-patches.sh';
const CSV = 'patched_funcs.csv';
/** What the script replaces with the klp_objects: a livepatch_main.c holding it is the template, not a built module. */
const OBJS_PLACEHOLDER = '@@KLP_PATCHES_OBJS@@';
/** The directories register-patches.sh skips by name. */
const NOT_PARTS = new Set(['rpm', 'scripts', 'uname_patch']);

/**
 * The SUSE layout rooted at `dir`, when `dir` holds the template livepatch_main.c (with the
 * script's placeholder), scripts/register-patches.sh and at least one part with its
 * patched_funcs.csv; undefined otherwise.
 */
export function suseLayoutAt(dir: string, fs: FileSource): SuseLayout | undefined {
  const names = fs.listDir(dir);
  if (!names?.includes(MAIN) || !names.includes('scripts')) return undefined;
  const main = path.join(dir, MAIN);
  if (!fs.readText(main)?.includes(OBJS_PLACEHOLDER) || fs.readText(path.join(dir, SCRIPT)) === undefined) return undefined;
  const parts: SusePart[] = [];
  let csvFiles = 0;
  for (const name of [...names].sort()) {
    const partDir = path.join(dir, name);
    if (name.startsWith('.') || NOT_PARTS.has(name) || !fs.isDirectory(partDir)) continue;
    const inside = fs.listDir(partDir) ?? [];
    if (inside.includes(MAIN)) continue;
    if (inside.includes(CSV)) csvFiles++;
    const sources = inside.filter((n) => n.endsWith('.c')).sort();
    parts.push({ dir: partDir, name, csv: path.join(partDir, CSV), header: path.join(partDir, `livepatch_${name}.h`), sources: sources.map((n) => path.join(partDir, n)) });
  }
  // path.join drops a trailing separator: `release/` from a series line is the folder `release`.
  return csvFiles > 0 ? { root: path.join(dir, '.'), main, parts } : undefined;
}

/**
 * The cumulative livepatch: replace, modinfo and its place as livepatch_main.c's klp_patch
 * writes them, its functions from every part's rows, each keeping its row and its part.
 */
export function livepatchFromSuse(layout: SuseLayout, fs: FileSource, parser: CParser, options: ModuleOptions): Livepatch {
  const problems: Problem[] = [];
  const mainText = fs.readText(layout.main);
  if (mainText === undefined) problems.push(problem('unreadable-input', 'error', location(layout.main, FILE_START), `cannot read ${layout.main}`));
  // Its problems are left out: the objects it cannot read are the placeholder, which the rows replace.
  const main = livepatchFromModule(parser, mainText ?? '', layout.main, options);
  const stops = (part: SusePart, missing: string) =>
    problems.push(
      problem('unreadable-input', 'error', location(layout.main, FILE_START), `${part.name}/ has no ${missing}: scripts/register-patches.sh stops ("error: ${part.name}/ doesn't have a ${part.name}/${missing}")`),
    );
  const rows: PatchedFuncsRow[] = [];
  const definitions = new Map<string, Location>();
  for (const part of layout.parts) {
    if (fs.readText(part.header) === undefined) stops(part, path.basename(part.header));
    const text = fs.readText(part.csv);
    if (text === undefined) {
      stops(part, CSV);
      continue;
    }
    const csv = parsePatchedFuncsCsv(text, part.csv);
    problems.push(...csv.problems);
    rows.push(...csv.rows);
    for (const [name, at] of newFuncDefinitions(part, csv.rows, fs)) definitions.set(definitionKey(part.dir, name), at);
  }
  const partFunction = (row: PatchedFuncsRow): PatchedFunction => {
    const part = path.dirname(row.location.file);
    const definition = definitions.get(definitionKey(part, row.newFunc));
    return { ...functionOf(row), part, ...(definition && { newFuncDefinition: definition }) };
  };
  const { objects, leftOut } = objectsForTarget(rows, options.predefined, partFunction);
  return {
    name: options.name,
    kind: 'csv',
    file: layout.root,
    replace: main.replace,
    ...(main.replaceLocation && { replaceLocation: main.replaceLocation }),
    location: main.location,
    objects,
    ...(leftOut && { leftOut }),
    states: main.states,
    ...(main.livepatchModinfo !== undefined && { livepatchModinfo: main.livepatchModinfo }),
    ...(main.modinfoLocation && { modinfoLocation: main.modinfoLocation }),
    exports: [],
    references: [],
    klpSymbols: [],
    problems,
  };
}

function definitionKey(partDir: string, name: string): string {
  return `${partDir}\0${name}`;
}

/** Where the part's .c files define the new functions its rows name (read as kernel style writes definitions). */
function newFuncDefinitions(part: SusePart, rows: readonly PatchedFuncsRow[], fs: FileSource): Map<string, Location> {
  const wanted = new Set(rows.map((r) => r.newFunc));
  const found = new Map<string, Location>();
  for (const file of part.sources) {
    const text = fs.readText(file);
    if (text === undefined || ![...wanted].some((name) => !found.has(name) && text.includes(name))) continue;
    const lines = textLines(text);
    for (const def of new Set(lineDefinitions(lines).at)) {
      if (!def || !wanted.has(def.name) || found.has(def.name)) continue;
      // The head may put its return type on a line of its own; a name is an identifier, safe in a pattern.
      const word = new RegExp(`\\b${def.name}\\b`);
      for (let line = def.nameLine; line <= def.headEnd; line++) {
        const column = lines[line]?.search(word) ?? -1;
        if (column < 0) continue;
        found.set(def.name, location(file, makeRange(line, column, line, column + def.name.length)));
        break;
      }
    }
  }
  return found;
}

/**
 * Each related place in another part's csv file, its message led by the part's name: an editor
 * shows a related place by its file's base name (VS Code: `patched_funcs.csv(1, 9): ...`), which
 * is the same for every part.
 */
export function namingParts(problems: readonly Problem[], livepatches: readonly Livepatch[]): Problem[] {
  const partOf = new Map<string, string>();
  // Only a SUSE layout's livepatch (kind csv) has parts: a diff's functions are not walked at every edit.
  for (const lp of livepatches) if (lp.kind === 'csv') for (const f of functionsOf(lp)) if (f.part) partOf.set(path.resolve(f.location.file), path.basename(f.part));
  if (partOf.size === 0) return [...problems];
  const named = (p: Problem, r: RelatedInformation): RelatedInformation => {
    const part = path.resolve(r.location.file) === path.resolve(p.file) ? undefined : partOf.get(path.resolve(r.location.file));
    return part ? { ...r, message: `${part}: ${r.message}` } : r;
  };
  return problems.map((p) => (p.related ? { ...p, related: p.related.map((r) => named(p, r)) } : p));
}
