// livepatchFromDiff with a FromDiffCache (and the parse and hunk function caches before it,
// as the language server reads a patch at every edit): what it read from a file whose text
// and functions did not change is not read again, a moved file's positions move, and the
// livepatch is always the one of a fresh reading.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatePatch } from '../../../bench/patchGenerator';
import { emptyKernelContext, type KernelContext } from '../../../server/src/kernel/types';
import { livepatchFromDiff, newFromDiffCache } from '../../../server/src/model/fromDiff';
import type { Livepatch } from '../../../server/src/model/livepatch';
import { moduleExportUses } from '../../../server/src/model/moduleImports';
import { Memo } from '../../../server/src/common/memo';
import { newPatchParseCache, parsePatch } from '../../../server/src/syntax/diff';
import { findHunkFunctions, newHunkFunctionCache } from '../../../server/src/syntax/hunkFunctions';
import { kernel as kernelWith } from '../../helpers/builders';
import { readFixture } from '../../helpers/fixtures';

/** A file that adds an export and a callback. */
const extra = `diff --git a/kernel/extra.c b/kernel/extra.c
--- a/kernel/extra.c
+++ b/kernel/extra.c
@@ -10,4 +10,7 @@ static int extra_value;
 int extra_get(void)
 {
+	schedule();
 	return extra_value;
 }
+EXPORT_SYMBOL(extra_get);
+KPATCH_POST_PATCH_CALLBACK(extra_post);
`;

/** A generated patch, then mails and a module's file. */
const patch = [generatePatch(5, 150).text, extra, readFixture('diff', 'git-format-patch.patch'), extra.replaceAll('extra', 'other'), readFixture('diff', 'cdrom-media-changed.patch')].join('\n');
const kernel = () => kernelWith({ symbols: { vmlinux: ['schedule', 'printk'], cdrom: ['cdrom_check_events', 'cdrom_media_changed'] } });

function fresh(text: string, k: KernelContext): Livepatch {
  const diff = findHunkFunctions(parsePatch(text, 'p.patch'));
  return livepatchFromDiff(diff, { name: 'p', replace: true, kernel: k });
}

/** Reads like LivepatchCache does: every cache kept from one reading to the next. */
function reader() {
  const parse = newPatchParseCache();
  const functions = newHunkFunctionCache();
  const fromDiff = newFromDiffCache();
  const memo = new Memo();
  const read = (text: string, k: KernelContext) => {
    const diff = findHunkFunctions(parsePatch(text, 'p.patch', parse), { cache: functions });
    const lp = livepatchFromDiff(diff, { name: 'p', replace: true, kernel: k, cache: fromDiff, memo });
    expect(lp).toEqual(fresh(text, k));
    return lp;
  };
  return { read, computed: () => fromDiff.files.computed };
}

const nonBinary = parsePatch(patch, 'p.patch').files.filter((f) => !f.isBinary).length;

