// Reads what /init printed on the serial console ("@@" lines, templates/init.sh) into
// one record per step.

export interface LogLine {
  /** syslog facility: 0 for the kernel, 1 for lines user space wrote to /dev/kmsg. */
  facility: number;
  level: number;
  text: string;
}

export interface PatchDir {
  name: string;
  enabled: boolean;
  transition: boolean;
  objects: Array<{ name: string; patched: boolean; funcs: string[] }>;
}

export interface StepRecord {
  index: number;
  rc: number;
  /** Every transition finished and every disabled patch was freed within the wait. */
  settled: boolean;
  /** action, target, args as the step file gave them. */
  words: string[];
  /** What modtool wrote on stderr. */
  err: string[];
  log: LogLine[];
  patches: PatchDir[];
  /** Loaded modules (/sys/module/<m>/initstate). */
  modules: Set<string>;
  /** Observation key -> the first line read, '@absent' when the file is not there. */
  observed: Map<string, string>;
}

export interface ScenarioRecord {
  name: string;
  steps: StepRecord[];
  /** Kernel log lines written after the last step (by harness commands). */
  tail: LogLine[];
  /** What the end-of-scenario reset found left over ("disable:<p>", "rmmod:<m>"). */
  leftover: string[];
  /** Modules the scenario's preload could not insert, with the reason. */
  preloadFailures: string[];
}

export interface SerialRecord {
  release: string;
  /** The vmlinux lines of /proc/kallsyms for the requested names. */
  kallsyms: string[];
  /** For each requested name, the names before each definition and each ftrace record. */
  ftrace: Map<string, { definitions: string[][]; records: string[][] }>;
  scenarios: ScenarioRecord[];
}

export function parseSerial(text: string): SerialRecord {
  const record: SerialRecord = { release: '', kallsyms: [], ftrace: new Map(), scenarios: [] };
  let scenario: ScenarioRecord | undefined;
  let step: StepRecord | undefined;
  for (const raw of text.split('\n')) {
    // The console may put other output before "@@" on the same line.
    const at = raw.indexOf('@@');
    if (at < 0) continue;
    const line = raw.slice(at + 2);
    const space = line.indexOf(' ');
    const tag = space < 0 ? line : line.slice(0, space);
    const rest = space < 0 ? '' : line.slice(space + 1);
    switch (tag) {
      case 'BOOT':
        record.release = rest.trim();
        break;
      case 'KSYM':
        record.kallsyms.push(rest);
        break;
      case 'FTRACE-K':
      case 'FTRACE-F': {
        const [name, ...before] = rest.split(' ');
        const entry = record.ftrace.get(name) ?? { definitions: [], records: [] };
        (tag === 'FTRACE-K' ? entry.definitions : entry.records).push(before);
        record.ftrace.set(name, entry);
        break;
      }
      case 'SCENARIO':
        scenario = { name: rest.trim(), steps: [], tail: [], leftover: [], preloadFailures: [] };
        record.scenarios.push(scenario);
        break;
      case 'STEP': {
        const [index, rc, settled, ...words] = rest.split(' ');
        step = {
          index: Number(index),
          rc: Number(rc),
          settled: settled === 'yes',
          words,
          err: [],
          log: [],
          patches: [],
          modules: new Set(),
          observed: new Map(),
        };
        scenario?.steps.push(step);
        break;
      }
      case 'ERR':
        step?.err.push(rest);
        break;
      case 'LOG':
        step?.log.push(parseLogLine(rest));
        break;
      case 'PATCH': {
        const [name, enabled, transition] = rest.split(' ');
        step?.patches.push({ name, enabled: enabled === '1', transition: transition === '1', objects: [] });
        break;
      }
      case 'OBJ': {
        const [patch, name, patched] = rest.split(' ');
        step?.patches.find((p) => p.name === patch)?.objects.push({ name, patched: patched === '1', funcs: [] });
        break;
      }
      case 'FUNC': {
        const [patch, object, func] = rest.split(' ');
        step?.patches.find((p) => p.name === patch)?.objects.find((o) => o.name === object)?.funcs.push(func);
        break;
      }
      case 'MODULE':
        step?.modules.add(rest.split(' ')[0]);
        break;
      case 'OBS': {
        const sep = rest.indexOf(' ');
        step?.observed.set(sep < 0 ? rest : rest.slice(0, sep), sep < 0 ? '' : rest.slice(sep + 1));
        break;
      }
      case 'PRELOAD-FAILED':
        scenario?.preloadFailures.push(rest);
        break;
      case 'TAILLOG':
        scenario?.tail.push(parseLogLine(rest));
        break;
      case 'RESET':
        if (scenario) scenario.leftover = rest.split(' ').filter(Boolean);
        break;
    }
  }
  return record;
}

/** "<N>text" as `dmesg -r` prints it: N = facility * 8 + level. */
function parseLogLine(raw: string): LogLine {
  const match = /^<(\d+)>(.*)$/.exec(raw);
  if (!match) return { facility: 0, level: 6, text: raw };
  const n = Number(match[1]);
  return { facility: n >> 3, level: n & 7, text: match[2] };
}
