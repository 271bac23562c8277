// What one directory's kbuild file puts into vmlinux and modules, as scripts/Makefile.lib
// (Linux 6.1) reads the lists a Makefile sets (Documentation/kbuild/makefiles.rst,
// "Built-in object goals - obj-y", "Loadable module goals - obj-m", "Library file goals - lib-y",
// "Descending down in directories").
import * as path from 'node:path';
import { moduleNameOf } from './types';
import type { AssignRecord, CondNote, MakefileValues, Word } from './makefileEval';
import { where } from './makefileEval';

/** obj-y (built into vmlinux), obj-m (a module), lib-y (vmlinux through lib.a), subdir-y/m (descended, nothing linked). */
export type ListKind = 'obj-y' | 'obj-m' | 'lib-y' | 'subdir';

/** One way a word (an object `x.o` or a directory `d/`, relative to the directory) is listed. */
export interface Entry {
  kind: ListKind;
  /** The word that names the object or directory (or a part of a composite object). */
  word: Word;
  /** 'vmlinux', or the module's name; undefined when the word is a pattern (the name is the match's). */
  object?: string;
  /** The words that decided, the part first, then its composite object. */
  via: Word[];
  doubt?: string;
}

export interface KbuildLists {
  entries: Entry[];
  values: MakefileValues;
}

export function kbuildLists(values: MakefileValues): KbuildLists {
  const entries: Entry[] = [];
  const objY = values.words('obj-y');
  const certainlyBuiltIn = new Set(objY.filter((w) => !w.doubt && !w.pattern).map((w) => w.text));
  // Makefile.lib: "When an object is listed to be built compiled-in and modular, only build
  // the compiled-in version": obj-m := $(filter-out $(obj-y),$(obj-m)).
  const objM = values.words('obj-m').filter((w) => !certainlyBuiltIn.has(w.text));
  // Makefile.lib multi-search/real-search: foo.o is a composite when $(foo-objs), $(foo-y)
  // (and for obj-m $(foo-m)) or $(foo-) is set; it is linked from the parts in the first ones.
  const lists: Array<[ListKind, Word[], string[]]> = [
    ['obj-y', objY, ['-objs', '-y']],
    ['obj-m', objM, ['-objs', '-y', '-m']],
  ];
  for (const [kind, words, suffixes] of lists) {
    for (const word of words) {
      const object = word.pattern ? undefined : kind === 'obj-y' ? 'vmlinux' : moduleNameOf(word.text);
      if (word.pattern || !word.text.endsWith('.o')) {
        entries.push({ kind, word, object, via: [word], doubt: word.doubt });
        continue;
      }
      const base = word.text.slice(0, -2);
      const parts = suffixes.flatMap((s) => values.words(base + s));
      const marks = [...parts, ...values.words(`${base}-`)];
      if (!marks.some((p) => !p.doubt)) {
        // Not certainly a composite: foo.o is compiled from foo.c (in doubt if it may be one).
        entries.push({ kind, word, object, via: [word], doubt: word.doubt ?? marks[0]?.doubt });
      }
      for (const part of parts) entries.push({ kind, word: part, object, via: [part, word], doubt: part.doubt ?? word.doubt });
    }
  }
  // Makefile.lib: lib-y := $(filter-out $(obj-y), $(sort $(lib-y) $(lib-m))).
  for (const word of [...values.words('lib-y'), ...values.words('lib-m')]) {
    if (!certainlyBuiltIn.has(word.text)) entries.push({ kind: 'lib-y', word, object: 'vmlinux', via: [word], doubt: word.doubt });
  }
  // subdir-y/subdir-m name directories without the trailing '/'.
  for (const word of [...values.words('subdir-y'), ...values.words('subdir-m')]) {
    const dirWord = word.pattern ? word : { ...word, text: word.text.replace(/\/?$/, '/') };
    entries.push({ kind: 'subdir', word: dirWord, via: [word], doubt: word.doubt });
  }
  return { entries, values };
}

/** Whether some $(foo-objs), $(foo-y), $(foo-m) or $(foo-) certainly makes foo.o a composite object. */
function isComposite(values: MakefileValues, object: string): boolean {
  const base = object.slice(0, -2);
  return ['-objs', '-y', '-m', '-'].some((s) => values.words(base + s).some((w) => !w.doubt));
}

/** A word as the path make reads it, relative to the directory: `./x.o` is `x.o`, `a/../b/` is `b/`. */
export function wordPath(text: string): string {
  return path.posix.normalize(text);
}

