// A function of an object computed once per object (kept as long as the object lives):
// the language server answers many requests from one analysis, and an unchanged
// livepatch is the same object from one analysis to the next. The result is shared: the
// callers must not change it.
export function memoizeByObject<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const results = new WeakMap<K, V>();
  return (key) => {
    if (results.has(key)) return results.get(key) as V;
    const value = compute(key);
    results.set(key, value);
    return value;
  };
}
