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

/** A table as the on-disk caches keep it: its walk order, one [name, address, type, sourceFile?] per symbol. */
export interface TableJson {
  object: string;
  source: SymbolSource;
  file: string;
  symbols: [string, string, string, string?][];
}

export function tableJson(table: ObjectSymbols): TableJson {
  // Each entry at its index (addSymbol() numbers them 0 to count - 1): the walk order without a sort.
  const symbols: TableJson['symbols'] = new Array(table.count);
  for (const list of table.byName.values()) {
    for (const e of list) symbols[e.index] = e.sourceFile === undefined ? [e.name, e.address, e.type] : [e.name, e.address, e.type, e.sourceFile];
  }
  return { object: table.object, source: table.source, file: table.file, symbols };
}

export function tableFromJson(json: TableJson): ObjectSymbols {
  const table = newObjectSymbols(json.object, json.source, json.file);
  for (const [name, address, type, sourceFile] of json.symbols) addSymbol(table, name, address, type, sourceFile);
  return table;
}
