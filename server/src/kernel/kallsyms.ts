// /proc/kallsyms and System.map: "address type name", plus "\t[module]" for the symbols
// of loaded modules in /proc/kallsyms (kernel/kallsyms.c s_show()).
//
// Walk order. klp_find_object_symbol() (kernel/livepatch/core.c) counts, through
// klp_find_callback(), every symbol with the wanted name whatever its type: for vmlinux
// in the order of kallsyms_on_each_symbol() (kernel/kallsyms.c: the kallsyms table by
// index, which is the order /proc/kallsyms lists), for a module in the order of
// module_kallsyms_on_each_symbol() (kernel/module/kallsyms.c: the module's kallsyms
// symtab, which is the order /proc/kallsyms lists that module's lines in). So the walk
// order of each object is its lines' order in the file.
//
// System.map lists more than the kallsyms table: see kallsymsTable.ts.
import type { Problem } from '../common/problem';
import { forwardFinder } from './forwardFinder';
import { inKallsymsTable } from './kallsymsTable';
import { readLines } from './lineProblems';
import { addSymbol, newObjectSymbols } from './objectSymbols';
import type { ObjectSymbols } from './types';

export type KallsymsSource = 'kallsyms' | 'system-map';

export interface KallsymsIndex {
  vmlinux: ObjectSymbols;
  modules: Map<string, ObjectSymbols>;
  problems: Problem[];
}

export function parseKallsyms(text: string, file: string, source: KallsymsSource): KallsymsIndex {
  const vmlinux = newObjectSymbols('vmlinux', source, file);
  const modules = new Map<string, ObjectSymbols>();
  const systemMap = source === 'system-map';
  // This loop runs for each of ~100,000 lines: no regular expression, fields found with
  // indexOf through forward finders (a plain search per line could rescan the whole rest
  // of a file that lacks the character).
  const nextSpace = forwardFinder(text, ' ');
  const nextTab = forwardFinder(text, '\t');
  const problems = readLines(text, file, systemMap ? 'System.map' : 'kallsyms', (lineStart, end) => {
    const space = nextSpace(lineStart);
    if (space <= lineStart || space + 3 > end || text.charCodeAt(space + 2) !== 32) return 'expected "address type name"';
    if (!isHex(text, lineStart, space)) return 'the address is not hexadecimal';
    const nameStart = space + 3;
    const tab = nextTab(nameStart);
    const nameEnd = tab !== -1 && tab < end ? tab : end;
    const innerSpace = nextSpace(nameStart);
    if (nameEnd === nameStart || (innerSpace !== -1 && innerSpace < nameEnd)) return 'expected one symbol name after the type';
    const type = text[space + 1];
    if (nameEnd === end) {
      const name = text.slice(nameStart, nameEnd);
      // System.map lists what scripts/kallsyms.c drops from the table.
      if (!systemMap || inKallsymsTable(name, type)) addSymbol(vmlinux, name, text.slice(lineStart, space), type);
      return undefined;
    }
    const module = moduleColumn(text, nameEnd, end);
    if (module === undefined) return 'expected "[module]" after the name';
    // kernel/kallsyms.c: "[bpf]", "[__builtin__ftrace]", "[__builtin__kprobes]" are no
    // modules; module_kallsyms_on_each_symbol() walks only modules.
    if (module === 'bpf' || module.startsWith('__builtin__')) return undefined;
    // A livepatch module keeps its undefined symbols in its kallsyms (layout_symtab());
    // they show as 'U' and module_kallsyms_on_each_symbol() skips SHN_UNDEF ones.
    if (type === 'U' || type === 'u') return undefined;
    let symbols = modules.get(module);
    if (!symbols) modules.set(module, (symbols = newObjectSymbols(module, source, file)));
    addSymbol(symbols, text.slice(nameStart, nameEnd), text.slice(lineStart, space), type);
    return undefined;
  });
  return { vmlinux, modules, problems };
}

/** The module of "\t[module]" after the name (from its tab to the line's end), if well formed. */
function moduleColumn(text: string, from: number, end: number): string | undefined {
  let at = from;
  while (at < end && isBlank(text.charCodeAt(at))) at++;
  if (text.charCodeAt(at) !== 91 /* [ */) return undefined;
  let close = at + 1;
  while (close < end && text.charCodeAt(close) !== 93 /* ] */) close++;
  if (close === end || close === at + 1) return undefined;
  for (let i = close + 1; i < end; i++) if (!isBlank(text.charCodeAt(i))) return undefined;
  return text.slice(at + 1, close);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isHex(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102))) return false;
  }
  return true;
}
