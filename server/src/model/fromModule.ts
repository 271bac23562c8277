// A hand-written livepatch module (C source) read into the livepatch model: its klp_patch
// and what it points to, its modinfo and exports, the symbols its code uses, and its klp symbols.
import { errorMessage, problem, type Problem } from '../common/problem';
import { FILE_START } from '../common/range';
import type { Livepatch } from './livepatch';
import type { Predefined } from '../syntax/cConditions';
import { readMacros } from '../syntax/cMacros';
import { readFileScope } from '../syntax/cGlobals';
import { nodeLocation, stringLiteralValue, walk } from '../syntax/cNodes';
import { readReferences } from './references/moduleReferences';
import { readKlpStructures } from './module/klpStructures';
import { readKlpSymbols } from './module/klpSymbols';
import { LineIndex } from '../syntax/lineIndex';
import { readModuleMacros } from './module/moduleMacros';
import type { CParser, SyntaxNode } from '../syntax/treeSitter';
import { OWN_THREAD_CHARS, readInOwnThread } from './ownThread';

export interface ModuleOptions {
  /** The module name as the kernel shows it (file name without .c, '-' as '_'). */
  name: string;
  /** What the target defines before the file's first line (model/targetMacros.ts); without it no #if line is evaluated. */
  predefined?: Predefined;
}

export function livepatchFromModule(parser: CParser, text: string, file: string, options: ModuleOptions): Livepatch {
  const reply = text.length >= OWN_THREAD_CHARS ? readInOwnThread({ text, file, ...options }) : undefined;
  if (reply) return 'livepatch' in reply ? reply.livepatch : emptyModule(file, options, reply.error);
  return readModuleText(parser, text, file, options);
}

/** livepatchFromModule() on this thread. */
export function readModuleText(parser: CParser, text: string, file: string, options: ModuleOptions): Livepatch {
  const read = parser.withTree(text, (tree) => {
    try {
      return readModule(tree.rootNode, text, file, options);
    } catch (err) {
      // A bug of ours on an unusual input must not take the whole analysis down.
      return emptyModule(file, options, `klp-lens could not read this module: ${errorMessage(err)}`);
    }
  });
  return read ?? emptyModule(file, options, 'the C parser failed on this file');
}

function readModule(root: SyntaxNode, text: string, file: string, options: ModuleOptions): Livepatch {
  const problems: Problem[] = [];
  const lines = new LineIndex(text);
  const macros = readMacros(root, options.predefined);
  const scope = readFileScope(root);
  const modinfo = readModuleMacros(file, root, text, lines);
  const structures = readKlpStructures({ file, root, macros, scope, params: modinfo.params, problems });
  const klpSymbols = readKlpSymbols({ file, root, text, lines, macros, problems });
  noteIncludedSources(file, root, problems);
  return {
    name: options.name,
    kind: 'module',
    file,
    replace: structures.replace,
    ...(structures.replaceLocation ? { replaceLocation: structures.replaceLocation } : {}),
    location: structures.location,
    objects: structures.objects,
    states: structures.states,
    livepatchModinfo: modinfo.livepatchModinfo,
    modinfoLocation: modinfo.modinfoLocation,
    exports: modinfo.exports,
    arrays: structures.arrays,
    references: readReferences(file, root, scope, macros),
    klpSymbols,
    ...(structures.leftOut.length > 0 && { leftOut: structures.leftOut }),
    problems: unique(problems),
  };
}

/** `#include "other.c"` (test_klp_state3.c includes test_klp_state2.c): the included file is not read. */
function noteIncludedSources(file: string, root: SyntaxNode, problems: Problem[]): void {
  walk(root, new Set(['preproc_include', 'function_definition']), (node) => {
    if (node.type !== 'preproc_include') return false;
    const path = node.childForFieldName('path');
    const included = path ? stringLiteralValue(path) : undefined;
    if (included?.endsWith('.c')) {
      problems.push(
        problem('parse-error', 'information', nodeLocation(file, node), `klp-lens reads this file alone: the klp structures of the included ${included} are not seen`),
      );
    }
    return false;
  });
}

function emptyModule(file: string, options: ModuleOptions, message: string): Livepatch {
  const at = { file, range: FILE_START };
  return {
    name: options.name,
    kind: 'module',
    file,
    replace: false,
    location: at,
    objects: [],
    states: [],
    exports: [],
    references: [],
    klpSymbols: [],
    problems: [problem('parse-error', 'error', at, message)],
  };
}

/** A klp_func array shared by several objects is read once per object: report its problems once. */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.range, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
