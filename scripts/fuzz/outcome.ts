// What one fuzz input did, and the tally of a target's runs. The bars count two kinds of
// failure: an exception escaping (a throw out of the engine's entry points, a stack trace on
// stderr, an exit code other than 0/1/2, a server crash or a JSON-RPC internal error) and a run
// over its bounds (time, memory). A broken promise of the command (convert leaving a partly
// written module) is a failure too. Exceptions the product's own safety nets caught (a check
// that failed, a module it could not read, a handler's guard) are counted apart: they kept the
// user's answer, but each is still a bug to look at.
export type Verdict = 'ok' | 'escaped' | 'over-bound' | 'broken-promise';

export interface Outcome {
  verdict: Verdict;
  /** Why it failed: the message, the stack's first lines, the bound passed. */
  detail?: string;
  /** Exceptions caught by a safety net, as their messages. */
  caught?: string[];
  ms: number;
  rssMb?: number;
}

/** Messages of the product's safety nets: an exception caught on the way, the answer kept. */
const SAFETY_NETS = [/\[internal-error\]$/, /check \S+ failed: /, /klp-lens could not read this module: /, /cannot load the kernel context: /, /a malformed module: /];

export function isSafetyNet(message: string): boolean {
  return SAFETY_NETS.some((net) => net.test(message));
}

/** The lines of a command's output that tell of a caught exception. */
export function caughtInText(text: string): string[] {
  return text.split('\n').filter(isSafetyNet);
}

/** A stack frame line, as V8 prints them. */
const STACK_FRAME = /^\s+at (?:.+ \()?(?:node:|file:|\/)[^()\s]*:\d+:\d+\)?$/m;

export function hasStackTrace(text: string): boolean {
  return STACK_FRAME.test(text);
}

/** The first lines of a long text (a stack, a stderr), enough to recognise it. */
export function firstLines(text: string, count = 6): string {
  return text.split('\n').slice(0, count).join('\n');
}

/** The documented exit codes of `klp-lens`: 0 clean, 1 error findings, 2 bad usage or unreadable input. */
export const EXIT_CODES = [0, 1, 2];

export interface Failure {
  target: string;
  index: number;
  outcome: Outcome;
  /** Where the input was saved, and the command that replays it. */
  saved?: string;
  replay: string[];
}

export interface Tally {
  target: string;
  runs: number;
  escaped: number;
  overBound: number;
  brokenPromises: number;
  /** Caught exceptions by message (first line), with their count. */
  caught: Map<string, number>;
  maxMs: number;
  /** The input that took longest (maxMs). */
  slowest: number;
  maxRssMb: number;
  ms: number;
  failures: Failure[];
}

export function newTally(target: string): Tally {
  return { target, runs: 0, escaped: 0, overBound: 0, brokenPromises: 0, caught: new Map(), maxMs: 0, slowest: -1, maxRssMb: 0, ms: 0, failures: [] };
}

export function count(tally: Tally, index: number, outcome: Outcome): void {
  tally.runs++;
  tally.ms += outcome.ms;
  if (outcome.ms > tally.maxMs) {
    tally.maxMs = outcome.ms;
    tally.slowest = index;
  }
  tally.maxRssMb = Math.max(tally.maxRssMb, outcome.rssMb ?? 0);
  if (outcome.verdict === 'escaped') tally.escaped++;
  if (outcome.verdict === 'over-bound') tally.overBound++;
  if (outcome.verdict === 'broken-promise') tally.brokenPromises++;
  for (const message of outcome.caught ?? []) {
    const key = message.split('\n')[0]!.slice(0, 200);
    tally.caught.set(key, (tally.caught.get(key) ?? 0) + 1);
  }
}

export const failed = (tally: Tally) => tally.escaped + tally.overBound + tally.brokenPromises;
