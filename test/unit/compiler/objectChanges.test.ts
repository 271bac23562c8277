// The comparison of two compilations, judged on objects GCC really makes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompiledObject, type CompiledObject } from '../../../server/src/compiler/compiledObject';
import { objectChanges } from '../../../server/src/compiler/objectChanges';
import { missingBuildTools } from '../../../server/src/compiler/processes';

const dir = mkdtempSync(path.join(tmpdir(), 'klp-objects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(name: string, source: string): CompiledObject {
  writeFileSync(path.join(dir, `${name}.c`), source);
  execFileSync('gcc', ['-O2', '-c', '-ffunction-sections', '-fdata-sections', '-fno-asynchronous-unwind-tables', '-o', `${name}.o`, `${name}.c`], { cwd: dir });
  const read = readCompiledObject(readFileSync(path.join(dir, `${name}.o`)));
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

const original = `
extern int printf(const char *, ...);
extern void sink(int *);
int counter = 1;
static int helper(int x) { return x * 3 + counter; }
int __attribute__((noinline)) used(int x) { static int calls; calls++; return helper(x) + calls; }
int other(int y) { printf("other %d\\n", y); return y + 1; }
void keeps(void) { int v = 2; sink(&v); }
`;

describe.skipIf(missingBuildTools()?.includes('gcc'))('objectChanges on objects gcc makes', () => {
  it('finds nothing between two compilations of the same source', () => {
    const changes = objectChanges(compile('a', original), compile('b', original));
    expect(changes).toEqual({ patched: [], changed: [], added: [], removed: [], changedData: [], addedData: [] });
  });

  it('reports the caller of a changed inlined helper, not the helper', () => {
    const changes = objectChanges(compile('c', original), compile('d', original.replace('x * 3', 'x * 5')));
    expect(changes.changed).toEqual(['used']);
    expect(changes.patched).toEqual(['used']);
  });

  it('compares string literals by content', () => {
    const before = compile('e', original);
    expect(objectChanges(before, compile('f', original.replace('"other %d', '"Other %d'))).changed).toEqual(['other']);
    // A literal added before it moves it in .rodata.str1.1 but changes no other function.
    const moved = original.replace('void keeps(void) {', 'void keeps(void) { printf("first"); ');
    expect(objectChanges(before, compile('g', moved)).changed).toEqual(['keeps']);
  });

  it('tells new and removed functions, and changed and new data', () => {
    const next = original.replace('int counter = 1;', 'int counter = 2;\nint added_var = 7;').replace('void keeps(void)', 'void kept(void)');
    const changes = objectChanges(compile('h', original), compile('i', next));
    expect(changes).toMatchObject({ added: ['kept'], removed: ['keeps'], changedData: ['counter'], addedData: ['added_var'] });
  });

  it('counts an alias as the function it names, and does not patch init code', () => {
    const init = `int counter = 1;
static int __attribute__((section(".init.text"))) setup(void) { return counter + 1; }
int init_module(void) __attribute__((alias("setup")));
`;
    const changes = objectChanges(compile('j', init), compile('k', init.replace('counter + 1', 'counter + 2')));
    expect(changes).toMatchObject({ changed: ['setup'], patched: [] });
  });
});
