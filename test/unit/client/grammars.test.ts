// The TextMate grammars in syntaxes/: valid JSON, regexes that compile and mean the same
// in JavaScript as in Oniguruma (as far as a check of the syntax can tell), and the scopes
// they give to the sample files (tokenized by textmate.ts, a small emulation).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../helpers/fixtures';
import { grammarIncludes, grammarRegexes, Tokenizer, type RawGrammar, type Token } from './textmate';

const SYNTAXES = path.resolve(__dirname, '../../../syntaxes');
const load = (file: string) => JSON.parse(readFileSync(path.join(SYNTAXES, file), 'utf8')) as RawGrammar;
const SERIES = load('klp-series.tmLanguage.json');
const DIFF_C = load('diff-c.injection.tmLanguage.json');

/** Oniguruma constructs that JavaScript lacks or reads differently. */
function onigurumaOnly(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/\\(.)/g)) if ('hHAzZGKRXy'.includes(m[1])) found.push(m[0]);
  const plain = source.replace(/\\./g, 'E');
  for (const m of plain.matchAll(/\(\?[>imx~-]|[*+?}]\+|\[\[:|&&/g)) found.push(m[0]);
  return found;
}

/** The scopes of the token with exactly this text on a line, innermost last. */
function scopesOf(line: Token[], text: string): string[] {
  const token = line.find((t) => t.text === text);
  if (!token) throw new Error(`no token '${text}' in ${JSON.stringify(line.map((t) => t.text))}`);
  return token.scopes;
}

describe.each([
  ['klp-series.tmLanguage.json', SERIES],
  ['diff-c.injection.tmLanguage.json', DIFF_C],
])('%s', (_, grammar) => {
  it('has regexes that compile in JavaScript and use nothing Oniguruma reads differently', () => {
    const regexes = grammarRegexes(grammar);
    expect(regexes.length).toBeGreaterThan(5);
    for (const { where, source } of regexes) {
      expect(() => new RegExp(source, 'd'), where).not.toThrow();
      expect(onigurumaOnly(source), where).toEqual([]);
    }
  });

  it('includes only its own rules and source.c', () => {
    for (const include of grammarIncludes(grammar)) {
      if (include.startsWith('#')) expect(grammar.repository).toHaveProperty(include.slice(1));
      else expect(include).toBe('source.c');
    }
  });
});

describe('the Oniguruma check', () => {
  it('finds what JavaScript would misread', () => {
    expect(onigurumaOnly('\\h+\\G(?>a)(?i)b*+[[:alpha:]]')).toEqual(['\\h', '\\G', '(?>', '(?i', '*+', '[[:']);
    expect(onigurumaOnly('^(\\+)(?!\\+\\+ )\\*+')).toEqual([]);
  });
});

describe('series grammar', () => {
  const lines = new Tokenizer(SERIES).tokenize(readFixture('client', 'grammar', 'sample.series'));
  const at = (start: string) => lines[readFixture('client', 'grammar', 'sample.series').split('\n').findIndex((l) => l.startsWith(start))];

  it('uses match rules only, so that each line stands alone', () => {
    expect(grammarRegexes(SERIES).every((r) => r.where.endsWith('.match'))).toBe(true);
  });

  it('marks comments at the start of a line and after a blank, not inside a path', () => {
    expect(lines[0].map((t) => t.scopes.at(-1))).toEqual(['punctuation.definition.comment.klp-series', 'comment.line.number-sign.klp-series']);
    expect(scopesOf(at('cmdline.patch'), 'cmdline.patch').at(-1)).toBe('string.unquoted.path.klp-series');
    expect(scopesOf(at('cmdline.patch'), ' a replace patch (kpatch-build\'s default)')).toContain('comment.line.number-sign.klp-series');
    expect(scopesOf(at('odd#name.patch'), 'odd#name.patch').at(-1)).toBe('string.unquoted.path.klp-series');
  });

  it('marks the options of a patch line', () => {
    const line = at('version.patch');
    expect(scopesOf(line, '-R').at(-1)).toBe('keyword.other.option.no-replace.klp-series');
    expect(scopesOf(line, 'name').at(-1)).toBe('keyword.other.option.name.klp-series');
    expect(scopesOf(line, '=').at(-1)).toBe('punctuation.separator.key-value.klp-series');
    expect(scopesOf(line, 'lp_version').at(-1)).toBe('entity.name.type.module.klp-series');
    expect(scopesOf(at('fix.patch'), '--non-replace').at(-1)).toBe('keyword.other.option.no-replace.klp-series');
    expect(scopesOf(at('fix.patch'), '--no-replace').at(-1)).toBe('keyword.other.option.no-replace.klp-series');
    expect(scopesOf(at('fix.patch'), '-p').at(-1)).toBe('keyword.other.option.strip.klp-series');
    expect(scopesOf(at('fix.patch'), '1').at(-1)).toBe('constant.numeric.strip.klp-series');
  });

  it('marks actions and their target', () => {
    expect(scopesOf(at('disable'), 'disable').at(-1)).toBe('keyword.control.action.klp-series');
    expect(scopesOf(at('unload lp'), 'unload').at(-1)).toBe('keyword.control.action.klp-series');
    expect(scopesOf(at('disable'), 'lp_version').at(-1)).toBe('entity.name.type.module.klp-series');
    expect(scopesOf(at('load-module'), 'load-module').at(-1)).toBe('keyword.control.action.module.klp-series');
    expect(scopesOf(at('unload-module'), 'unload-module').at(-1)).toBe('keyword.control.action.module.klp-series');
    expect(scopesOf(at('unload-module'), 'cdrom').at(-1)).toBe('entity.name.type.module.klp-series');
  });

  it('marks what the server will refuse', () => {
    expect(scopesOf(at('unload-module'), 'extra').at(-1)).toBe('invalid.illegal.argument.klp-series');
    expect(scopesOf(at('stray.patch'), '--bogus').at(-1)).toBe('invalid.illegal.argument.klp-series');
    expect(scopesOf(at('stray.patch'), 'word').at(-1)).toBe('invalid.illegal.argument.klp-series');
  });
});

describe('C in patch hunks', () => {
  const HUNK = 'meta.diff.hunk.klp-lens';
  const text = readFixture('client', 'workspace', 'cmdline.patch');
  const source = text.split('\n');
  const lines = new Tokenizer(DIFF_C, ['source.diff']).tokenize(text);
  const line = (start: string) => lines[source.findIndex((l) => l.startsWith(start))];
  const only = (tokens: Token[]) => [...new Set(tokens.flatMap((t) => t.scopes))];

  it('is injected into the diff grammar with priority, but not into itself', () => {
    expect(DIFF_C.injectionSelector).toBe(`L:source.diff -${HUNK}`);
    expect((DIFF_C.repository!.hunk as { contentName: string }).contentName).toBe(HUNK);
    expect(DIFF_C.repository!.c.patterns).toContainEqual({ include: 'source.c' });
  });

  it('leaves everything outside hunks to the diff grammar', () => {
    for (const start of ['From: ', '- a bullet line', '---', ' fs/proc/cmdline.c |', 'diff --git', '--- a/', '+++ b/', '-- ', '2.39.2']) {
      expect(only(line(start)), start).toEqual(['source.diff']);
    }
  });

  it('scopes the hunk header as the diff grammar does, its function context as C', () => {
    const header = line('@@ -1,12');
    expect(scopesOf(header, '@@')).toEqual(['source.diff', 'meta.diff.range.unified', 'punctuation.definition.range.diff']);
    expect(scopesOf(header, '-1,12 +1,14').at(-1)).toBe('meta.toc-list.line-number.diff');
    const second = line('@@ -20,3');
    expect(second.at(-1)!.scopes).toContain('meta.diff.function-context.klp-lens');
  });

  it('keeps inserted and deleted lines marked and embeds their content', () => {
    const inserted = line('+\tseq_printf');
    expect(scopesOf(inserted, '+')).toEqual(['source.diff', HUNK, 'markup.inserted.diff', 'punctuation.definition.inserted.diff']);
    expect(scopesOf(inserted, '\tseq_printf(m, "%s livepatch=%d\\n", saved_command_line, 1);')).toEqual([
      'source.diff', HUNK, 'markup.inserted.diff', 'meta.embedded.line.c',
    ]);
    const deleted = line('-\tseq_puts');
    expect(scopesOf(deleted, '-')).toEqual(['source.diff', HUNK, 'markup.deleted.diff', 'punctuation.definition.deleted.diff']);
    expect(deleted.at(-1)!.scopes.slice(-2)).toEqual(['markup.deleted.diff', 'meta.embedded.line.c']);
    const context = line(' static int cmdline_proc_show');
    expect(context.at(-1)!.scopes).toEqual(['source.diff', HUNK, 'meta.embedded.line.c']);
  });

  it('recognizes preprocessor directives behind the diff marker', () => {
    const include = line('+#include');
    expect(scopesOf(include, '#')).toContain('punctuation.definition.directive.c');
    expect(scopesOf(include, 'include')).toContain('keyword.control.directive.include.c');
    expect(scopesOf(include, '"internal.h"')).toContain('string.quoted.other.include.c');
    expect(scopesOf(line(' #include <linux/fs.h>'), '<linux/fs.h>')).toContain('string.quoted.other.include.c');
  });

  it('keeps blank context lines and the no-newline marker in the hunk', () => {
    const blank = source.findIndex((l, i) => l === ' ' && i > source.findIndex((s) => s.startsWith('@@')));
    expect(only(lines[blank])).toContain(HUNK);
    expect(scopesOf(line('\\ No newline'), '\\ No newline at end of file').at(-1)).toBe('comment.line.no-newline.diff');
  });

  it('reads a plain diff -u hunk without function context up to the end of the file', () => {
    const plain = readFixture('client', 'workspace', 'version.patch').split('\n');
    const tokens = new Tokenizer(DIFF_C, ['source.diff']).tokenize(plain.join('\n'));
    expect(only(tokens[1])).toEqual(['source.diff']);
    expect(only(tokens[2])).toContain('meta.diff.range.unified');
    expect(only(tokens[2])).not.toContain('meta.diff.function-context.klp-lens');
    expect(plain[7]).toMatch(/^\+/);
    expect(scopesOf(tokens[7], '+').at(-1)).toBe('punctuation.definition.inserted.diff');
    expect(only(tokens[plain.length - 2])).toContain(HUNK);
  });
});
