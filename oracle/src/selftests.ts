// The kernel's livepatch selftests (tools/testing/selftests/livepatch/test-*.sh, read from
// ../shared at run time) turned into scenarios: each start_test block becomes one, its
// load_lp / load_mod / disable_lp / unload_* calls its steps, and its check_result text the
// kernel log the scenario must produce. The modules' patches are read by klp-lens itself.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { toSimPatch } from '../../server/src/analysis/toSimPatch';
import type { Livepatch } from '../../server/src/model/livepatch';
import type { SimPatch } from '../../server/src/simulator/types';
import { livepatchFromModule } from '../../server/src/model/fromModule';
import { predefinedFromConfig } from '../../server/src/model/targetMacros';
import type { CParser } from '../../server/src/syntax/treeSitter';
import { fail } from '../../tools/src/toolError';
import { selftestModules, SHARED_SELFTESTS, type SelftestTree } from './modules';
import type { Observation, OracleStep, Scenario, ScenarioItem } from './scenario';

export const SELFTEST_SCRIPTS = ['test-livepatch.sh', 'test-state.sh', 'test-callbacks.sh'];

const OBSERVE: Observation[] = [
  { object: 'vmlinux', name: 'cmdline_proc_show', sympos: 1, path: '/proc/cmdline' },
  { object: 'vmlinux', name: 'meminfo_proc_show', sympos: 1, path: '/proc/meminfo' },
];

const NOWAIT =
  'load_lp_nowait: the test holds the patching transition open (block_transition=Y); the simulator completes every transition within its step';
const PRE_PATCH_RET =
  "the module parameter pre_patch_ret makes the patch's pre_patch callback fail; the simulator does not run callbacks";

/** A selftest module read by klp-lens, with `#include "other.c"` inlined as the preprocessor would (test_klp_state3.c is test_klp_state2.c under another name). */
function readSelftestModule(parser: CParser, dir: string, name: string): Livepatch {
  const file = path.join(dir, `${name}.c`);
  const text = readFileSync(file, 'utf8').replace(/^#include "([^"]+\.c)"$/gm, (_, included: string) =>
    readFileSync(path.join(dir, included), 'utf8'),
  );
  // x86-64 as the oracle boots it (no .config: its options stay unknown): test_klp_syscall.c
  // names __x64_sys_getpid through its FN_PREFIX.
  return livepatchFromModule(parser, text, file, { name, predefined: X86_64 });
}

const X86_64 = predefinedFromConfig(undefined);

/** The patch klp_enable_patch() sees: a `replace=` parameter is what the modules' init copies into patch.replace. */
function selftestPatch(lp: Livepatch, args: string[]): SimPatch {
  const patch = toSimPatch(lp);
  const replace = args.find((a) => a.startsWith('replace='));
  return replace ? { ...patch, replace: replace !== 'replace=0' } : patch;
}

/**
 * The scenarios of `tree`'s selftest scripts. A test that loads a module the oracle does not
 * build, or says something the replay does not know, is left out and handed to `dropped` with
 * why: the others still run.
 */
export function selftestScenarios(parser: CParser, tree: SelftestTree = SHARED_SELFTESTS, dropped: (name: string, why: string) => void = (name, why) => fail(`${name}: ${why}`)): Scenario[] {
  const modules = new Map<string, Livepatch>();
  const built = selftestModules(tree);
  const moduleOf = (mod: string) => {
    if (!built.includes(mod)) throw new NotReplayed(`it loads ${mod}, which the oracle does not build`);
    const lp = modules.get(mod) ?? readSelftestModule(parser, tree.modules, mod);
    modules.set(mod, lp);
    return lp;
  };
  return SELFTEST_SCRIPTS.flatMap((script) => parseScript(script, unrollLoops(readFileSync(path.join(tree.scripts, script), 'utf8')), moduleOf, dropped));
}

/** What leaves one test out of the replay (not the run). */
class NotReplayed extends Error {}

/** `for v in A B; do ... done` (6.12's scripts) written out once per value, `$v` and `"$v"` replaced. */
function unrollLoops(text: string): string {
  return text.replace(/^[ \t]*for (\w+) in ([^;\n]*); do\n([\s\S]*?)^[ \t]*done[ \t]*$/gm, (_, name: string, values: string, body: string) =>
    values
      .trim()
      .split(/\s+/)
      .map((value) => body.replace(new RegExp(`"?\\$\\{?${name}\\}?"?`, 'g'), value))
      .join(''),
  );
}

/**
 * 6.12's functions.sh loads with `insmod test_modules/<mod>.ko` where 6.1's used `modprobe <mod>`
 * (the oracle's init.sh logs the latter): an expected line in the oracle's words.
 */
function asModprobe(line: string): string {
  const failed = /^insmod: ERROR: could not insert module test_modules\/(\S+)\.ko: (.*)$/.exec(line);
  // kmod's insmod words an errno with mod_strerror(), modprobe with strerror().
  if (failed) return `modprobe: ERROR: could not insert '${failed[1]}': ${STRERROR[failed[2]] ?? failed[2]}`;
  return line.replace(/^% insmod test_modules\/(\S+)\.ko\b/, '% modprobe $1');
}

/** kmod tools/insmod.c mod_strerror()'s words for an errno, as strerror() says it (the two of one errno each). */
const STRERROR: Record<string, string> = { 'Invalid parameters': 'Invalid argument', 'Invalid module format': 'Exec format error' };

