// Long synchronous work done in slices of time: the event loop gets a turn once a slice has
// lasted its time, so that a language server still answers requests meanwhile.

export class TimeSlices {
  private start = performance.now();

  /** Slices of `ms` milliseconds (Infinity: one slice, never a turn). */
  constructor(private readonly ms: number) {}

  /** A turn of the event loop when the slice has lasted its time, the next slice starting after it. */
  async next(): Promise<void> {
    if (performance.now() - this.start <= this.ms) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}
