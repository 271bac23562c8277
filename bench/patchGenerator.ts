// A large, realistic patch diff for the language-server benchmark, the same for the same
// seed: a git format-patch mail over many kernel-style C files and headers, with hunks
// that change function bodies (often adding calls to exported symbols), add new
// functions, and add struct members. Each file's original text is generated first and
// the hunks are cut from it, so the line numbers, counts and diff -p contexts agree.

/** A small, fast, seedable generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const DIRS = ['drivers/cdrom', 'drivers/scsi', 'drivers/net/ethernet/acme', 'fs/proc', 'fs/ext4', 'net/ipv4', 'kernel/sched', 'mm', 'block', 'lib'];
const STEMS = ['core', 'inode', 'super', 'ioctl', 'main', 'queue', 'proc', 'sysfs', 'util', 'event', 'table', 'dev'];
const VERBS = ['get', 'set', 'check', 'update', 'handle', 'init', 'release', 'show', 'store', 'flush', 'map', 'probe'];
const NOUNS = ['events', 'state', 'media', 'queue', 'entry', 'buffer', 'flags', 'count', 'request', 'table', 'node', 'stats'];
const TYPES = ['int', 'long', 'unsigned int', 'bool', 'size_t', 'void'];
/** Exported by the bench's kernel (test/fixtures/cli/kernel/Module.symvers). */
const EXPORTED_CALLS = [
  '_printk(KERN_INFO "%s: %d\\n", __func__, ret);',
  'seq_printf(m, "%lu\\n", (unsigned long)count);',
  'ret = register_cdrom(disk, cdi);',
  'mask = cdrom_check_events(cdi, clearing);',
];
const STATEMENTS = [
  'ret = -EINVAL;',
  'count++;',
  'flags &= ~BIT(2);',
  'spin_lock(&dev->lock);',
  'spin_unlock(&dev->lock);',
  'mutex_lock(&dev->mutex);',
  'mutex_unlock(&dev->mutex);',
  'dev->state = STATE_READY;',
  'list_del_init(&entry->list);',
  'WARN_ON_ONCE(!dev);',
];

interface Edit {
  /** Where the old lines start (0-based) and how many are replaced. */
  at: number;
  remove: number;
  add: string[];
}

export interface GeneratedPatch {
  text: string;
  files: number;
  hunks: number;
}

/** A patch of at least `minLines` lines. */
export function generatePatch(seed: number, minLines: number): GeneratedPatch {
  const rng = random(seed);
  const out = [
    'From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001',
    'From: Bench Author <bench@example.org>',
    'Date: Mon, 2 Nov 2026 10:00:00 +0100',
    `Subject: [PATCH] generated livepatch fix (seed ${seed})`,
    '',
    'A generated patch for the language-server benchmark.',
    '---',
    '',
  ];
  const used = new Set<string>();
  let files = 0;
  let hunks = 0;
  while (out.length < minLines) {
    const header = files % 6 === 5;
    const dir = pick(rng, header ? ['include/linux'] : DIRS);
    let file: string;
    do file = `${dir}/${pick(rng, STEMS)}${between(rng, 0, 99)}.${header ? 'h' : 'c'}`;
    while (used.has(file));
    used.add(file);
    const prefix = file.replace(/\W/g, '_').slice(0, 12);
    const { lines, edits } = header ? headerFile(rng, prefix) : sourceFile(rng, prefix);
    const fileHunks = cutHunks(lines, edits);
    out.push(`diff --git a/${file} b/${file}`, `index ${hex(rng)}..${hex(rng)} 100644`, `--- a/${file}`, `+++ b/${file}`);
    for (const hunk of fileHunks) out.push(...hunk);
    files++;
    hunks += fileHunks.length;
  }
  out.push('-- ', '2.39.5', '');
  return { text: out.join('\n'), files, hunks };
}

const hex = (rng: Rng) => Math.floor(rng() * 0xfffffff).toString(16).padStart(7, '0');

/** A C file: includes, then functions; a few of them changed, one new function sometimes added. */
function sourceFile(rng: Rng, prefix: string): { lines: string[]; edits: Edit[] } {
  const lines = ['// SPDX-License-Identifier: GPL-2.0', '#include <linux/module.h>', '#include <linux/kernel.h>', '#include <linux/seq_file.h>', '#include <linux/cdrom.h>', ''];
  const edits: Edit[] = [];
  const count = between(rng, 10, 22);
  for (let f = 0; f < count; f++) {
    const name = `${prefix}_${pick(rng, VERBS)}_${pick(rng, NOUNS)}${f}`;
    const start = lines.length;
    lines.push(...functionLines(rng, name));
    if (rng() < 0.45) edits.push(bodyEdit(rng, lines, start));
    if (rng() < 0.08) edits.push({ at: lines.length, remove: 0, add: functionLines(rng, `${name}_new`) });
  }
  return { lines, edits };
}

