// Inputs that grow, and the growth of the work on them, for the tests that keep the engine
// linear: never an absolute time (the machine is shared), only the ratio of two sizes
// measured in the same run, or a count of the work done.

/** One patch of fs/proc/cmdline.c whose one hunk adds `added` lines to one function. */
export function oneHunkPatch(added: number): string {
  const lines = [
    'diff --git a/fs/proc/cmdline.c b/fs/proc/cmdline.c',
    '--- a/fs/proc/cmdline.c',
    '+++ b/fs/proc/cmdline.c',
    `@@ -7,6 +7,${6 + added} @@`,
    ' static int cmdline_proc_show(struct seq_file *m, void *v)',
    ' {',
    ' \tseq_puts(m, saved_command_line);',
  ];
  for (let i = 0; i < added; i++) lines.push(`+\tseq_printf(m, "%d\\n", count_${i % 10});`);
  lines.push(" \tseq_putc(m, '\\n');", ' \treturn 0;', ' }');
  return lines.join('\n') + '\n';
}

/**
 * How much longer `run(large)` takes than `run(small)`, each the best of `runs` timings taken in
 * turn (the machine's other work only ever adds time, and a busy spell then slows both sides, not
 * the large one alone). Linear work on 8x the input gives ~8, quadratic ~64.
 */
export function timeRatio<T>(small: T, large: T, run: (input: T) => void, runs = 5): number {
  const time = (input: T) => {
    const start = performance.now();
    run(input);
    return performance.now() - start;
  };
  time(small); // warms the code paths up
  let [bestSmall, bestLarge] = [Infinity, Infinity];
  for (let i = 0; i < runs; i++) {
    bestSmall = Math.min(bestSmall, time(small));
    bestLarge = Math.min(bestLarge, time(large));
  }
  return bestLarge / bestSmall;
}

/** `items` in an array whose element reads `reads.count` counts (through includes, iteration, indexing). */
export function countingArray<T>(items: T[], reads: { count: number }): T[] {
  return new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.count++;
      return Reflect.get(target, key, receiver);
    },
  });
}

/** `value`, whose reads of the properties `keys` `reads.count` counts. */
export function countingProperties<T extends object>(value: T, keys: ReadonlyArray<keyof T>, reads: { count: number }): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if ((keys as ReadonlyArray<string | symbol>).includes(key)) reads.count++;
      return Reflect.get(target, key, receiver);
    },
  });
}
