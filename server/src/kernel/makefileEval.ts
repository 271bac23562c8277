// Evaluates a kbuild Makefile's variables as GNU make would, for the lists kbuild reads
// (obj-y, obj-m, lib-y, <composite>-y ...), with the CONFIG_ options of a .config as make
// variables (the top Makefile includes include/config/auto.conf), the makefiles it
// `include`s read in place, and the variables exported to it by the make that runs it.
// What klp-lens cannot evaluate (a missing .config, $(call ...), $(shell ...)) is never
// guessed: the words it could change carry a `doubt` that says why.
import * as path from 'node:path';
import type { AssignOp, Condition, Statement } from './makefileSyntax';
import { parseMakefile } from './makefileSyntax';
import { type Part, append, comparedArgs, firstDoubt, firstUnknown, joinText, matchingClose, nameCandidates, short, splitArgs, splitWords } from './makefileParts';

/** yes, no, or cannot tell (and why). */
type Tri = 'yes' | 'no' | { doubt: string };

export interface CondNote {
  line: number;
  text: string;
  /** CONFIG_ options it reads and their values (undefined: not set); empty without a .config. */
  config: Array<[string, string | undefined]>;
}

export interface AssignRecord {
  file: string;
  /** 0-based. */
  line: number;
  /** As written, e.g. `obj-$(CONFIG_CDROM)`. */
  name: string;
  op: AssignOp;
  value: string;
  /** CONFIG_ options the name reads and their values (undefined: not set); empty without a .config. */
  nameConfig: Array<[string, string | undefined]>;
  /** Names it assigned; empty when skipped or when the name could not be evaluated. */
  targets: string[];
  /** The conditionals around it, outermost first. */
  within: CondNote[];
  /** The conditional whose branch around it was not taken. */
  skippedBy?: CondNote;
  /** A later `=` or `:=` that certainly replaced the values it assigned. */
  replacedBy?: AssignRecord;
  /** Why the name could not be evaluated (it reads a variable or function klp-lens does not evaluate). */
  nameUnknown?: string;
}

export interface Word {
  /** The word; a reference klp-lens cannot evaluate is kept as written, e.g. `arch/$(SRCARCH)/`. */
  text: string;
  record: AssignRecord;
  /** Why it may not be in the list; absent when it certainly is. */
  doubt?: string;
  /** For a word holding an unevaluated reference: the words it could stand for. */
  pattern?: RegExp;
}

export interface MakefileValues {
  records: AssignRecord[];
  /** The words of a variable once the whole file is read. */
  words(name: string): Word[];
  /** The exported variables whose value is known, as a sub-make started by this one sees them. */
  exported(): Map<string, string>;
  /** Why some of the file may not have been read: an `include` klp-lens could not follow. */
  incomplete?: string;
}

export interface EvalOptions {
  config: ReadonlyMap<string, string> | undefined;
  /** Variables set as on make's command line: their value is known, and the file's own assignments to them are ignored. */
  presets?: ReadonlyMap<string, string>;
  /** Variables from the environment (exported by the make that runs this one): the file's own assignments win. */
  environment?: ReadonlyMap<string, string>;
  /** Reads an `include`d makefile by its path as expanded and normalized ('drivers/gpu/drm/amd/pm/Makefile'); undefined when absent. */
  read?: (file: string) => string | undefined;
}

interface Item {
  record: AssignRecord;
  raw: string;
  /** Set for a simply expanded assignment (`:=`): the value as expanded then. */
  parts?: Part[];
  doubt?: string;
}

interface Variable {
  flavor: 'simple' | 'recursive';
  items: Item[];
}

interface Frame {
  note: CondNote;
  branch: Tri;
  taken: Tri;
}

