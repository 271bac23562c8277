// The writes of klp-lens' kernel caches (artifactIndex.ts, moduleIndex.ts), kept until the caller
// has time for them: writing a full kernel's module index and its parsed artifacts is ~1.2 s
// of a ~3.3 s first load, none of which the first diagnostics need (issue 14, "ready fast").

export class CacheWrites {
  private readonly pending: Array<() => void> = [];

  /** Keeps `write` for flush(). */
  add(write: () => void): void {
    this.pending.push(write);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Runs the writes kept, in the order they were added; each write reports its own failures (it never throws). */
  flush(): void {
    for (const write of this.pending.splice(0)) write();
  }
}
