// What both editor-tier files share: code-server with the packaged extension on a copy of
// examples/, Chromium on it, and steps that each leave a screenshot.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureCodeServer } from '../../editor/src/codeServer';
import { launchCodeServer, type CodeServer } from '../../editor/src/launch';
import { vscePackage } from '../../editor/src/vsix';
import { packageRoot } from '../../server/src/common/packageRoot';
import { ensurePackages } from '../../tools/src/apt';
import { launchChromium, logTail, Workbench } from './vscodeDriver';

export interface Tour {
  tmp: string;
  /** The copy of examples/ the editor has open (the steps edit it). */
  workspace: string;
  server: CodeServer;
  browser: Browser;
  bench: Workbench;
}

/** Installs what is missing, packs the extension (dist/ as the build made it), opens a copy of examples/ in code-server and Chromium. */
export async function startTour(prefix: string, settings: Record<string, unknown>, log: (line: string) => void): Promise<Tour> {
  await ensurePackages(['chromium'], log);
  const bin = await ensureCodeServer(log);
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  // dist/ as npm test (or npm run test:e2e) built it: rebuilding it here would race the
  // other test files that spawn dist/server.js.
  const vsix = path.join(tmp, 'klp-lens.vsix');
  await vscePackage(vsix, log);
  const workspace = path.join(tmp, 'examples');
  cpSync(path.join(packageRoot(), 'examples'), workspace, { recursive: true });
  const server = await launchCodeServer({
    bin,
    workspace,
    vsix,
    extensionsDir: path.join(tmp, 'extensions'),
    userDataDir: path.join(tmp, 'user-data'),
    // The example kernel, whatever kernel this machine has, unless the file says otherwise.
    settings: { 'klpLens.kernel.buildDir': path.join(workspace, 'kernel'), ...settings },
    // A cache folder of its own: the kernel's artifacts are read as on a first use (the tour shows
    // the progress of reading one), whatever earlier runs left in this machine's cache.
    env: { XDG_CACHE_HOME: path.join(tmp, 'cache') },
    log,
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const bench = new Workbench(page, workspace);
  log(`opening ${server.url}`);
  await page.goto(server.url);
  await bench.ready();
  return { tmp, workspace, server, browser, bench };
}

export async function endTour(tour: Tour | undefined): Promise<void> {
  await tour?.browser.close();
  await tour?.server.stop();
  if (tour) rmSync(tour.tmp, { recursive: true, force: true });
}

export type Step = (name: string, body: (shoot: () => Promise<void>) => Promise<void>) => Promise<void>;

/**
 * Steps numbered `<prefix>NN-name` in `shots`: each saves its screenshot at the end, or when the
 * body calls `shoot` (to catch something passing), and on failure adds the logs to the error.
 */
export function stepper(shots: string, prefix: string, tour: () => Tour | undefined): Step {
  let shot = 0;
  return async (name, body) => {
    const file = path.join(shots, `${prefix}${String(++shot).padStart(2, '0')}-${name}`);
    const current = tour();
    let taken = false;
    const shoot = async () => {
      await current?.bench.page.screenshot({ path: `${file}.png` });
      taken = true;
    };
    try {
      await body(shoot);
      if (!taken) await shoot();
    } catch (err) {
      await current?.bench.page.screenshot({ path: `${file}-FAILED.png` }).catch(() => undefined);
      const server = current?.server;
      const logs = server ? `${logTail(server.logsDir)}\n--- code-server output\n${server.output().split('\n').slice(-20).join('\n')}` : '';
      if (err instanceof Error) err.message += `\n(screenshot ${file}-FAILED.png)\n${logs}`;
      throw err;
    }
  };
}