// Expansion work (characters read and produced) allowed for one file, so that pathological
// input cannot hang: past it, what is left to expand is unknown.
const EXPANSION_BUDGET = 5_000_000;
// References nested deeper than this (in the text or through variables) are not expanded.
const MAX_DEPTH = 100;
// Nested `include`s followed, so that a file including itself cannot loop.
const MAX_INCLUDE_DEPTH = 16;
const CONFIG_NAME = /\bCONFIG_[A-Za-z0-9_]+/g;
// Variables a kbuild Makefile gets from outside itself (the top Makefile, the arch
// Makefile, the environment): upper-case names, and kbuild's path variables.
const OUTSIDE = /^(?:[A-Z_][A-Z0-9_]*|srctree|objtree|obj|src)$/;

export function evaluateMakefile(text: string, file: string, options: EvalOptions): MakefileValues {
  return new Evaluator(file, options).run(parseMakefile(text));
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a !== 'yes') return a;
  return b;
}

function or(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a !== 'no') return a;
  return b;
}

function not(a: Tri): Tri {
  return a === 'yes' ? 'no' : a === 'no' ? 'yes' : a;
}

/** `file:line` with a 1-based line, as people and compilers write it. */
export function where(file: string, line: number): string {
  return `${file}:${line + 1}`;
}

class Evaluator {
  private readonly vars = new Map<string, Variable>();
  private readonly records: AssignRecord[] = [];
  private readonly frames: Frame[] = [];
  private readonly exports = new Set<string>();
  private budget = EXPANSION_BUDGET;
  private depth = 0;
  private includes = 0;
  private incomplete: string | undefined;

  constructor(
    private file: string,
    private readonly options: EvalOptions,
  ) {}

  run(statements: Statement[]): MakefileValues {
    this.statements(statements);
    const cache = new Map<string, Word[]>();
    return {
      records: this.records,
      words: (name) => {
        let words = cache.get(name);
        if (!words) {
          words = this.wordsOf(name);
          cache.set(name, words);
        }
        return words;
      },
      exported: () => this.exportedValues(),
      incomplete: this.incomplete,
    };
  }

  private statements(statements: Statement[]): void {
    for (const s of statements) {
      if (s.kind === 'assign') this.assign(s);
      else if (s.kind === 'if') this.openIf(s.cond, { line: s.line, text: s.text, config: this.configRead(s.text) });
      else if (s.kind === 'else') this.elseBranch(s.cond, { line: s.line, text: s.text, config: this.configRead(s.text) });
      else if (s.kind === 'include') this.include(s);
      else if (s.kind === 'export') this.export(s.names);
      else this.frames.pop();
    }
  }

  // ---- include and export (make's read.c eval(): "include" reads each file in place)

