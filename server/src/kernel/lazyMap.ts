/**
 * A Map some of whose entries are made only when asked for (objectTables.ts: the tables of the
 * module index; sortedLines.ts: the names of a cache file): iterating it makes them all first
 * (fillAll()), so that it iterates as the Map of every entry would.
 */
export abstract class LazyMap<K, V> extends Map<K, V> {
  /** Makes every entry not made yet. */
  protected abstract fillAll(): void;

  /** The values made so far, without making the others (what super.values() of a subclass would not give: it fills). */
  protected madeValues(): MapIterator<V> {
    return Map.prototype.values.call(this);
  }

  override entries(): MapIterator<[K, V]> {
    this.fillAll();
    return super.entries();
  }

  override keys(): MapIterator<K> {
    this.fillAll();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.fillAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.fillAll();
    super.forEach(callback, thisArg);
  }
}
