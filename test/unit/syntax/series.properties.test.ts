// Property tests: whatever the input, the parsers return (never throw, never
// hang), every location lies inside the text, and every line is accounted for.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Location } from '../../../server/src/common/range';
import { planSeries } from '../../../server/src/model/plan';
import { parsePatchedFuncsCsv } from '../../../server/src/syntax/patchedFuncsCsv';
import { parseSeries } from '../../../server/src/syntax/series';
import { readFixture } from '../../helpers/fixtures';
import { HAS_SHARED, sharedPath } from '../../helpers/shared';
import { stubFiles } from '../../helpers/stubFiles';

const lineCount = (text: string) => text.split('\n').length;
const lineText = (text: string, line: number) => text.split('\n')[line].replace(/\r$/, '');

function expectInside(text: string, file: string, locations: Location[]): void {
  for (const { file: f, range } of locations) {
    expect(f).toBe(file);
    expect(range.start.line).toBe(range.end.line);
    expect(range.start.line).toBeGreaterThanOrEqual(0);
    expect(range.start.line).toBeLessThan(lineCount(text));
    expect(range.start.character).toBeGreaterThanOrEqual(0);
    expect(range.start.character).toBeLessThanOrEqual(range.end.character);
    expect(range.end.character).toBeLessThanOrEqual(lineText(text, range.start.line).length);
  }
}

/** Series: each line with words outside comments gives one entry or some problems, never both. */
function checkSeries(text: string): void {
  const series = parseSeries(text, 's');
  expectInside(text, 's', [...series.entries.map((e) => e.location), ...series.problems.map((p) => ({ file: p.file, range: p.range }))]);
  const entryLines = series.entries.map((e) => e.location.range.start.line);
  const problemLines = new Set(series.problems.map((p) => p.range.start.line));
  expect(new Set(entryLines).size).toBe(entryLines.length);
  for (const line of entryLines) expect(problemLines.has(line)).toBe(false);
  const busy = text
    .split('\n')
    .map((l) => /[^ \t]/.test(l.replace(/\r$/, '').replace(/(^|[ \t])#[\s\S]*$/, '')))
    .filter(Boolean).length;
  expect(entryLines.length + problemLines.size).toBe(busy);
}

/** Csv: each line with words, not a comment, gives one row or one problem. */
function checkCsv(text: string): void {
  const csv = parsePatchedFuncsCsv(text, 'c');
  const rowLocations = csv.rows.flatMap((r) =>
    [r.location, r.objectLocation, r.oldFuncLocation, r.newFuncLocation, r.symposLocation, r.conditionLocation].filter(
      (l): l is Location => l !== undefined,
    ),
  );
  expectInside(text, 'c', [...rowLocations, ...csv.problems.map((p) => ({ file: p.file, range: p.range }))]);
  for (const row of csv.rows) {
    for (const word of [row.object, row.oldFunc, row.newFunc]) expect(word).toMatch(/^[^ \t]+$/);
    expect(row.oldFunc).not.toContain(',');
    expect(Number.isSafeInteger(row.sympos) && row.sympos >= 0).toBe(true);
  }
  // Blanks are spaces and tabs only (as bash's read splits a line); a lone '\r' is a word.
  const busy = text.split('\n').filter((l) => {
    const t = l.replace(/\r$/, '').replace(/^[ \t]+/, '');
    return t !== '' && !t.startsWith('#');
  }).length;
  expect(csv.rows.length + csv.problems.length).toBe(busy);
}

const SERIES_WORDS = [
  'a.patch', 'b-c.diff', 'm.c', 'd', 'd/patched_funcs.csv', '-R', '--non-replace', '--no-replace', 'name=lp', 'name=', '-p1', '-pab',
  '-p', '--bogus', 'extra', 'disable', 'unload', 'load-module', 'unload-module', '#', '# c', 'x#y', '\r', 'é', '😀',
];
const CSV_WORDS = [
  'vmlinux', 'bluetooth', 'foo', 'foo,1', 'foo,0x1f', 'foo,', ',3', 'foo,x', 'klpp_foo', 'IS_ENABLED(CONFIG_BT)', '||', '#', '\r', ',',
];
const SEPARATORS = [' ', '  ', '\t', '\n', '\r\n', ' # ', '\n\n'];

const wordsText = (words: string[]) =>
  fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...SEPARATORS)), { maxLength: 60 }).map((parts) => parts.flat().join(''));

