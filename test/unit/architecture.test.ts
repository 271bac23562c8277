// The dependency rules (as Go's deps_test.go): every import of the product code must be an
// edge that ARCHITECTURE.md's layer table allows, and no import cycle may exist. The table is
// the test's input, so the document and the code cannot drift apart.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { cyclesOf, importsOf, parseLayerTable, violations, type Layer } from '../helpers/architecture';

const ROOT = path.resolve(__dirname, '../..');
const PRODUCT = ['server/src', 'client/src', 'editor/src', 'oracle/src', 'tools/src', 'bench'];

function sources(dir: string): string[] {
  const full = path.join(ROOT, dir);
  return readdirSync(full).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    return statSync(path.join(full, name)).isDirectory() ? sources(rel) : name.endsWith('.ts') ? [rel] : [];
  });
}

const files = PRODUCT.flatMap((dir) => (statSync(path.join(ROOT, dir), { throwIfNoEntry: false }) ? sources(dir) : []));
const layers: Layer[] = parseLayerTable(readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8'));
const imports = new Map(files.map((f) => [f, importsOf(f, readFileSync(path.join(ROOT, f), 'utf8'), (p) => files.includes(p))]));

it('reads the layer table and the product code', () => {
  expect(layers.length).toBeGreaterThan(10);
  expect(files.length).toBeGreaterThan(150);
});

it('every product file belongs to a layer of the table', () => {
  expect(violations(layers, new Map(files.map((f) => [f, []]))).filter((v) => v.startsWith('no layer'))).toEqual([]);
});

it('every import is an edge the table allows', () => {
  expect(violations(layers, imports)).toEqual([]);
});

it('no import cycles', () => {
  expect(cyclesOf(imports)).toEqual([]);
});

it('only server/src/lsp imports the vscode-languageserver server packages; only client/src imports vscode and vscode-languageclient', () => {
  const top = (f: string) => f.split('/').slice(0, f.startsWith('server/') ? 3 : 2).join('/');
  const importers = (pkg: RegExp) => new Set(files.filter((f) => pkg.test(readFileSync(path.join(ROOT, f), 'utf8'))).map(top));
  expect(importers(/from 'vscode-languageserver(\/[^']*|-textdocument)?'/)).toEqual(new Set(['server/src/lsp']));
  expect(importers(/from 'vscode(-languageclient[^']*)?'/)).toEqual(new Set(['client/src']));
});

it('the rules catch a forbidden edge, a file without a layer and a cycle', () => {
  const table = [{ path: 'a', knows: [] }, { path: 'b', knows: ['a'] }, { path: 'b/x.ts', knows: [] }];
  const graph = new Map([['a/1.ts', ['b/2.ts']], ['b/2.ts', ['a/1.ts', 'b/x.ts']], ['b/x.ts', ['b/2.ts']], ['c/3.ts', []]]);
  expect(violations(table, graph)).toEqual(['a/1.ts -> b/2.ts (a knows of nothing)', 'b/x.ts -> b/2.ts (b/x.ts knows of nothing)', 'no layer for c/3.ts']);
  expect(cyclesOf(graph)).toEqual([['a/1.ts', 'b/2.ts', 'b/x.ts']]);
});
