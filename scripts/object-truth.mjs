#!/usr/bin/env node
// The truth of which source file a kernel build compiled into which object, from the DWARF of
// its debug package: each compile unit's DW_AT_name is the source file it was compiled from.
//
//   apt-get download linux-image-6.1.0-56-amd64-dbg && dpkg -x linux-image-*-dbg_*.deb dbg
//   node scripts/object-truth.mjs dbg > object-truth.tsv
//
// Prints `file<TAB>object` lines, sorted: files as paths in the source tree (normalized:
// amdgpu's `drivers/gpu/drm/amd/amdgpu/../display/dc/core/dc.c` is `drivers/gpu/drm/amd/display/dc/core/dc.c`),
// objects as the kernel names them (vmlinux, or the module's name with '-' as '_'). modpost's
// generated `*.mod.c` are left out. Needs readelf (binutils).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node scripts/object-truth.mjs DBG_ROOT (the unpacked linux-image-<abi>-dbg package)');
  process.exit(2);
}

/** The compile units' names of an ELF file with DWARF (`readelf --dwarf-depth=1` lists only them). */
function compileUnits(file) {
  const out = execFileSync('readelf', ['--debug-dump=info', '--dwarf-depth=1', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const names = [];
  let inUnit = false;
  for (const line of out.split('\n')) {
    if (line.includes('DW_TAG_compile_unit')) inUnit = true;
    else if (inUnit && line.includes('DW_AT_name')) {
      names.push(line.slice(line.lastIndexOf(': ') + 2).trim());
      inUnit = false;
    }
  }
  return names;
}

/** A compile unit's name as a path in the source tree: assembler units carry the build's absolute path. */
function treePath(name) {
  return path.posix.normalize(name.replace(/^\/.*?\/linux-[^/]+\//, ''));
}

function files(dir, suffix) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .map((f) => path.join(dir, f))
    .sort();
}

const debug = path.join(root, 'usr/lib/debug');
const objects = [...files(path.join(debug, 'boot'), '').filter((f) => path.basename(f).startsWith('vmlinux-')).map((f) => [f, 'vmlinux'])];
for (const ko of files(path.join(debug, 'lib/modules'), '.ko')) objects.push([ko, path.basename(ko, '.ko').replace(/-/g, '_')]);

const lines = new Set();
for (const [file, object] of objects) {
  for (const unit of compileUnits(file)) if (!unit.endsWith('.mod.c')) lines.add(`${treePath(unit)}\t${object}`);
}
process.stdout.write([...lines].sort().join('\n') + '\n');
