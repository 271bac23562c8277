// Which object a kernel source file is compiled into (vmlinux, a module, or neither), from
// the kbuild files of the source tree and a .config, as scripts/Makefile.build descends
// the tree and scripts/Makefile.lib turns each directory's lists into built-in.a,
// lib.a and modules (Documentation/kbuild/makefiles.rst).
import * as path from 'node:path';
import type { KbuildResolver, ObjectResolution } from './types';
import { moduleNameOf } from './types';
import { evaluateMakefile } from './makefileEval';
import { diskLister, includersOf, type DirLister } from './kbuildIncluded';
import type { Entry, KbuildLists } from './kbuildLists';
import { describeEntry, entriesFor, explainAbsence, isOpaque, kbuildLists, wordPath } from './kbuildLists';
import { topLevel, type TopLevel } from './kbuildTop';
import { DEFAULT_LIMITS, readRegularFile } from '../common/fileRead';
import { insideTree } from '../common/insideTree';

/** Reads a file of the source tree by its path relative to the tree ('drivers/cdrom/Makefile'); undefined when absent. */
export type KbuildReader = (relativePath: string) => string | undefined;

export function diskReader(sourceDir: string): KbuildReader {
  return (relativePath) => {
    const file = insideTree(sourceDir, relativePath);
    const read = file === undefined ? undefined : readRegularFile(file, DEFAULT_LIMITS.textBytes);
    return read?.ok ? read.bytes.toString('utf8') : undefined;
  };
}

/** yes, no or cannot tell, with the reason. */
interface Status {
  state: 'yes' | 'no' | 'doubt';
  why: string;
}

/** Whether a directory's objects reach vmlinux (need-builtin) and its modules modules.order (need-modorder). */
interface Reach {
  builtin: Status;
  modules: Status;
}

const SOURCE = /\.(c|S|rs)$/;
// A file #included by a .c that is itself #included ...: how deep the includers are followed.
const MAX_INCLUDERS = 3;

const yes = (why: string): Status => ({ state: 'yes', why });
const no = (why: string): Status => ({ state: 'no', why });
const doubt = (why: string): Status => ({ state: 'doubt', why });

/** Both must hold; of two doubts the second, more specific one (the file's own line over its directory's) is told. */
function and(a: Status, b: Status): Status {
  if (a.state === 'no') return a;
  if (b.state === 'no' || b.state === 'doubt') return b;
  return a.state === 'doubt' ? a : b;
}

/** One must hold; `statuses` is not empty. */
function any(statuses: Status[]): Status {
  return statuses.find((s) => s.state === 'yes') ?? statuses.find((s) => s.state === 'doubt') ?? statuses[0];
}

function certainty(entry: Entry): Status {
  return entry.doubt ? doubt(entry.doubt) : yes(describeEntry(entry));
}