describe('livepatchFromDiff with a cache', () => {
  it('reads every file once, then only the file an edit changed', () => {
    const k = kernel();
    const { read, computed } = reader();
    const first = read(patch, k);
    expect(first.exports.length + first.objects.flatMap((o) => o.callbacks).length).toBeGreaterThan(0);
    expect(computed()).toBe(nonBinary);
    read(patch, k);
    expect(computed()).toBe(nonBinary);
    read(patch.replace('+\tschedule();', '+\tschedule(); /* edited */'), k);
    expect(computed()).toBe(nonBinary + 1);
  });

  it('hands out the same frozen references and file for an unchanged file', () => {
    const k = kernel();
    const { read } = reader();
    const first = read(patch, k);
    const second = read(patch, k);
    expect(second.references[0]).toBe(first.references[0]);
    expect(Object.isFrozen(second.references[0].location.range)).toBe(true);
    // And the same file with its object: what the checks derive from it is found again by identity.
    expect(second.diff!.files.filter((f, i) => f === first.diff!.files[i])).toHaveLength(first.diff!.files.length);
  });

  it("hands out the same warning for an unchanged file whose object is unknown, a new one for the edited file", () => {
    const { read } = reader();
    const k = emptyKernelContext();
    const warnings = (lp: Livepatch) => lp.problems.filter((p) => p.code === 'unknown-build-object');
    const first = warnings(read(patch, k));
    const edited = warnings(read(patch.replace('+\tschedule();', '+\tschedule(); /* edited */'), k));
    expect(first.length).toBeGreaterThan(3);
    expect(edited.filter((p, i) => p !== first[i])).toHaveLength(1);
    expect(edited).toEqual(first);
  });

  it('moves the references and exports of files that moved, without reading them again', () => {
    const k = kernel();
    const { read, computed } = reader();
    const first = read(patch, k);
    const moved = read(`Two lines above\nthe patch.\n${patch}`, k);
    expect(computed()).toBe(nonBinary);
    const last = (lp: Livepatch) => lp.references.at(-1)!.location.range.start.line;
    expect(last(moved)).toBe(last(first) + 2);
    expect(moved.exports.map((e) => e.location.range.start.line)).toEqual(first.exports.map((e) => e.location.range.start.line + 2));
  });

  it('keeps each unchanged file\'s references list (the same array) after an edit, and makes the edited file\'s anew', () => {
    const k = kernel();
    const { read } = reader();
    const first = read(patch, k).referenceParts!;
    const edited = read(patch.replace('+\tschedule();', '+\tschedule(); printk(x);'), k).referenceParts!;
    const changed = edited.filter((list, i) => list !== first[i]);
    expect(edited.length).toBe(first.length);
    expect(changed.map((list) => list.map((r) => r.name))).toEqual([['schedule', 'printk', 'x']]);
  });

  it('makes every list anew when a function the patch changes is no longer its own (its references to it count again)', () => {
    const k = kernel();
    const { read } = reader();
    const calls = `${extra}${extra.replaceAll('extra.c', 'caller.c').replace('+\tschedule();', '+\textra_get();').replaceAll('extra_value', 'caller_value').replaceAll('int extra_get', 'int caller_get').replace('+EXPORT_SYMBOL(extra_get);\n+KPATCH_POST_PATCH_CALLBACK(extra_post);\n', '').replace('+7 @@', '+5 @@')}`;
    expect(read(calls, k).references.map((r) => r.name)).not.toContain('extra_get');
    // extra.c no longer changes extra_get: caller.c's call to it is a reference again.
    const lp = read(calls.replace('+\tschedule();\n', '').replace('@@ -10,4 +10,7 @@ static int extra_value;', '@@ -10,4 +10,6 @@ static int extra_value;'), k);
    expect(lp.references.map((r) => r.name)).toContain('extra_get');
  });

  it('looks up in Module.symvers only the names of the files an edit changed, and finds what a fresh reading finds', () => {
    const k = kernelWith({ symbols: { vmlinux: ['schedule'] }, exports: { cdrom_check_events: 'cdrom', schedule: 'vmlinux' } });
    const names: string[] = [];
    const get = k.exports.get.bind(k.exports);
    k.exports.get = (name: string) => (names.push(name), get(name));
    const memo = new Memo();
    const { read } = reader();
    // The names looked up by moduleExportUses alone (reading a file looks up its exports' names too).
    const uses = (text: string) => {
      const lp = read(text, k);
      names.length = 0;
      return moduleExportUses(memo, k, lp).map((u) => [u.symbol, u.object, u.refs.map((r) => r.location.range.start.line)]);
    };
    uses(patch);
    expect(names.length).toBeGreaterThan(50);
    const edited = patch.replace('+\tschedule();', '+\tschedule(); cdrom_check_events(cdi, 0);');
    const found = uses(edited);
    expect(names).toEqual(['schedule', 'cdrom_check_events', 'cdi']);
    expect(found).toEqual(moduleExportUses(new Memo(), k, fresh(edited, k)).map((u) => [u.symbol, u.object, u.refs.map((r) => r.location.range.start.line)]));
    expect(found.map(([symbol]) => symbol)).toContain('cdrom_check_events');
  });

  it('leaves out of the module exports it uses the functions the patch changes itself, taken file by file (Livepatch.functionParts) as function by function', () => {
    const text = generatePatch(3, 5000).text;
    const first = fresh(text, kernel());
    // The patch's references leave out what it changes (diffReferences.ts): a reference to three of its functions, made here.
    const own = first.objects.flatMap((o) => o.funcs.map((f) => f.newFunc!)).slice(0, 3);
    const k = kernelWith({ exports: Object.fromEntries(own.map((name) => [name, 'cdrom'])) });
    const read = fresh(text, k);
    const lp: Livepatch = { ...read, referenceParts: [...read.referenceParts!, own.map((name) => ({ ...read.references[0], name }))] };
    const parts = lp.functionParts!;
    expect(parts.length).toBe(lp.diff!.files.length);
    // Few names asked of many functions: the parts are read, not the functions.
    expect(own.length * parts.length).toBeLessThan(parts.reduce((n, part) => n + part.length, 0));
    const symbols = (l: Livepatch) => moduleExportUses(new Memo(), k, l).map((u) => u.symbol);
    expect(symbols(lp)).toEqual([]);
    expect(symbols({ ...lp, functionParts: undefined })).toEqual([]);
    // Once no file patches them, they are uses.
    expect(symbols({ ...lp, functionParts: parts.map(() => []), objects: [] })).toEqual(own);
  });

  it('moves a moved file once: the reading after gets the moved copy again, not a new one', () => {
    const k = kernel();
    const { read } = reader();
    read(patch, k);
    const moved = read(`One line above\n${patch}`, k);
    const again = read(`One line above\n${patch}`, k);
    expect(again.references.at(-1)).toBe(moved.references.at(-1));
  });

  it('reads every file again for another kernel (the objects come from it)', () => {
    const { read, computed } = reader();
    read(patch, kernel());
    const other = kernel();
    other.objects.delete('cdrom');
    const lp = read(patch, other);
    expect(computed()).toBe(2 * nonBinary);
    expect(lp.objects.map((o) => o.object)).not.toContain('cdrom');
  });

  it('takes no callback from a call named like an Object method, and freezes nothing of the runtime', () => {
    const text = extra.replace('+\tschedule();', '+\tconstructor(x);\n+\ttoString(y);').replace('@@ -10,4 +10,7 @@', '@@ -10,4 +10,8 @@');
    const lp = reader().read(text, kernel());
    expect(lp.problems.filter((p) => p.code !== 'unknown-build-object')).toEqual([]);
    expect(lp.objects.flatMap((o) => o.callbacks)).toEqual(['post_patch']);
    expect(Object.isFrozen(Object)).toBe(false);
  });

  it('reads as a fresh reading does after every edit of a series of random edits', () => {
    const lines = patch.split('\n');
    const edit = fc.record({
      at: fc.nat({ max: lines.length - 1 }),
      how: fc.constantFrom('change', 'insert', 'delete'),
      text: fc.constantFrom('+\tcdrom_check_events(cdi, 0);', '+EXPORT_SYMBOL(foo);', '+KLP_POST_PATCH_CALLBACK(post);', '+\tint tmp = schedule();', ' }', '', 'x'),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 6 }), (edits) => {
        const k = kernel();
        const { read } = reader();
        const current = [...lines];
        read(current.join('\n'), k);
        for (const { at, how, text } of edits) {
          const i = at % current.length;
          if (how === 'change') current[i] = text;
          else if (how === 'insert') current.splice(i, 0, text);
          else current.splice(i, 1);
          read(current.join('\n'), k);
        }
      }),
      { numRuns: 25 },
    );
  });
});
