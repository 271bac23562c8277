// Timing a piece of work in this process, for the benchmarks: `runs` timed runs after
// `warmup` untimed ones. No forced collection between runs: each run pays for the garbage
// of the one before, as repeated work in a long-lived language server would.

export interface Timing {
  median: number;
  min: number;
}

export function time(run: () => void, { warmup, runs }: { warmup: number; runs: number }): Timing {
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[runs >> 1], min: times[0] };
}