export function createKbuildResolver(
  sourceDir: string,
  config: Map<string, string> | undefined,
  read: KbuildReader = diskReader(sourceDir),
  list: DirLister = diskLister(sourceDir),
): KbuildResolver {
  const dirs = new Map<string, { file: string; lists: KbuildLists } | null>();
  const reaches = new Map<string, Reach>();
  let top: TopLevel | undefined;
  let elsewhere: Map<string, Array<{ dir: string; entry: Entry }>> | undefined;
  const topOnce = (): TopLevel => (top ??= topLevel(config, read));

  /** The kbuild file of a directory: scripts/Makefile.build prefers Kbuild to Makefile. */
  function dirLists(dir: string): { file: string; lists: KbuildLists } | null {
    let cached = dirs.get(dir);
    if (cached === undefined) {
      cached = null;
      for (const name of ['Kbuild', 'Makefile']) {
        const file = dir === '' ? name : `${dir}/${name}`;
        const text = read(file);
        if (text !== undefined) {
          // scripts/Makefile.build: `src := $(obj)`, the directory; the top Makefile exports srctree.
          const here = dir === '' ? '.' : dir;
          const presets = new Map([['src', here], ['obj', here], ['srctree', '.'], ['objtree', '.']]);
          cached = { file, lists: kbuildLists(evaluateMakefile(text, file, { config, presets, environment: topOnce().environment, read })) };
          break;
        }
      }
      dirs.set(dir, cached);
    }
    return cached;
  }

  /** What a directory's kbuild file lists; for the top directory, the top Makefile's directory lists too. */
  function dirEntries(dir: string): Entry[] {
    return [...(dirLists(dir)?.lists.entries ?? []), ...(dir === '' ? topOnce().entries : [])];
  }

  /**
   * The objects kbuild files list by a path out of their own directory (amdgpu's lists name
   * `../display/dc/core/dc.o` through the Makefiles they include; kvm's `$(KVM)/kvm_main.o`
   * is ../../../virt/kvm), by the tree path of the object, found by descending the tree from
   * the top as make does (scripts/Makefile.build: a `dir/` in obj-y, obj-m or subdir-y is
   * built by a make of its own).
   */
  function listedElsewhere(): Map<string, Array<{ dir: string; entry: Entry }>> {
    if (elsewhere) return elsewhere;
    const index = new Map<string, Array<{ dir: string; entry: Entry }>>();
    const seen = new Set<string>();
    const pending = [''];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      for (const entry of dirEntries(dir)) {
        if (entry.word.pattern) continue;
        const word = wordPath(entry.word.text);
        const target = path.posix.join(dir, word);
        if (target === '..' || target.startsWith('../')) continue;
        if (word.endsWith('/')) pending.push(target.slice(0, -1));
        else if (word.startsWith('../')) index.set(target, [...(index.get(target) ?? []), { dir, entry }]);
      }
    }
    elsewhere = index;
    return index;
  }

  function reach(dir: string): Reach {
    if (dir === '') return { builtin: yes('the top directory'), modules: yes('the top directory') };
    const known = reaches.get(dir);
    if (known) return known;
    const builtin: Status[] = [];
    const modules: Status[] = [];
    const weak: Status[] = [];
    for (const ancestor of ancestorsOf(dir)) {
      const entries = entriesFor(dirEntries(ancestor), `${relativeTo(ancestor, dir)}/`);
      if (entries.length === 0) continue;
      const up = reach(ancestor);
      for (const entry of entries) {
        const listedAs = certainty(entry);
        if (isOpaque(entry)) {
          weak.push(and(and(up.builtin, up.modules), listedAs));
        } else if (entry.kind === 'obj-y') {
          // Makefile.lib: a dir/ in obj-y becomes dir/built-in.a and dir/modules.order only
          // where the directory itself has need-builtin / need-modorder.
          builtin.push(and(up.builtin, listedAs));
          modules.push(and(up.modules, listedAs));
        } else if (entry.kind === 'obj-m') {
          builtin.push(and(listedAs, no(`${dir}/ is reached only through obj-m (${describeEntry(entry)}), so nothing in it is built in`)));
          modules.push(and(up.modules, listedAs));
        } else {
          const subdir = no(`${describeEntry(entry)}: subdir-y descends without linking into vmlinux or a module`);
          builtin.push(and(listedAs, subdir));
          modules.push(and(listedAs, subdir));
        }
      }
    }
    const missing = builtin.length > 0 ? undefined : missingReach(dir, weak);
    const result = { builtin: missing ?? any(builtin), modules: missing ?? any(modules) };
    reaches.set(dir, result);
    return result;
  }

  /** Why no kbuild file descends into `dir`: what its parent says of it, else a reference klp-lens cannot evaluate. */
  function missingReach(dir: string, weak: Status[]): Status {
    const parent = parentOf(dir);
    const listed = dirLists(parent);
    const absence = listed && explainAbsence(listed.lists, `${relativeTo(parent, dir)}/`);
    if (absence) return absence.certain ? no(`${dir}/ is not built: ${absence.why}`) : doubt(absence.why);
    if (weak.length > 0) return any(weak);
    if (!listed) return doubt(`no Kbuild or Makefile in ${parent === '' ? 'the top directory' : parent}`);
    return no(`${dir}/ is not in ${listed.file}`);
  }

  function resolveRelative(rel: string): ObjectResolution {
    const objectWord = rel.replace(SOURCE, '.o');
    const dir = parentOf(rel);
    const outcomes: Array<{ entry: Entry; object: string; status: Status; dir: string }> = [];
    const weak: Status[] = [];
    for (const ancestor of [dir, ...ancestorsOf(dir)]) {
      const listed = dirLists(ancestor);
      if (!listed) continue;
      const up = reach(ancestor);
      for (const entry of entriesFor(listed.lists.entries, relativeTo(ancestor, objectWord))) {
        if (entry.kind === 'subdir') continue;
        const status = and(entry.kind === 'obj-m' ? up.modules : up.builtin, certainty(entry));
        // A word that is only an unevaluated reference may name this file in its own
        // directory; in the directories above, such words list directories ($(ARCH_CORE)).
        if (!isOpaque(entry)) outcomes.push({ entry, object: entry.object ?? moduleNameOf(objectWord), status, dir: ancestor });
        else if (ancestor === dir) weak.push(status);
      }
    }
    if (!outcomes.some((o) => o.status.state === 'yes')) {
      for (const { dir: at, entry } of listedElsewhere().get(objectWord) ?? []) {
        if (entry.kind === 'subdir') continue;
        const up = reach(at);
        outcomes.push({ entry, object: entry.object ?? moduleNameOf(objectWord), status: and(entry.kind === 'obj-m' ? up.modules : up.builtin, certainty(entry)), dir: at });
      }
    }
    const built = outcomes.filter((o) => o.status.state === 'yes');
    if (built.length > 0) {
      const chosen = built.find((o) => o.object === 'vmlinux') ?? built[0];
      const others = [...new Set(built.map((o) => o.object).filter((o) => o !== chosen.object))];
      let reason = describeEntry(chosen.entry);
      if (chosen.entry.kind === 'lib-y') {
        reason += ': linked into vmlinux from lib.a; kpatch cannot patch lib-y objects (kpatch README: they have no fentry call)';
      }
      if (others.length > 0) reason += `; also linked into ${others.join(', ')}`;
      // make builds an object listed from another directory under that directory's path (`amdgpu/../display/dc/core/dc.o`).
      const word = wordPath(chosen.entry.word.text);
      const makeTarget = word.startsWith('../') ? `${chosen.dir}/${word}` : undefined;
      return { file: rel, object: chosen.object, reason, ...(makeTarget && { makeTarget }) };
    }
    const doubtful = outcomes.find((o) => o.status.state === 'doubt');
    if (doubtful) return unknown(rel, doubtful.status.why);
    if (outcomes.length > 0) return notBuilt(rel, `${describeEntry(outcomes[0].entry)}, but ${outcomes[0].status.why}`);
    return absent(rel, dir, objectWord, weak);
  }

  /** The file is in no list: say why if a kbuild file mentions it, else which file does not. */
  function absent(rel: string, dir: string, objectWord: string, weak: Status[]): ObjectResolution {
    for (const ancestor of [dir, ...ancestorsOf(dir)]) {
      const listed = dirLists(ancestor);
      const absence = listed && explainAbsence(listed.lists, relativeTo(ancestor, objectWord));
      if (absence) return absence.certain ? notBuilt(rel, absence.why) : unknown(rel, absence.why);
    }
    const maybe = weak.find((s) => s.state !== 'no');
    if (maybe) return unknown(rel, maybe.why);
    const listed = dirLists(dir);
    if (!listed) return unknown(rel, `no Kbuild or Makefile in ${dir === '' ? 'the top directory' : dir}`);
    return unknown(rel, `not in ${listed.file}, and no .c file near it #includes it`);
  }

  /** The file's own object; else, for a .c file, the object of a .c file that #includes it. */
  function resolveFile(rel: string, depth: number): ObjectResolution {
    const own = resolveRelative(rel);
    if (own.object !== 'unknown' || !rel.endsWith('.c') || depth >= MAX_INCLUDERS) return own;
    const found = includersOf(rel, read, list)
      .map((includer) => ({ includer, r: resolveFile(includer, depth + 1) }))
      .filter(({ r }) => r.object !== 'unknown');
    if (found.length === 0) return own;
    const chosen = found.find(({ r }) => r.object === 'vmlinux') ?? found[0];
    const others = [...new Set(found.map(({ r }) => r.object).filter((o) => o !== chosen.r.object))];
    const also = others.length > 0 ? `; also #included into ${others.join(', ')}` : '';
    const makeTarget = chosen.r.makeTarget ?? chosen.includer.replace(SOURCE, '.o');
    return { file: rel, object: chosen.r.object, reason: `#included by ${chosen.includer}, compiled into its object: ${chosen.r.reason}${also}`, makeTarget };
  }

  return {
    resolve(file: string): ObjectResolution {
      const rel = relativeInTree(sourceDir, file);
      if (rel === undefined) return unknown(file, `outside the kernel source tree ${sourceDir}`);
      if (rel.endsWith('.h')) return unknown(rel, 'a header is compiled into every object that includes it');
      if (!SOURCE.test(rel)) return unknown(rel, 'not a source file kbuild compiles into an object (.c, .S, .rs)');
      return resolveFile(rel, 0);
    },
  };
}

function unknown(file: string, reason: string): ObjectResolution {
  return { file, object: 'unknown', reason };
}

function notBuilt(file: string, why: string): ObjectResolution {
  return { file, object: 'unknown', reason: `not built: ${why}`, notBuilt: true };
}

/** The path inside the tree, '/'-separated, or undefined when the file is outside it. */
function relativeInTree(sourceDir: string, file: string): string | undefined {
  const rel = path.isAbsolute(file) ? path.relative(path.resolve(sourceDir), file) : path.normalize(file);
  const posix = rel.split(path.sep).join('/');
  if (posix === '' || posix === '.' || posix === '..' || posix.startsWith('../') || path.isAbsolute(posix)) return undefined;
  return posix;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** The directories above `dir`, nearest first, ending with the top directory ''. */
function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== ''; ) {
    d = parentOf(d);
    out.push(d);
  }
  return out;
}

function relativeTo(ancestor: string, p: string): string {
  return ancestor === '' ? p : p.slice(ancestor.length + 1);
}
