// The source files of a name's occurrences, from an ELF vmlinux (Debian's linux-image-*-dbg,
// a build tree's), put on the kallsyms or System.map table the livepatch core walks: the
// author choosing an old_sympos sees `hashtab.c` beside each address. Both tables are in
// kallsyms order (vmlinuxElf.ts), so the i-th occurrence of a name is the same function in
// both when the vmlinux is this kernel's; KASLR moves every address by one offset.
import type { ObjectSymbols, SymbolEntry } from './types';

export interface SourceFilesAdded {
  /** Names occurring more than once whose occurrences now carry their source file. */
  named: number;
  /** Names occurring more than once that the vmlinux has another number of times, or at other relative addresses. */
  differing: string[];
}

/** Copies the source file of every occurrence of each name that occurs more than once in `table`. */
export function addSourceFiles(table: ObjectSymbols, vmlinux: ObjectSymbols): SourceFilesAdded {
  const added: SourceFilesAdded = { named: 0, differing: [] };
  for (const [name, entries] of table.byName) {
    if (entries.length < 2) continue;
    const theirs = vmlinux.byName.get(name);
    if (!theirs || !sameOccurrences(entries, theirs)) {
      added.differing.push(name);
      continue;
    }
    entries.forEach((entry, i) => {
      const file = theirs[i].sourceFile;
      if (file !== undefined) entry.sourceFile = file;
    });
    added.named++;
  }
  return added;
}

/**
 * As many occurrences, each moved by one offset (KASLR, or none for System.map). A
 * /proc/kallsyms read without CAP_SYSLOG has every address 0: only the count is compared.
 */
function sameOccurrences(ours: SymbolEntry[], theirs: SymbolEntry[]): boolean {
  if (ours.length !== theirs.length) return false;
  if (ours.every((e) => /^0+$/.test(e.address))) return true;
  const offsets = ours.map((e, i) => offset(e, theirs[i]));
  return offsets[0] !== undefined && offsets.every((o) => o === offsets[0]);
}

function offset(ours: SymbolEntry, theirs: SymbolEntry): bigint | undefined {
  const hex = /^[0-9a-fA-F]{1,16}$/;
  return hex.test(ours.address) && hex.test(theirs.address) ? BigInt(`0x${ours.address}`) - BigInt(`0x${theirs.address}`) : undefined;
}