function functionLines(rng: Rng, name: string): string[] {
  const type = pick(rng, TYPES);
  const head = rng() < 0.3 ? [`static ${type}`, `${name}(struct device *dev, struct seq_file *m, unsigned long flags)`] : [`static ${type} ${name}(struct device *dev, struct seq_file *m, unsigned long flags)`];
  const body = ['\tint ret = 0;', '\tunsigned long count = 0;', ''];
  const statements = between(rng, 4, 14);
  for (let s = 0; s < statements; s++) {
    if (rng() < 0.2) body.push('\tif (flags & 1) {', `\t\t${pick(rng, STATEMENTS)}`, '\t\tgoto out;', '\t}');
    else body.push(`\t${pick(rng, STATEMENTS)}`);
  }
  body.push('out:', type === 'void' ? '\treturn;' : '\treturn ret;');
  return [...(rng() < 0.3 ? ['/*', ` * ${name} - ${pick(rng, VERBS)} the ${pick(rng, NOUNS)}`, ' */'] : []), ...head, '{', ...body, '}', ''];
}

/** Replaces one to three statement lines of the function starting at `start` with new code. */
function bodyEdit(rng: Rng, lines: string[], start: number): Edit {
  const statements: number[] = [];
  for (let i = start; i < lines.length; i++) if (/^\t[a-zA-Z].*;$/.test(lines[i]) && !lines[i].includes('return')) statements.push(i);
  const at = pick(rng, statements.length > 2 ? statements.slice(2) : statements);
  const add = Array.from({ length: between(rng, 1, 4) }, () => `\t${rng() < 0.5 ? pick(rng, EXPORTED_CALLS) : pick(rng, STATEMENTS)}`);
  return { at, remove: between(rng, 0, 1), add };
}

/** A header: struct definitions, one or two of which get a new member. */
function headerFile(rng: Rng, prefix: string): { lines: string[]; edits: Edit[] } {
  const guard = `_${prefix.toUpperCase()}_H`;
  const lines = ['/* SPDX-License-Identifier: GPL-2.0 */', `#ifndef ${guard}`, `#define ${guard}`, '', '#include <linux/types.h>', ''];
  const edits: Edit[] = [];
  const count = between(rng, 4, 8);
  for (let s = 0; s < count; s++) {
    lines.push(`struct ${prefix}_${pick(rng, NOUNS)}${s} {`);
    const members = between(rng, 3, 9);
    for (let m = 0; m < members; m++) lines.push(`\t${pick(rng, ['int', 'u32', 'u64', 'unsigned long', 'void *'])} ${pick(rng, NOUNS)}_${m};`);
    if (rng() < 0.4) edits.push({ at: lines.length - 1, remove: 0, add: [`\tu32 ${pick(rng, NOUNS)}_added;`] });
    lines.push('};', '');
  }
  lines.push(`#endif /* ${guard} */`);
  return { lines, edits };
}

const CONTEXT = 3;

/** Unified-diff hunks of `edits` (sorted, non-overlapping) over `lines`, three lines of context, merged when they touch. */
function cutHunks(lines: string[], edits: Edit[]): string[][] {
  const sorted = [...edits].sort((a, b) => a.at - b.at).filter((e, i, all) => i === 0 || e.at >= all[i - 1].at + all[i - 1].remove);
  const groups: Edit[][] = [];
  for (const edit of sorted) {
    const last = groups[groups.length - 1];
    const prev = last?.[last.length - 1];
    if (prev && edit.at - (prev.at + prev.remove) <= 2 * CONTEXT) last.push(edit);
    else groups.push([edit]);
  }
  let shift = 0;
  return groups.map((group) => {
    const from = Math.max(0, group[0].at - CONTEXT);
    const lastEdit = group[group.length - 1];
    const to = Math.min(lines.length, lastEdit.at + lastEdit.remove + CONTEXT);
    const body: string[] = [];
    let cursor = from;
    let added = 0;
    let removed = 0;
    for (const edit of group) {
      for (; cursor < edit.at; cursor++) body.push(` ${lines[cursor]}`);
      for (let r = 0; r < edit.remove; r++) body.push(`-${lines[cursor++]}`);
      body.push(...edit.add.map((l) => `+${l}`));
      added += edit.add.length;
      removed += edit.remove;
    }
    for (; cursor < to; cursor++) body.push(` ${lines[cursor]}`);
    const oldCount = to - from;
    const newCount = oldCount - removed + added;
    const header = `@@ -${from + 1},${oldCount} +${from + 1 + shift},${newCount} @@${diffContext(lines, from)}`;
    shift += added - removed;
    return [header, ...body];
  });
}

/** What `diff -p` shows after the @@: the last line before the hunk that starts with a letter, `_` or `$`. */
function diffContext(lines: string[], from: number): string {
  for (let i = from - 1; i >= 0; i--) if (/^[A-Za-z_$]/.test(lines[i])) return ` ${lines[i].slice(0, 80)}`;
  return '';
}