function parseScript(script: string, text: string, moduleOf: (mod: string) => Livepatch, dropped: (name: string, why: string) => void): Scenario[] {
  const scenarios = parseTests(script, text, moduleOf);
  for (const { scenario, why } of scenarios) if (why) dropped(scenario.name, why);
  return scenarios.filter((s) => !s.why).map((s) => s.scenario);
}

function parseTests(script: string, text: string, moduleOf: (mod: string) => Livepatch): Array<{ scenario: Scenario; why?: string }> {
  const isLivepatch = (mod: string) => moduleOf(mod).livepatchModinfo === true;
  const vars = new Map<string, string>();
  const expand = (s: string) => s.replace(/\$\{?(\w+)\}?/g, (m, v: string) => vars.get(v) ?? m);
  const scenarios: Array<{ scenario: Scenario; why?: string }> = [];
  let current: Scenario | undefined;
  let pendingNotModelled: string | undefined;
  // After load_lp_nowait the test goes on while the transition is held open: its load_mod
  // and unload_mod wait for no transition, until disable_lp reverses it.
  let holding = false;
  const lines = text.split('\n');
  const where = (i: number) => `${script}:${i + 1}`;

  const push = (item: ScenarioItem) => {
    if (!current) fail(`selftest ${script}: a step before any start_test`);
    current.items.push(item);
  };
  const stepItem = (step: OracleStep) => {
    if (pendingNotModelled && !step.notModelled) step.notModelled = pendingNotModelled;
    pendingNotModelled = undefined;
    push({ step });
  };

  for (let i = 0; i < lines.length; i++) {
    try {
      i = parseLine(i);
    } catch (err) {
      if (!(err instanceof NotReplayed) || !current) throw err;
      // The rest of this test is not replayed: on to the next start_test.
      scenarios[scenarios.length - 1].why = `${where(i)}: ${err.message}`;
      while (i + 1 < lines.length && !lines[i + 1].trim().startsWith('start_test ')) i++;
    }
  }
  return scenarios;

  /** Takes line `i` (and the lines it spans); the last line taken. */
  function parseLine(i: number): number {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) return i;
    const assign = /^(MOD_\w+)=(\S+)$/.exec(line);
    if (assign) {
      vars.set(assign[1], assign[2]);
      return i;
    }
    const start = /^start_test "(.*)"$/.exec(line);
    if (start) {
      const name = `selftest-${script.replace(/^test-|\.sh$/g, '')}-${start[1].replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
      current = { name, kind: 'selftest', reproduce: `npm run oracle -- --only ${name}`, items: [], targets: [], observe: OBSERVE };
      scenarios.push({ scenario: current });
      return i;
    }
    if (!current || /^(\. |setup_config|exit 0)/.test(line)) return i;
    if (line.startsWith('if [')) {
      // An assertion on /proc/cmdline (the observation of cmdline_proc_show covers it), or on
      // the count of /sys/kernel/livepatch entries (6.12; the patches compared cover it).
      while (i < lines.length && lines[i].trim() !== 'fi') i++;
      return i;
    }
    // Bash arrays and their lengths, for such an assertion.
    if (/^\w+=(\(|\$\{#)/.test(line)) return i;
    // A wait for the transition to end, or (6.12) for the replaced patches' sysfs directories to
    // go: what init.sh's settle() waits for after every step.
    if (/^loop_until .*(transition|\/sys\/kernel\/livepatch\/)/.test(line)) {
      i++; // and its "die" line
      return i;
    }
    const check = /^check_result "(.*)$/.exec(line);
    if (check) {
      const expected = [check[1]];
      while (!expected[expected.length - 1].endsWith('"')) expected.push(lines[++i] ?? fail(`${where(i)}: unterminated check_result`));
      expected[expected.length - 1] = expected[expected.length - 1].slice(0, -1);
      current.expectedLog = expected.map(expand).map(asModprobe);
      return i;
    }
    const grep = /^grep '([^']+)' (\S+) > \/dev\/kmsg$/.exec(line);
    if (grep) {
      push({ command: { kind: 'kmsg-grep', pattern: grep[1], file: grep[2] } });
      return i;
    }
    const words = line.split(/\s+/).map((w) => expand(w.replace(/^"(.*)"$/, '$1')));
    const [fn, mod, ...args] = words;
    switch (fn) {
      case 'load_lp':
      case 'load_lp_nowait':
      case 'load_mod':
      case 'load_failing_mod': {
        if (!current.targets.includes(mod) && !isLivepatch(mod)) current.targets.push(mod);
        const step: OracleStep = isLivepatch(mod)
          ? { action: 'load', target: mod, args, patch: selftestPatch(moduleOf(mod), args) }
          : { action: 'load-module', target: mod, args };
        if (fn === 'load_lp_nowait') {
          holding = true;
          step.notModelled = NOWAIT;
        }
        if (holding) step.nowait = true;
        if (args.some((a) => /^pre_patch_ret=-?[1-9]/.test(a))) step.notModelled = PRE_PATCH_RET;
        stepItem(step);
        break;
      }
      case 'unload_lp':
      case 'unload_mod':
        stepItem({ action: isLivepatch(mod) ? 'unload' : 'unload-module', target: mod, args: [], ...(holding ? { nowait: true } : {}) });
        break;
      case 'disable_lp':
        holding = false;
        stepItem({ action: 'disable', target: mod, args: [] });
        break;
      case 'set_pre_patch_ret':
        push({ command: { kind: 'param', module: mod, param: 'pre_patch_ret', value: args[0] } });
        if (args[0] !== '0') pendingNotModelled = PRE_PATCH_RET;
        break;
      default:
        throw new NotReplayed(`the selftest replay does not know this line: ${line}`);
    }
    return i;
  }
}
