import type { ObjectSymbols, SymbolEntry, SymbolSource } from './types';

export function newObjectSymbols(object: string, source: SymbolSource, file: string): ObjectSymbols {
  return { object, source, file, byName: new Map(), count: 0 };
}

/** Appends one symbol at the end of the object's walk order. */
export function addSymbol(symbols: ObjectSymbols, name: string, address: string, type: string, sourceFile?: string): void {
  const entry: SymbolEntry = { name, address, type, index: symbols.count++ };
  if (sourceFile !== undefined) entry.sourceFile = sourceFile;
  const list = symbols.byName.get(name);
  if (list) list.push(entry);
  else symbols.byName.set(name, [entry]);
}
