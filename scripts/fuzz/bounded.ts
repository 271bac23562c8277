// Bounds of a run: wall time and resident memory. A child process is watched from outside: its
// RSS read from /proc every few milliseconds, killed at the first bound it passes.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Bounds {
  ms: number;
  rssMb: number;
}

/** The V8 heap limit every spawned process gets: a leak fails fast instead of swapping. */
export const HEAP_MB = 512;

export interface Exceeded {
  bound: 'time' | 'memory';
  /** What it reached when it was stopped. */
  value: number;
}

/** The resident set of a process in MB, from /proc (undefined once it has exited, or off Linux). */
export function rssMbOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

const POLL_MS = 20;

/** Watches `child` until it exits or passes a bound (then kills it); the peak RSS seen and the bound passed, if any. */
export function watch(child: ChildProcess, bounds: Bounds): { stop(): { peakRssMb: number; exceeded?: Exceeded } } {
  const start = performance.now();
  let peakRssMb = 0;
  let exceeded: Exceeded | undefined;
  const timer = setInterval(() => {
    const rss = rssMbOf(child.pid);
    if (rss !== undefined) peakRssMb = Math.max(peakRssMb, rss);
    const elapsed = performance.now() - start;
    if (exceeded === undefined && rss !== undefined && rss > bounds.rssMb) exceeded = { bound: 'memory', value: rss };
    if (exceeded === undefined && elapsed > bounds.ms) exceeded = { bound: 'time', value: elapsed };
    if (exceeded !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, POLL_MS);
  return {
    stop() {
      clearInterval(timer);
      return { peakRssMb, ...(exceeded && { exceeded }) };
    },
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMb: number;
  exceeded?: Exceeded;
}

/** Runs `node [--max-old-space-size] args...` to its end or its first bound passed. */
export function runNode(args: string[], bounds: Bounds, options: SpawnOptions = {}): Promise<Finished> {
  const start = performance.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const watcher = watch(child, bounds);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - start, ...watcher.stop() })),
  );
}
