// The registry of checks: complete, documented, each with its fixture, and the
// README shows each check's documentation (UPDATE_README=1 rewrites the section).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../../server/src/checks/index';
import { checksMarkdown } from '../../../server/src/checks/docs';
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
