// `klp-lens convert MODULE.ko... [--output FILE]`: klp symbols into livepatch relocation
// sections (klpConvert/convert.ts). The original is never lost: with --output the module is
// left as it is; in place, it is kept beside as MODULE.ko.orig first, and the converted module
// replaces it by a rename, so a failure leaves the original.
import { copyFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { convertKlpRelocations } from '../klpConvert/convert';
import type { CliArgs, Output } from './args';
import { readRegularFile } from '../common/fileRead';

export function convert(args: CliArgs, out: Output): number {
  if (args.output !== undefined && args.paths.length !== 1) {
    out.stderr('klp-lens: convert --output takes one module\n');
    return 2;
  }
  let failed = false;
  for (const file of args.paths) {
    const read = readRegularFile(file, args.limits.kernelBytes);
    if (!read.ok) {
      out.stderr(`klp-lens: cannot read ${file}: ${read.reason}\n`);
      return 2;
    }
    const bytes = read.bytes;
    const result = convertKlpRelocations(bytes);
    if (!result.ok) {
      out.stderr(`klp-lens: ${file}: not converted: ${result.error}\n`);
      failed = true;
      continue;
    }
    const { symbols, sections } = result.conversion;
    if (symbols.length === 0) {
      out.stdout(`${file}: no klp symbols, nothing to convert\n`);
      continue;
    }
    const target = args.output ?? file;
    if (target === file && !existsSync(`${file}.orig`)) copyFileSync(file, `${file}.orig`);
    writeFileSync(`${target}.klp-lens-tmp`, result.conversion.bytes);
    renameSync(`${target}.klp-lens-tmp`, target);
    out.stdout(
      `${target}: ${symbols.length} klp symbol${symbols.length === 1 ? '' : 's'} (${symbols.map((s) => s.name).join(', ')}) in ` +
        `${sections.map((s) => `${s.name} (${s.relocations})`).join(', ')}` +
        `${target === file ? `; the original is ${file}.orig` : ''}\n`,
    );
  }
  return failed ? 1 : 0;
}
