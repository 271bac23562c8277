// The patched functions defined in a kernel source file, found with tree-sitter
// (syntax/sourceFunctions.ts), each with the patch stacks of its (object, name).
import * as path from 'node:path';
import type { Range } from '../../common/range';
import { sourceFunctions, type SourceDefinition } from '../../syntax/sourceFunctions';
import type { AnalysisView } from '../view';
import type { PatchStack } from '../../analysis/roles';
import { livepatchesIn } from './livepatchTargets';

export interface KernelFunction {
  definition: SourceDefinition;
  /** The definition's head, from its first line to the end of the line before its body. */
  head: Range;
  /** The function's name where the head writes it (the head's first line when a macro spells it). */
  nameRange: Range;
  /** One stack per sympos the series patches under this name in this file's object. */
  stacks: PatchStack[];
}

const C_SOURCE = /\.[ch]$/;

/** Every definition of `file` that the series patches; none when `file` is a livepatch or not C. */
export function patchedFunctionsIn(view: AnalysisView, file: string, stacks: PatchStack[]): KernelFunction[] {
  if (!C_SOURCE.test(file) || livepatchesIn(view.analysis, file).length > 0) return [];
  const text = view.readText(file);
  const object = objectOfSource(view, file);
  const candidates = stacks.filter((s) => (object === undefined || s.object === object) && sourceMatches(view, s, file));
  if (!text || !candidates.some((s) => text.includes(s.name))) return [];
  const lines = text.split(/\r?\n/);
  return (sourceFunctions(view.parser, text) ?? []).flatMap((definition) => {
    const own = candidates.filter((s) => s.name === definition.name);
    if (own.length === 0) return [];
    const nameRange = definitionNameRange(lines, definition);
    const headEnd = headEndLine(lines, definition, nameRange.start.line);
    const head = { start: { line: definition.startLine, character: 0 }, end: { line: headEnd, character: lines[headEnd].length } };
    return [{ definition, head, nameRange, stacks: own }];
  });
}

/**
 * The object a source file is built into, from kbuild; a module that modules.builtin
 * lists is part of vmlinux. Undefined when kbuild cannot tell.
 */
function objectOfSource(view: AnalysisView, file: string): string | undefined {
  let object: string | undefined;
  try {
    object = view.kernel.kbuild?.resolve(file).object;
  } catch {
    return undefined;
  }
  if (object === undefined || object === 'unknown') return undefined;
  return view.kernel.modules.get(object)?.builtin ? 'vmlinux' : object;
}

/** A stack whose patch diff names its source file belongs to that file only; the others (modules, csv) to any. */
function sourceMatches(view: AnalysisView, s: PatchStack, file: string): boolean {
  if (s.sourceFile === undefined) return true;
  const { sourceDir } = view.kernel;
  if (sourceDir && path.resolve(sourceDir, s.sourceFile) === path.resolve(file)) return true;
  return path.resolve(file).endsWith(`${path.sep}${s.sourceFile}`);
}

/** Where a definition writes its name; its first line when it does not (`SYSCALL_DEFINE2(demo, ...)` defines __do_sys_demo). */
export function definitionNameRange(lines: string[], definition: SourceDefinition): Range {
  const word = new RegExp(`\\b${definition.name}\\b`);
  for (let line = definition.startLine; line <= definition.endLine; line++) {
    const at = lines[line]?.search(word) ?? -1;
    if (at >= 0) return { start: { line, character: at }, end: { line, character: at + definition.name.length } };
  }
  const first = definition.startLine;
  return { start: { line: first, character: 0 }, end: { line: first, character: lines[first]?.length ?? 0 } };
}

/** The last line of the head: the line of the body's `{`, or the one before when the `{` opens its own line (kernel style). */
function headEndLine(lines: string[], definition: SourceDefinition, nameLine: number): number {
  for (let line = nameLine; line <= definition.endLine && line < lines.length; line++) {
    const brace = lines[line].indexOf('{');
    if (brace < 0) continue;
    return lines[line].slice(0, brace).trim() === '' && line > nameLine ? line - 1 : line;
  }
  return nameLine;
}