/** The entries naming `target` (`x.o`, `sub/x.o` or `d/`, relative to the directory). */
export function entriesFor(entries: Entry[], target: string): Entry[] {
  return entries.filter((e) => (e.word.pattern ? e.word.pattern.test(target) : wordPath(e.word.text) === target));
}

/**
 * A word that is only a reference klp-lens cannot evaluate (the top Kbuild's $(ARCH_CORE))
 * could stand for anything: it is weighed only when nothing else names the target.
 */
export function isOpaque(entry: Entry): boolean {
  return entry.word.pattern !== undefined && /^\^(\.\*)+\$$/.test(entry.word.pattern.source);
}

/** `fs/proc/Makefile:16: proc-y += cmdline.o; fs/proc/Makefile:6: obj-y += proc.o`. */
export function describeEntry(entry: Entry): string {
  return entry.via.map((w) => describeRecord(w.record, w.text)).join('; ');
}

/** `drivers/cdrom/Makefile:2: obj-$(CONFIG_CDROM) += cdrom.o (CONFIG_CDROM=m)`. */
function describeRecord(record: AssignRecord, word: string): string {
  const notes = record.nameConfig.map(describeOption);
  for (const c of record.within) notes.push(`under ${describeCondition(record.file, c)}`);
  const suffix = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  return `${where(record.file, record.line)}: ${record.name} ${record.op} ${word}${suffix}`;
}

/** `fs/Makefile:20 ifeq ($(CONFIG_BLOCK),y) with CONFIG_BLOCK=y`. */
function describeCondition(file: string, c: CondNote): string {
  const values = c.config.length > 0 ? ` with ${c.config.map(describeOption).join(', ')}` : '';
  return `${where(file, c.line)} ${c.text}${values}`;
}

function describeOption([option, value]: [string, string | undefined]): string {
  return value === undefined ? `${option} is not set` : `${option}=${value}`;
}

export interface Absence {
  /** false when the reason is something klp-lens could not evaluate. */
  certain: boolean;
  why: string;
}

/**
 * Why `target` is in none of the lists although the file mentions it: a branch not taken,
 * a list replaced later, a CONFIG_ option that is not set, a composite object that is not
 * built. Undefined when no assignment mentions it.
 */
export function explainAbsence(lists: KbuildLists, target: string): Absence | undefined {
  const absence = absenceOf(lists, target, 0);
  const { incomplete } = lists.values;
  return absence?.certain && incomplete ? { certain: false, why: `${absence.why}, but ${incomplete}` } : absence;
}

function absenceOf(lists: KbuildLists, target: string, depth: number): Absence | undefined {
  const records = lists.values.records.filter((r) => r.value.split(/\s+/).some((w) => w !== '' && wordPath(w) === target));
  if (records.length === 0) return undefined;
  const unknown = records.find((r) => r.nameUnknown);
  if (unknown?.nameUnknown) return { certain: false, why: unknown.nameUnknown };
  const r = records[records.length - 1];
  const said = describeRecord(r, target);
  if (r.skippedBy) return { certain: true, why: `${said} is in a branch not taken of ${describeCondition(r.file, r.skippedBy)}` };
  if (r.replacedBy) return { certain: true, why: `${said} is replaced by ${describeRecord(r.replacedBy, r.replacedBy.value)}` };
  if (depth === 0 && target.endsWith('.o') && isComposite(lists.values, target)) {
    return { certain: true, why: `${said}: ${target} is a composite object, linked from its parts, not compiled from a source of its name` };
  }
  const composite = r.targets.map((t) => /^(.+)-(objs|y|m)$/.exec(t)).find((m) => m !== null);
  if (composite && depth === 0) {
    const [, base, suffix] = composite;
    const object = `${base}.o`;
    const builtIn = lists.values.words('obj-y').some((w) => w.text === object && !w.doubt);
    if (builtIn && suffix === 'm') {
      return { certain: true, why: `${said}, but ${object} is built in and a built-in composite takes only ${base}-y and ${base}-objs (scripts/Makefile.lib real-search)` };
    }
    const parent = absenceOf(lists, object, depth + 1);
    return { certain: parent?.certain ?? true, why: parent ? `${said}, and ${object} is not built: ${parent.why}` : `${said}, but no list names ${object}` };
  }
  if (r.nameConfig.length > 0) return { certain: true, why: said };
  const names = r.targets.length > 0 ? r.targets.join(', ') : r.name;
  // Another makefile that includes this one may read the variable (amdgpu's Makefile reads pm/'s AMD_POWERPLAY_FILES).
  return { certain: false, why: `${said}: ${names} is not a list kbuild links (obj-y, obj-m, lib-y or a composite's parts) here` };
}
