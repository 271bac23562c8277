// `npm start`: builds and packs the extension, installs code-server once (a real VS Code,
// cached in .cache/code-server), installs the .vsix into it and opens examples/ in it, then
// prints the URL and serves until Ctrl+C.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../server/src/common/packageRoot';
import { ensureCodeServer } from './codeServer';
import { kernelSettingsHere } from './kernelSettings';
import { launchCodeServer } from './launch';
import { packageExtension } from './vsix';

const DEFAULT_PORT = 8080;

export async function start(log: (line: string) => void): Promise<void> {
  const root = packageRoot();
  const vsix = await packageExtension(log);
  const bin = await ensureCodeServer(log);
  const examples = path.join(root, 'examples');
  const settings = kernelSettingsHere(examples);
  log(`kernel: ${settings['klpLens.kernel.buildDir'] ?? 'the running kernel'}`);
  const editor = path.join(root, '.cache', 'editor');
  const server = await launchCodeServer({
    bin,
    workspace: examples,
    extensionsDir: path.join(editor, 'extensions'),
    userDataDir: path.join(editor, 'user-data'),
    settings,
    // Taken: launchCodeServer picks a free one.
    port: Number(process.env.KLP_PORT) || DEFAULT_PORT,
    vsix,
    log,
  });
  process.stdout.write(
    `\nLivepatch Lens ${path.basename(vsix, '.vsix').replace(/^klp-lens-/, '')} (${kib(vsix)} KiB .vsix) is open on examples/ in VS Code (code-server):\n\n    ${server.url}\n\nCtrl+C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping code-server`);
      void server.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function kib(file: string): number {
  return Math.round(statSync(file).size / 1024);
}
