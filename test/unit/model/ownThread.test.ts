// A large C module is read in a thread of its own (server/src/model/ownThread.ts) to the same
// Livepatch as on the caller's thread; the memory it returns is tested over stdio
// (test/protocol/largeModule.test.ts).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../server/src/common/packageRoot';
import { livepatchFromModule, readModuleText } from '../../../server/src/model/fromModule';
import { OWN_THREAD_CHARS, readInOwnThread } from '../../../server/src/model/ownThread';
import { CParser } from '../../../server/src/syntax/treeSitter';

const built = existsSync(path.join(packageRoot(), 'dist', 'moduleWorker.js'));
if (!built) console.warn('[klp-lens tests] dist/moduleWorker.js is not built (node scripts/build.mjs): a large module is read on the caller thread');

/** examples/lp-cdrom.c grown past OWN_THREAD_CHARS with a comment before its klp_func array, and a broken line. */
function largeModule(): string {
  const text = readFileSync(path.join(packageRoot(), 'examples', 'lp-cdrom.c'), 'utf8');
  const at = text.indexOf('static struct klp_func');
  const filler = '/* a long comment line that makes the module large */\n'.repeat(Math.ceil(OWN_THREAD_CHARS / 50));
  return `${text.slice(0, at)}${filler}int broken(void { return 1; }\n${text.slice(at)}`;
}

describe.runIf(built)('a large C module read in a thread of its own', () => {
  it('reads to the Livepatch the caller thread reads, problems and locations included', async () => {
    const parser = await CParser.create();
    const text = largeModule();
    const here = readModuleText(parser, text, '/w/lp-cdrom.c', { name: 'lp_cdrom' });
    expect(here.objects.flatMap((o) => o.funcs.map((f) => f.name))).toEqual(['cdrom_ioctl_media_changed']);
    expect(readInOwnThread({ text, file: '/w/lp-cdrom.c', name: 'lp_cdrom' })).toEqual({ livepatch: here });
    expect(livepatchFromModule(parser, text, '/w/lp-cdrom.c', { name: 'lp_cdrom' })).toEqual(here);
  });
});
