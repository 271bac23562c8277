// The registry of checks: complete, documented, each with its fixture, and the
// README shows each check's documentation (UPDATE_README=1 rewrites the section).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../server/src/checks/index';
import { checksMarkdown, problemPage } from '../../../server/src/checks/docs';
import { INPUT_PROBLEMS } from '../../../server/src/checks/inputProblems';
import { fixturePath } from '../../helpers/fixtures';

const REQUIRED = [
  'exported-symbol-dependency', 'overlapping-function', 'missing-replace', 'ambiguous-symbol',
  'sympos-not-found', 'unknown-symbol', 'inconsistent-sympos', 'duplicate-function',
  'dropped-function', 'incompatible-state', 'livepatch-export', 'missing-livepatch-modinfo',
  'missing-terminator', 'object-named-vmlinux', 'unknown-object', 'init-function',
  'inline-function', 'struct-layout-change', 'static-local-change', 'once-macro', 'module-jump-label',
  'no-functional-change', 'symbol-version-change', 'unsupported-file', 'changed-data', 'line-shift', 'compiler-disagreement', 'unexported-symbol',
];

describe('the checks registry', () => {
  it('has every check the engine promises, once', () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(REQUIRED));
  });

  it.each(allChecks.map((c) => [c.id, c] as const))('%s is documented and has its fixture', (id, check) => {
    expect(['error', 'warning', 'information', 'hint']).toContain(check.severity);
    expect(check.title.length).toBeGreaterThan(10);
    expect(check.doc.length).toBeGreaterThan(100);
    expect(existsSync(fixturePath('checks', id))).toBe(true);
  });

  it('the README shows every check and its documentation', () => {
    const readmePath = path.resolve(__dirname, '../../../README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const start = '<!-- checks:start -->\n';
    const end = '<!-- checks:end -->';
    const expected = `${start}${checksMarkdown(allChecks)}\n${end}`;
    const current = readme.slice(readme.indexOf(start), readme.indexOf(end) + end.length);
    if (process.env.UPDATE_README) writeFileSync(readmePath, readme.replace(current, expected));
    else expect(current, 'run UPDATE_README=1 npx vitest run test/unit/checks/registry.test.ts').toBe(expected);
  });
});

describe('the problem pages (docs/problems, each diagnostic code links to its own)', () => {
  const dir = path.resolve(__dirname, '../../../docs/problems');
  const pages = new Map([...allChecks.map((c) => [c.id, problemPage(c, c.severity)] as const), ...INPUT_PROBLEMS.map((p) => [p.id, problemPage(p)] as const)]);

  it('has one page per check and per input problem, as the registry writes them', () => {
    if (process.env.UPDATE_README) {
      for (const file of readdirSync(dir)) if (!pages.has(file.replace(/\.md$/, ''))) rmSync(path.join(dir, file));
      for (const [id, text] of pages) writeFileSync(path.join(dir, `${id}.md`), text);
    }
    expect(readdirSync(dir).sort()).toEqual([...pages.keys()].map((id) => `${id}.md`).sort());
    for (const [id, text] of pages) expect(readFileSync(path.join(dir, `${id}.md`), 'utf8'), 'run UPDATE_README=1 npx vitest run test/unit/checks/registry.test.ts').toBe(text);
  });

  it('documents every code the engine reports', () => {
    const codes = new Set<string>();
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const file = path.join(d, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) for (const m of readFileSync(file, 'utf8').matchAll(/\bproblem(?:<[^>]*>)?\('([a-z-]+)'/g)) codes.add(m[1]);
      }
    };
    walk(path.resolve(__dirname, '../../../server/src'));
    expect(codes.size).toBeGreaterThan(5);
    expect([...codes].filter((code) => !pages.has(code))).toEqual([]);
  });
});
