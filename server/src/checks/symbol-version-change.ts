// An #include added to a kernel source file, under CONFIG_MODVERSIONS.
//
// With CONFIG_MODVERSIONS, genksyms computes a CRC for each exported symbol from the full
// expansion of the types in its declaration as the file sees them (scripts/genksyms); a header
// that completes a type the file only knew as `struct x;` changes the CRC of every export whose
// signature reaches it. The livepatch module is then built against symbols whose versions
// disagree with the running kernel's, kpatch-build warns "Version disagreement for symbol" and
// the loader refuses the module (kernel/module/version.c check_version(): "disagrees about
// version of symbol"). kpatch's test/integration/*/symvers-disagreement-FAIL.patch is this case.
import type { Memo } from '../common/memo';
import { problem, type Problem } from '../common/problem';
import type { KernelContext } from '../kernel/types';
import { lineLocation, sideLines } from '../syntax/hunkLines';
import type { Check } from './check';
import { problemsPerFileGroup } from './diffFileResults';
import type { FileGroup } from './diffFunctions';

export interface SymbolVersionChangeData {
  /** The header as written, e.g. `<linux/blktrace_api.h>`. */
  header: string;
  /** The source file it is added to. */
  file: string;
}

const C_FILE = /\.[ch]$/;

/**
 * Headers that cannot complete a type an existing export uses: the livepatch tools' own (kpatch's
 * kmod/patch/kpatch-macros.h and kpatch-syscall.h, include/linux/livepatch.h, klp-build's
 * livepatch_helpers.h / livepatch_external.h: macros and klp types only) and linux/version.h
 * (macros only).
 */
const HARMLESS = /^["<](kpatch-macros\.h|kpatch-syscall\.h|linux\/livepatch\.h|linux\/livepatch_\w+\.h|livepatch_\w+\.h|linux\/version\.h)[">]$/;

export const check: Check<SymbolVersionChangeData> = {
  id: 'symbol-version-change',
  severity: 'warning',
  title: 'An added #include can change the CRCs of exported symbols (CONFIG_MODVERSIONS)',
  doc:
    'With `CONFIG_MODVERSIONS` (set in most distribution kernels), genksyms computes a CRC for every ' +
    'exported symbol from the full expansion of the types in its declaration as the file sees them. A ' +
    'header added to a file can complete a type the file only knew by name, and so change the CRC of the ' +
    'file\'s exports and of the symbols other code uses through them. The livepatch module is then built ' +
    'against symbol versions that disagree with the running kernel\'s: kpatch-build warns "Version ' +
    'disagreement for symbol" and the module loader refuses the module ("disagrees about version of ' +
    'symbol", kernel/module/version.c check_version()); kpatch\'s symvers-disagreement-FAIL test. Declare ' +
    'what the new code needs instead of including a header, or check that no CRC changes. Not reported ' +
    'when the kernel\'s .config is known and lacks `CONFIG_MODVERSIONS`, nor for the livepatch tools\' own ' +
    'headers (kpatch-macros.h, linux/livepatch.h, ...) and linux/version.h, which define no type an export uses.',
  run(ctx) {
    if (!mayVersionSymbols(ctx.kernel)) return [];
    return problemsPerFileGroup(ctx, check.id, (g) => problemsOf(ctx.memo, g));
  },
};

/** Symbols carry versions unless the known .config says otherwise (include/linux/export.h, CONFIG_MODVERSIONS). */
function mayVersionSymbols(kernel: KernelContext): boolean {
  return !kernel.has.config || kernel.config?.get('CONFIG_MODVERSIONS') === 'y';
}

function problemsOf(memo: Memo, { lp, path, files }: FileGroup): Problem<SymbolVersionChangeData>[] {
  if (!C_FILE.test(path)) return [];
  return files.flatMap((file) =>
    file.hunks.flatMap((hunk) =>
      sideLines(memo, hunk, 'new')
        .filter(({ line, tokens }) => line.kind === 'add' && tokens[0]?.text === '#' && tokens[1]?.text === 'include')
        .flatMap(({ line }) => {
          const header = /#\s*include\s*(\S+)/.exec(line.text)?.[1] ?? '';
          if (HARMLESS.test(header)) return [];
          return problem(
            check.id,
            check.severity,
            lineLocation(lp.file, line),
            `\`#include ${header}\` added to ${path}: under CONFIG_MODVERSIONS a header that completes a type used by an ` +
              'exported symbol changes its CRC (genksyms), and the livepatch module then disagrees with the running kernel ' +
              'about that symbol\'s version and does not load ("disagrees about version of symbol")',
            { data: { header, file: path } },
          );
        }),
    ),
  );
}
