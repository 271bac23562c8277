// Module.symvers: one exported symbol a line, written by modpost (scripts/mod/modpost.c
// write_dump()): "crc<TAB>symbol<TAB>path<TAB>export-type<TAB>namespace". The namespace
// column is empty for most symbols and absent in files from kernels before 5.4.
import type { Problem } from '../common/problem';
import { forwardFinder } from './forwardFinder';
import { readLines } from './lineProblems';
import { moduleNameOf, type ExportedSymbol } from './types';

export interface SymversIndex {
  exports: Map<string, ExportedSymbol>;
  /** The path and name of each module (not vmlinux) that exports a symbol, in the order the exports name them first. */
  modules: [string, string][];
  problems: Problem[];
}

export function parseSymvers(text: string, file: string): SymversIndex {
  const exports = new Map<string, ExportedSymbol>();
  // Thousands of lines share a few module paths: keep one copy of each path (fewer live
  // strings, less garbage-collector work) and name each module once.
  const modules = new Map<string, { path: string; object: string }>();
  const nextTab = forwardFinder(text, '\t');
  const tabs = [0, 0, 0, 0];
  const problems = readLines(text, file, 'Module.symvers', (lineStart, end) => {
    const reason = findTabs(nextTab, lineStart, end, tabs);
    if (reason) return reason;
    // Indexed reads: destructuring the array is measurably slower here (about 0.8 ms of 12
    // on Debian's Module.symvers).
    const t1 = tabs[0];
    const t2 = tabs[1];
    const t3 = tabs[2];
    const t4 = tabs[3];
    const symbol = text.slice(t1 + 1, t2);
    if (exports.has(symbol)) return undefined;
    let module = VMLINUX;
    if (!isText(text, t2 + 1, t3, 'vmlinux')) {
      const path = text.slice(t2 + 1, t3);
      const known = modules.get(path);
      if (known) module = known;
      else modules.set(path, (module = { path, object: moduleNameOf(path) }));
    }
    exports.set(symbol, {
      symbol,
      crc: text.slice(lineStart, t1),
      object: module.object,
      path: module.path,
      exportType: isText(text, t3 + 1, t4, 'EXPORT_SYMBOL') ? 'EXPORT_SYMBOL' : isText(text, t3 + 1, t4, 'EXPORT_SYMBOL_GPL') ? 'EXPORT_SYMBOL_GPL' : text.slice(t3 + 1, t4),
      namespace: t4 + 1 >= end ? '' : text.slice(t4 + 1, end),
    });
    return undefined;
  });
  return { exports, modules: exportingModules(exports), problems };
}

/** The path and name of each module (not vmlinux) that `exports` name, in the order they first do. */
export function exportingModules(exports: Map<string, ExportedSymbol>): [string, string][] {
  // A Map kept from the cache (artifactIndex.ts) knows them without decoding every export.
  if ('modules' in exports) return exports.modules as [string, string][];
  const modules = new Map<string, string>();
  for (const e of exports.values()) if (e.object !== 'vmlinux' && !modules.has(e.path)) modules.set(e.path, e.object);
  return [...modules];
}

const VMLINUX = { path: 'vmlinux', object: 'vmlinux' };

function isText(text: string, from: number, to: number, word: string): boolean {
  return to - from === word.length && text.startsWith(word, from);
}

/**
 * Sets `tabs` to the positions of the tabs after the crc, symbol, path and export type
 * (the last one is `end` when the namespace column is absent); returns why the line is
 * malformed, if it is.
 */
function findTabs(nextTab: (from: number) => number, start: number, end: number, tabs: number[]): string | undefined {
  let at = start;
  for (let i = 0; i < 4; i++) {
    let tab = nextTab(at);
    if (tab < 0 || tab > end) tab = end;
    if (tab === end && i < 3) return `expected 4 or 5 tab-separated fields, found ${i + 1}`;
    if (tab === at) return 'an empty crc, symbol, path or export type';
    tabs[i] = tab;
    at = tab + 1;
  }
  const extra = nextTab(at);
  if (extra >= 0 && extra < end) return 'more than 5 tab-separated fields';
  return undefined;
}
