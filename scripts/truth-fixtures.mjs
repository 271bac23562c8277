#!/usr/bin/env node
// Turns the JSON of `klp-lens changed --format json PATCH...` into the truth sample's fixtures:
// each patch beside a JSON of what the compiler changed in each object it touches.
//   node scripts/truth-fixtures.mjs changed.json test/fixtures/truth/<name>/
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) {
  console.error('usage: truth-fixtures.mjs CHANGED.json OUTDIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
let kept = 0;
for (const patch of JSON.parse(readFileSync(input, 'utf8')).patches) {
  // A patch the compiler could not judge (does not apply, does not compile) is no truth.
  if (patch.error || patch.objects.length === 0 || patch.objects.some((o) => o.error)) {
    console.error(`left out ${patch.patch}: ${patch.error ?? patch.objects.find((o) => o.error)?.error ?? 'no object compared'}`);
    continue;
  }
  const name = path.basename(patch.patch, '.patch');
  copyFileSync(patch.patch, path.join(outDir, `${name}.patch`));
  const objects = patch.objects.map((o) => ({ object: o.object, source: o.source, target: o.target, ...o.changes }));
  writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify({ objects }, null, 2) + '\n');
  kept++;
}
console.log(`${kept} patches written to ${outDir}`);