  private include(s: Extract<Statement, { kind: 'include' }>): void {
    if (this.active() === 'no') return;
    const at = where(this.file, s.line);
    const parts = this.expand(s.files, []);
    const unknown = firstUnknown(parts);
    if (unknown || !this.options.read || this.includes >= MAX_INCLUDE_DEPTH) {
      if (!s.optional) this.incomplete ??= `${at}: include ${short(s.files)} is not followed${unknown ? `: klp-lens does not evaluate ${short(unknown.unknown)}` : ''}`;
      return;
    }
    for (const word of joinText(parts).split(/\s+/).filter(Boolean)) {
      const file = path.posix.normalize(word).replace(/^\.\//, '');
      // Only files of the tree are read: an include out of it (`../x`, `/etc/x`) is not followed.
      const outside = file.startsWith('../') || path.posix.isAbsolute(file);
      const text = outside ? undefined : this.options.read(file);
      if (text === undefined) {
        if (!s.optional) this.incomplete ??= `${at}: include ${file}: ${outside ? 'out of the source tree, not read' : 'no such file'}`;
        continue;
      }
      const outer = this.file;
      this.file = file;
      this.includes++;
      this.statements(parseMakefile(text));
      this.includes--;
      this.file = outer;
    }
  }

  private export(names: string): void {
    if (this.active() !== 'yes') return;
    for (const name of joinText(this.expand(names, [])).split(/\s+/)) if (name) this.exports.add(name);
  }

  /** The exported variables with a value known for certain. */
  private exportedValues(): Map<string, string> {
    const out = new Map<string, string>();
    for (const name of this.exports) {
      const parts = this.variable(name, []);
      if (!firstUnknown(parts) && !firstDoubt(parts)) out.set(name, joinText(parts).trim());
    }
    return out;
  }

  // ---- conditionals (make's read.c conditional_line())

  private active(): Tri {
    return this.frames.reduce<Tri>((acc, f) => and(acc, f.branch), 'yes');
  }

  private openIf(cond: Condition, note: CondNote): void {
    const value = this.active() === 'no' ? 'no' : this.condition(cond, note);
    this.frames.push({ note, branch: value, taken: value });
  }

  private elseBranch(cond: Condition | undefined, note: CondNote): void {
    const frame = this.frames.pop();
    if (!frame) return;
    const outer = this.active();
    const value = outer === 'no' ? 'no' : cond ? this.condition(cond, note) : 'yes';
    this.frames.push({ note: frame.note, branch: and(not(frame.taken), value), taken: or(frame.taken, value) });
  }

  private condition(cond: Condition, note: CondNote): Tri {
    const at = where(this.file, note.line);
    if (cond.directive === 'ifdef' || cond.directive === 'ifndef') {
      const nameParts = this.expand(cond.args, []);
      const unknown = firstUnknown(nameParts);
      const defined = unknown ? { doubt: this.doubtOf(unknown, at, note.text) } : this.defined(joinText(nameParts).trim(), at, note.text);
      return cond.directive === 'ifdef' ? defined : not(defined);
    }
    const args = comparedArgs(cond.args);
    if (!args) return { doubt: `${at}: cannot read ${note.text}` };
    const [a, b] = args.map((arg) => this.expand(arg, []));
    const unknown = firstUnknown([...a, ...b]);
    if (unknown) return { doubt: this.doubtOf(unknown, at, note.text) };
    const doubt = firstDoubt([...a, ...b]);
    if (doubt) return { doubt };
    const equal = joinText(a).trim() === joinText(b).trim();
    return equal === (cond.directive === 'ifeq') ? 'yes' : 'no';
  }

  /** `ifdef NAME`: true when the variable has a non-empty value. */
  private defined(name: string, at: string, text: string): Tri {
    if (name.startsWith('CONFIG_')) {
      const { config } = this.options;
      if (!config) return { doubt: `needs .config: ${at} ${text}` };
      return config.get(name) ? 'yes' : 'no';
    }
    const variable = this.vars.get(name);
    if (variable) {
      const filled = variable.items.filter((i) => i.raw.trim() !== '');
      if (filled.some((i) => !i.doubt)) return 'yes';
      return filled.length > 0 ? { doubt: filled[0].doubt ?? '' } : 'no';
    }
    const preset = this.options.presets?.get(name) ?? this.options.environment?.get(name);
    if (preset !== undefined) return preset === '' ? 'no' : 'yes';
    if (OUTSIDE.test(name)) return { doubt: `${at}: ${text}: klp-lens does not evaluate ${name}` };
    return 'no';
  }

  // ---- assignments

  private assign(s: Extract<Statement, { kind: 'assign' }>): void {
    const record: AssignRecord = {
      file: this.file,
      line: s.line,
      name: s.name,
      op: s.op,
      value: s.value,
      nameConfig: this.configRead(s.name),
      targets: [],
      within: this.frames.filter((f) => f.branch !== 'no').map((f) => f.note),
    };
    this.records.push(record);
    const active = this.active();
    if (active === 'no') {
      record.skippedBy = [...this.frames].reverse().find((f) => f.branch === 'no')?.note;
      return;
    }
    const at = where(this.file, s.line);
    const nameParts = this.expand(s.name, []);
    const unknowns = nameParts.filter((p): p is Extract<Part, { unknown: string }> => 'unknown' in p);
    // A name that reads an option of a missing .config could be any of obj-y, obj-m, obj-:
    // the assignment is applied to each, in doubt.
    const opaque = unknowns.find((u) => !u.config) ?? (unknowns.length > 2 ? unknowns[2] : undefined);
    if (opaque) {
      record.nameUnknown = this.doubtOf(opaque, at, s.name);
      return;
    }
    const names = nameCandidates(nameParts);
    const nameDoubt = unknowns.length > 0 ? `needs .config: ${at} ${s.name}` : firstDoubt(nameParts);
    const doubt = active !== 'yes' ? active.doubt : nameDoubt;
    // make: a variable set on the command line overrides ordinary assignments in the makefile.
    record.targets = names.filter((n) => !this.options.presets?.has(n));
    for (const name of record.targets) this.apply(name, record, doubt);
    if (s.exported && active === 'yes') for (const name of record.targets) this.exports.add(name);
  }

  private configRead(text: string): Array<[string, string | undefined]> {
    const { config } = this.options;
    if (!config) return [];
    return [...new Set(text.match(CONFIG_NAME))].map((option) => [option, config.get(option)]);
  }

  /** make's variable.c do_variable_definition(): the flavors of `=`, `:=`, `+=`, `?=`, `!=`. */
  private apply(name: string, record: AssignRecord, doubt: string | undefined): void {
    const existing = this.vars.get(name);
    const item = (parts?: Part[]): Item => ({ record, raw: record.value, parts, doubt });
    const { op } = record;
    if (op === '+=' && existing) {
      existing.items.push(item(existing.flavor === 'simple' ? this.expand(record.value, []) : undefined));
      return;
    }
    if (op === '?=' && existing && existing.items.length > 0) return;
    const flavor = op === '=' || op === '+=' || op === '?=' ? 'recursive' : 'simple';
    const parts = op === '!=' ? [{ unknown: `$(shell ${record.value})` }] : flavor === 'simple' ? this.expand(record.value, []) : undefined;
    if (doubt === undefined || !existing) {
      for (const old of existing?.items ?? []) old.record.replacedBy ??= record;
      this.vars.set(name, { flavor, items: [item(parts)] });
      return;
    }
    // An assignment in doubt may or may not replace what was there: both stay, in doubt.
    for (const old of existing.items) old.doubt ??= `${doubt} (may replace it)`;
    existing.items.push(item(parts));
  }

  // ---- expansion (make's expand.c variable_expand_string())

  private expand(text: string, stack: string[]): Part[] {
    this.budget -= text.length + 1;
    if (this.budget < 0 || this.depth >= MAX_DEPTH) return text === '' ? [] : [{ unknown: text }];
    this.depth++;
    const parts = this.expandText(text, stack);
    this.depth--;
    return parts;
  }

  private expandText(text: string, stack: string[]): Part[] {
    const parts: Part[] = [];
    let literal = '';
    const flush = () => {
      if (literal) parts.push({ text: literal });
      literal = '';
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '$' || i + 1 >= text.length) {
        literal += c;
        continue;
      }
      const next = text[i + 1];
      if (next === '$') {
        literal += '$';
        i++;
        continue;
      }
      flush();
      if (next === '(' || next === '{') {
        const close = matchingClose(text, i + 1);
        if (close < 0) {
          parts.push({ unknown: text.slice(i) });
          return parts;
        }
        append(parts, this.reference(text.slice(i + 2, close), stack));
        i = close;
      } else {
        append(parts, this.variable(next, stack));
        i++;
      }
    }
    flush();
    return parts;
  }