/** A real text with random edits: a slice removed, random text inserted, a slice repeated. */
const mutated = (texts: string[]) =>
  fc
    .tuple(fc.constantFrom(...texts), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.nat(2)), { maxLength: 8 }))
    .map(([text, edits]) =>
      edits.reduce((t, [at, len, insert, how]) => {
        const i = t.length === 0 ? 0 : at % t.length;
        if (how === 0) return t.slice(0, i) + t.slice(i + len);
        if (how === 1) return t.slice(0, i) + insert + t.slice(i);
        return t.slice(0, i) + t.slice(i, i + len) + t.slice(i);
      }, text),
    );

function realCsvTexts(): string[] {
  if (!HAS_SHARED) return [];
  const root = sharedPath('corpus/github/SUSE__kernel-livepatch');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'patched_funcs.csv')
    .map((f) => readFileSync(path.join(root, f), 'utf8'));
}

const seriesTexts = [readFixture('series/series/all-forms.series'), readFixture('series/series/errors.series')];
const csvTexts = [
  readFixture('series/csv/basic/patched_funcs.csv'),
  readFixture('series/csv/errors/patched_funcs.csv'),
  ...realCsvTexts(),
];

describe('parseSeries properties', () => {
  it('random text', () => fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkSeries), { numRuns: 500 }));
  it('lines of series words', () => fc.assert(fc.property(wordsText(SERIES_WORDS), checkSeries), { numRuns: 500 }));
  it('mutated real series', () => fc.assert(fc.property(mutated(seriesTexts), checkSeries), { numRuns: 500 }));
});

describe('parsePatchedFuncsCsv properties', () => {
  it('random text', () => fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkCsv), { numRuns: 500 }));
  it('lines of csv words', () => fc.assert(fc.property(wordsText(CSV_WORDS), checkCsv), { numRuns: 500 }));
  it('mutated real csv files', () => fc.assert(fc.property(mutated(csvTexts), checkCsv), { numRuns: 500 }));
});

describe('planSeries properties', () => {
  // A tiny tree: /s/series (the random text), two patches and a module directory.
  const files: Record<string, string> = { '/s/a.patch': '', '/s/m.c': '', '/s/d/patched_funcs.csv': 'vmlinux a b' };
  const fsOf = (series: string) => stubFiles({
    readText: (p: string) => (p === '/s/series' ? series : files[p]),
    isDirectory: (p: string) => p === '/s' || p === '/s/d',
    listDir: (p: string) => (p === '/s' ? ['a.patch', 'd', 'm.c', 'series'] : p === '/s/d' ? ['patched_funcs.csv'] : undefined),
  });
  it('plans only what exists, one item per good series entry', () =>
    fc.assert(
      fc.property(wordsText(SERIES_WORDS), (text) => {
        const plan = planSeries(['/s'], undefined, fsOf(text));
        const entries = plan.series?.entries ?? [];
        const dropped = plan.problems.filter((p) => p.code === 'unreadable-input').length;
        expect(plan.items.length + dropped).toBe(entries.length);
        for (const item of plan.items) if (item.kind === 'patch') expect(Object.keys(files)).toContain(item.file);
      }),
      { numRuns: 300 },
    ));
});

describe('no hang on large inputs', () => {
  it('parses a megabyte within seconds', () => {
    const big = 'a.patch -R name=x # c\n'.repeat(25_000) + 'x'.repeat(200_000) + ' #'.repeat(100_000);
    const started = Date.now();
    expect(parseSeries(big, 's').entries.length).toBe(25_001);
    // The last line reads as a row too: obj 'xxx…', old_func '#', new_func '#', cond '# # …'.
    expect(parsePatchedFuncsCsv(big, 'c').rows.length).toBe(25_001);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
