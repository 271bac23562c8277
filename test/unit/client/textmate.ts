// A small TextMate tokenizer for testing this project's grammars without vscode-textmate
// (not installed): match rules, begin/while rules, captures with names ($n substituted)
// and with patterns (tokenized again inside the capture, as vscode-textmate does). It scans
// like vscode-textmate: at each position the earliest match wins, ties go to the first
// rule; while conditions are checked at the start of each line. Includes of other grammars
// (source.c) are left out. Regexes run as JavaScript regexes, which is why grammarRegexes()
// exists: the test checks each one compiles and uses nothing whose meaning differs.

export interface RawRule {
  include?: string;
  match?: string;
  begin?: string;
  while?: string;
  end?: string;
  name?: string;
  contentName?: string;
  captures?: Record<string, RawRule>;
  beginCaptures?: Record<string, RawRule>;
  whileCaptures?: Record<string, RawRule>;
  patterns?: RawRule[];
}

export interface RawGrammar {
  scopeName: string;
  patterns: RawRule[];
  repository?: Record<string, RawRule>;
  injectionSelector?: string;
}

export interface Token {
  text: string;
  scopes: string[];
}

/** Every regex of the grammar, with where it is. */
export function grammarRegexes(grammar: RawGrammar): Array<{ where: string; source: string }> {
  const found: Array<{ where: string; source: string }> = [];
  const visit = (rule: RawRule, where: string) => {
    for (const key of ['match', 'begin', 'while', 'end'] as const) {
      if (rule[key] !== undefined) found.push({ where: `${where}.${key}`, source: rule[key]! });
    }
    for (const key of ['captures', 'beginCaptures', 'whileCaptures'] as const) {
      for (const [n, c] of Object.entries(rule[key] ?? {})) visit(c, `${where}.${key}.${n}`);
    }
    (rule.patterns ?? []).forEach((p, i) => visit(p, `${where}.patterns[${i}]`));
  };
  grammar.patterns.forEach((p, i) => visit(p, `patterns[${i}]`));
  for (const [k, r] of Object.entries(grammar.repository ?? {})) visit(r, `repository.${k}`);
  return found;
}

/** Every include of the grammar. */
export function grammarIncludes(grammar: RawGrammar): string[] {
  const found: string[] = [];
  const visit = (rule: RawRule) => {
    if (rule.include) found.push(rule.include);
    for (const key of ['captures', 'beginCaptures', 'whileCaptures'] as const) Object.values(rule[key] ?? {}).forEach(visit);
    (rule.patterns ?? []).forEach(visit);
  };
  grammar.patterns.forEach(visit);
  Object.values(grammar.repository ?? {}).forEach(visit);
  return found;
}

interface Frame {
  rule: RawRule;
  scopes: string[];
}

export class Tokenizer {
  constructor(
    private readonly grammar: RawGrammar,
    private readonly baseScopes: string[] = [grammar.scopeName],
  ) {}

  /** The rules a pattern list stands for, includes resolved; other grammars are left out. */
  private expand(patterns: RawRule[]): RawRule[] {
    return patterns.flatMap((p) => {
      if (p.include === undefined) return [p];
      if (p.include === '$self') return this.expand(this.grammar.patterns);
      if (p.include.startsWith('#')) {
        const rule = this.grammar.repository?.[p.include.slice(1)];
        if (!rule) throw new Error(`unresolved include ${p.include}`);
        return rule.match || rule.begin ? [rule] : this.expand(rule.patterns ?? []);
      }
      return [];
    });
  }

  tokenize(text: string): Token[][] {
    const stack: Frame[] = [];
    return text.split('\n').map((line) => {
      const tokens: Token[] = [];
      let pos = 0;
      // Each while condition, outermost first, at the start of the line.
      for (let i = 0; i < stack.length; i++) {
        const m = this.exec(stack[i].rule.while!, line, 0, line.length);
        if (!m || m.index !== 0) {
          stack.length = i;
          break;
        }
        this.emitMatch(line, m, stack[i].rule.whileCaptures, stack[i].scopes, tokens);
        pos = m.index + m[0].length;
      }
      this.scan(line, pos, line.length, stack, tokens);
      return tokens;
    });
  }

  private scan(line: string, start: number, end: number, stack: Frame[], tokens: Token[], captureScopes?: string[], capturePatterns?: RawRule[]): void {
    let pos = start;
    while (pos <= end) {
      const top = stack[stack.length - 1];
      const scopes = captureScopes ?? top?.scopes ?? this.baseScopes;
      const rules = this.expand(capturePatterns ?? top?.rule.patterns ?? this.grammar.patterns);
      let best: { rule: RawRule; m: RegExpExecArray } | undefined;
      for (const rule of rules) {
        const m = this.exec((rule.match ?? rule.begin)!, line, pos, end);
        if (m && (!best || m.index < best.m.index)) best = { rule, m };
      }
      if (!best) break;
      const { rule, m } = best;
      if (m.index > pos) tokens.push({ text: line.slice(pos, m.index), scopes });
      const ruleScopes = rule.name ? [...scopes, rule.name] : scopes;
      if (rule.match !== undefined) {
        this.emitMatch(line, m, rule.captures, ruleScopes, tokens);
      } else {
        if (rule.while === undefined || captureScopes) throw new Error('only begin/while rules outside captures are emulated');
        this.emitMatch(line, m, rule.beginCaptures, ruleScopes, tokens);
        stack.push({ rule, scopes: rule.contentName ? [...ruleScopes, rule.contentName] : ruleScopes });
      }
      const next = m.index + m[0].length;
      if (next === pos && m[0].length === 0) break;
      pos = next;
    }
    if (pos < end) tokens.push({ text: line.slice(pos, end), scopes: captureScopes ?? stack[stack.length - 1]?.scopes ?? this.baseScopes });
  }

  private exec(source: string, line: string, from: number, end: number): RegExpExecArray | null {
    const re = new RegExp(source, 'dg');
    re.lastIndex = from;
    return re.exec(line.slice(0, end));
  }

  /** The match's tokens: each capture's scope over its characters, captures with patterns tokenized again. */
  private emitMatch(line: string, m: RegExpExecArray, captures: Record<string, RawRule> | undefined, scopes: string[], tokens: Token[]): void {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) return;
    const at: string[][] = Array.from({ length: end - start }, () => [...scopes]);
    const nested: Array<{ from: number; to: number; rule: RawRule; scopes: string[] }> = [];
    const indices = m.indices!;
    for (const [n, capture] of Object.entries(captures ?? {})) {
      const range = indices[Number(n)];
      if (!range || range[0] === range[1]) continue;
      const name = capture.name?.replace(/\$(\d+)/g, (_, i: string) => m[Number(i)] ?? '');
      for (let i = range[0]; i < range[1]; i++) if (name) at[i - start].push(...name.split(' '));
      // vscode-textmate tokenizes such a capture under the rule's scopes and its own name only.
      if (capture.patterns) nested.push({ from: range[0], to: range[1], rule: capture, scopes: name ? [...scopes, ...name.split(' ')] : scopes });
    }
    let i = start;
    while (i < end) {
      const inner = nested.find((n) => n.from === i);
      if (inner) {
        this.scan(line, inner.from, inner.to, [], tokens, inner.scopes, inner.rule.patterns);
        i = inner.to;
        continue;
      }
      let j = i + 1;
      while (j < end && !nested.some((n) => n.from === j) && at[j - start].join(' ') === at[i - start].join(' ')) j++;
      tokens.push({ text: line.slice(i, j), scopes: at[i - start] });
      i = j;
    }
  }
}