  private reference(content: string, stack: string[]): Part[] {
    const call = /^([a-z-]+)[ \t]+([\s\S]*)$/.exec(content);
    if (call) return this.call(call[1], call[2], content, stack);
    const substitution = /^([^:=]+):([^=]*)=(.*)$/s.exec(content);
    if (substitution) return this.substitution(substitution[1], substitution[2], substitution[3], content, stack);
    if (content.includes(':')) return [{ unknown: `$(${content})` }];
    const nameParts = this.expand(content, stack);
    const unknown = firstUnknown(nameParts);
    if (unknown) return [{ unknown: `$(${content})`, config: unknown.config }];
    return this.variable(joinText(nameParts), stack);
  }

  /**
   * make's substitution reference `$(var:a=b)` (GNU make manual, "Substitution References";
   * `$(CONFIG_FCOE:m=y)` in ixgbe's Makefile): each word of the value ending in `a` ends in
   * `b` instead; with a `%`, as $(patsubst a,b,...).
   */
  private substitution(name: string, from: string, to: string, content: string, stack: string[]): Part[] {
    const parts = this.reference(name, stack);
    const unknown = firstUnknown(parts);
    if (unknown) return [{ unknown: `$(${content})`, config: unknown.config }];
    const [pattern, replacement] = from.includes('%') ? [from, to] : [`%${from}`, `%${to}`];
    const [prefix, suffix] = [pattern.slice(0, pattern.indexOf('%')), pattern.slice(pattern.indexOf('%') + 1)];
    const words = joinText(parts).split(/\s+/).filter(Boolean);
    const text = words
      .map((w) => (w.startsWith(prefix) && w.endsWith(suffix) && w.length >= prefix.length + suffix.length ? replacement.replace('%', w.slice(prefix.length, w.length - suffix.length)) : w))
      .join(' ');
    return [{ text, doubt: firstDoubt(parts) }];
  }

