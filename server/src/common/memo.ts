// Values derived from an input object, computed once per object and kept as long as the
// object lives (weakly held). A Memo belongs to an AnalysisSession (analysis/session.ts):
// the language server answers many requests from one analysis, and an unchanged livepatch
// is the same object from one analysis to the next. A result is shared: callers must not
// change it; a derivation must depend on nothing but its key.
export type Derivation<K extends object, V> = (key: K) => V;

export class Memo {
  #tables = new Map<Derivation<never, unknown>, WeakMap<object, unknown>>();

  /** `derive(key)`, computed the first time this memo is asked for it. */
  get<K extends object, V>(derive: Derivation<K, V>, key: K): V {
    let table = this.#tables.get(derive as Derivation<never, unknown>);
    if (!table) this.#tables.set(derive as Derivation<never, unknown>, (table = new WeakMap()));
    if (table.has(key)) return table.get(key) as V;
    const value = derive(key);
    table.set(key, value);
    return value;
  }
}
