// Reads a kernel .config (or include/config/auto.conf) as kconfig writes it:
// scripts/kconfig/confdata.c conf_write() prints `CONFIG_X=value` for set options and
// `# CONFIG_X is not set` for unset ones; conf_read_simple() reads them back, a later
// line overriding an earlier one for the same option.
import type { Problem } from '../common/problem';
import { problem } from '../common/problem';
import { lineRange, location } from '../common/range';
import { configHeaderVersion } from './kernelVersion';

const SET = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const NOT_SET = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

export interface ParsedConfig {
  /** CONFIG_X -> 'y', 'm', a number as written, or a string without its quotes. Unset options are absent. */
  config: Map<string, string>;
  /** KERNELVERSION as the header kconfig writes says it (kernelVersion.ts configHeaderVersion()). */
  kernelVersion?: string;
  problems: Problem[];
}

export function parseConfig(text: string, file: string): ParsedConfig {
  const config = new Map<string, string>();
  const problems: Problem[] = [];
  const firstSeen = new Map<string, number>();
  const lines = text.split('\n');
  lines.forEach((rawLine, index) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const at = location(file, lineRange(index, line.length));
    const unset = NOT_SET.exec(line);
    if (unset) {
      config.delete(unset[1]);
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return;
    const set = SET.exec(line);
    if (!set) {
      problems.push(problem('parse-error', 'warning', at, `not a .config line: ${line.slice(0, 80)}`));
      return;
    }
    const [, name, rawValue] = set;
    const value = configValue(rawValue);
    if (value === undefined) {
      problems.push(problem('parse-error', 'warning', at, `${name}: unreadable value ${rawValue.slice(0, 80)}`));
      return;
    }
    const earlier = firstSeen.get(name);
    if (earlier !== undefined) {
      // conf_read_simple() warns "override: reassigning to symbol X" and keeps the later value.
      problems.push(problem('parse-error', 'information', at, `${name} is set again (first on line ${earlier + 1}); the later value wins`));
    } else {
      firstSeen.set(name, index);
    }
    // kconfig never writes `=n`: an option set to n is unset (conf_write() prints "is not set").
    if (value === 'n') config.delete(name);
    else config.set(name, value);
  });
  const kernelVersion = configHeaderVersion(text);
  return { config, problems, ...(kernelVersion !== undefined ? { kernelVersion } : {}) };
}

/** The value of `CONFIG_X=<raw>`: a quoted string loses its quotes and escapes, other values are kept as written. */
function configValue(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw === '' || /\s/.test(raw) ? undefined : raw;
  let out = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      out += raw[++i];
    } else if (c === '"') {
      return raw.slice(i + 1).trim() === '' ? out : undefined;
    } else {
      out += c;
    }
  }
  return undefined;
}