  /** The few make functions kbuild lists use; any other is not evaluated. */
  private call(fn: string, rest: string, content: string, stack: string[]): Part[] {
    const arity = fn === 'subst' ? 3 : fn === 'addprefix' || fn === 'addsuffix' ? 2 : 0;
    const args = arity > 0 ? splitArgs(rest, arity) : undefined;
    if (!args) return [{ unknown: `$(${content})` }];
    const expanded = args.map((a) => this.expand(a, stack));
    const unknown = firstUnknown(expanded.flat());
    if (unknown) return [{ unknown: `$(${content})`, config: unknown.config }];
    const doubt = firstDoubt(expanded.flat());
    const [a, b, c] = expanded.map(joinText);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    const text =
      fn === 'subst'
        ? a === ''
          ? c
          : c.split(a).join(b)
        : words(b)
            .map((w) => (fn === 'addprefix' ? a + w : w + a))
            .join(' ');
    return [{ text, doubt }];
  }

  private variable(name: string, stack: string[]): Part[] {
    const { config, presets } = this.options;
    if (name.startsWith('CONFIG_')) {
      if (!config) return [{ unknown: `$(${name})`, config: name }];
      return [{ text: config.get(name) ?? '' }];
    }
    const variable = this.vars.get(name);
    if (variable) {
      if (stack.includes(name)) return [{ unknown: `$(${name})` }];
      const parts: Part[] = [];
      for (const item of variable.items) {
        if (parts.length > 0) append(parts, [{ text: ' ' }]);
        for (const p of this.itemParts(item, [...stack, name])) {
          append(parts, ['text' in p && item.doubt && !p.doubt ? { text: p.text, doubt: item.doubt } : p]);
          this.budget -= 'text' in p ? p.text.length : 1;
        }
      }
      return parts;
    }
    const preset = presets?.get(name) ?? this.options.environment?.get(name);
    if (preset !== undefined) return [{ text: preset }];
    // make expands an undefined variable to nothing; one set outside this file is unknown here.
    return OUTSIDE.test(name) ? [{ unknown: `$(${name})` }] : [];
  }

  private itemParts(item: Item, stack: string[]): Part[] {
    return item.parts ?? this.expand(item.raw, stack);
  }

  private wordsOf(name: string): Word[] {
    const out: Word[] = [];
    for (const item of this.vars.get(name)?.items ?? []) {
      const at = where(item.record.file, item.record.line);
      for (const w of splitWords(this.itemParts(item, [name]))) {
        const doubt = item.doubt ?? w.doubt ?? (w.unknown ? this.doubtOf(w.unknown, at, w.text) : undefined);
        out.push({ text: w.text, record: item.record, doubt, pattern: w.pattern });
      }
    }
    return out;
  }

  private doubtOf(unknown: Extract<Part, { unknown: string }>, at: string, context: string): string {
    if (unknown.config) return `needs .config: ${at} ${short(context)}`;
    return `${at}: ${short(context)}: klp-lens does not evaluate ${short(unknown.unknown)}`;
  }
}
