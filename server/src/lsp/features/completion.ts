// Completion of the target kernel's names where a livepatch writes them: a function in
// `.old_name = "..."` (from its object's symbol table), a module in `.name = "..."`, the object
// and symbol arguments of KLP_RELOC_SYMBOL(lp_obj, sym_obj, sym[, pos]), and the object and
// function columns of a patched_funcs.csv row (`vmlinux` or a module's path, then the function).
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver';
import type { Position } from '../../common/range';
import * as path from 'node:path';
import { candidateNote, symposCandidates } from '../../checks/symbolLookup';
import { moduleNameOf, type KernelContext } from '../../kernel/types';
import { livepatchKindOf } from '../../model/plan';
import type { AnalysisView } from '../view';
import { functionsAt } from './livepatchTargets';

/** More would make the list slow to send and useless to scroll; typing narrows it. */
const MAX_ITEMS = 200;

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

/** What the text before the cursor asks for, with the part of the name already typed. */
type Want = { kind: 'symbol'; object: string | undefined; typed: string } | { kind: 'object'; typed: string };

export function completion(view: AnalysisView, file: string, position: Position): CompletionList {
  const text = view.readText(file);
  const kind = livepatchKindOf(file);
  if (text === undefined || (kind !== 'module' && kind !== 'csv')) return EMPTY;
  const line = text.split('\n')[position.line] ?? '';
  const want = kind === 'csv' ? wantedInRow(line.slice(0, position.character)) : wanted(line.slice(0, position.character));
  if (!want) return EMPTY;
  if (want.kind === 'object') return list(kind === 'csv' ? objectPathItems(view.kernel) : objectItems(view.kernel), want.typed);
  // old_name: the object of the klp_func at the cursor; a reloc symbol: the object it names.
  const object = want.object ?? functionsAt(view.analysis, file, position)[0]?.func.object ?? 'vmlinux';
  return list(symbolItems(view.kernel, object, want.typed), want.typed);
}

function wanted(before: string): Want | undefined {
  const oldName = /\.old_name\s*=\s*"([\w.]*)$/.exec(before);
  if (oldName) return { kind: 'symbol', object: undefined, typed: oldName[1] };
  const name = /\.name\s*=\s*"([\w-]*)$/.exec(before);
  if (name) return { kind: 'object', typed: name[1] };
  const reloc = /KLP_RELOC_SYMBOL(?:_POS)?\(\s*(\w*)(?:\s*,\s*(\w*))?(?:\s*,\s*(\w*))?$/.exec(before);
  if (!reloc) return undefined;
  if (reloc[3] !== undefined) return { kind: 'symbol', object: reloc[2], typed: reloc[3] };
  return { kind: 'object', typed: reloc[2] ?? reloc[1] };
}

/** A csv row: `object function new_function [condition]`, columns apart by blanks. */
function wantedInRow(before: string): Want | undefined {
  if (before.trimStart().startsWith('#')) return undefined;
  const columns = before.trimStart().split(/\s+/);
  if (columns.length === 1) return { kind: 'object', typed: columns[0] };
  if (columns.length === 2) return { kind: 'symbol', object: moduleNameOf(path.basename(columns[0])), typed: columns[1] };
  return undefined;
}

function* symbolItems(kernel: KernelContext, object: string, typed: string): Iterable<CompletionItem> {
  const table = kernel.objects.get(object);
  for (const [name, entries] of table?.byName ?? []) {
    if (!name.startsWith(typed)) continue;
    const where = entries.length > 1 ? `${object}, ${entries.length} positions (old_sympos 1..${entries.length})` : object;
    const item: CompletionItem = { label: name, kind: CompletionItemKind.Function, detail: `${where} · ${entries[0].type}` };
    if (entries.length > 1) item.documentation = symposCandidates(entries).map((c) => `old_sympos ${c.sympos}: ${candidateNote(c)}`).join('\n');
    yield item;
  }
}

function* objectItems(kernel: KernelContext): Iterable<CompletionItem> {
  yield { label: 'vmlinux', kind: CompletionItemKind.Module, detail: 'the kernel image' };
  for (const [name, info] of kernel.modules) if (!info.builtin) yield { label: name, kind: CompletionItemKind.Module, detail: info.path ?? 'module' };
}

/** The csv's object column: `vmlinux`, or a module's path in the tree without `.ko` (net/bluetooth/bluetooth). */
function* objectPathItems(kernel: KernelContext): Iterable<CompletionItem> {
  yield { label: 'vmlinux', kind: CompletionItemKind.Module, detail: 'the kernel image' };
  for (const [name, info] of kernel.modules) {
    const modulePath = info.path?.replace(/^(kernel\/)?/, '').replace(/\.ko(\.\w+)?$/, '');
    if (!info.builtin && modulePath) yield { label: modulePath, kind: CompletionItemKind.Module, detail: name };
  }
}

/** The items whose label starts with what is typed, in name order, at most MAX_ITEMS (then the list says it is incomplete). */
function list(items: Iterable<CompletionItem>, typed: string): CompletionList {
  const matching = [...items].filter((i) => i.label.startsWith(typed)).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { isIncomplete: matching.length > MAX_ITEMS, items: matching.slice(0, MAX_ITEMS) };
}
