// The editor commands behind `npm start`, `npm run package` and `npm run test:electron`
// (scripts/editor.mjs bundles this file to dist/editor.js and runs it). Exit 0 on success,
// 1 with a one-line reason on stderr on a failure, 2 on a wrong command line.
import { errorMessage } from '../../server/src/common/problem';
import { ToolError } from '../../tools/src/toolError';
import { testElectron } from './electron';
import { kib, start } from './start';
import { packageExtension } from './vsix';
import { zipEntries } from './zip';

const USAGE = 'usage: node scripts/editor.mjs start | package | test-electron';

const log = (line: string) => process.stderr.write(`klp-lens: ${line}\n`);

async function packageCommand(): Promise<void> {
  const vsix = await packageExtension(log);
  const files = (await zipEntries(vsix)).filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length));
  process.stdout.write(`${vsix} (${kib(vsix)} KiB, ${files.length} files: ${files.join(', ')})\n`);
}

const COMMANDS = new Map<string, () => Promise<void>>([
  ['start', () => start(log)],
  ['package', packageCommand],
  ['test-electron', () => testElectron(log)],
]);

async function main(args: string[]): Promise<number> {
  const command = args.length === 1 ? COMMANDS.get(args[0]) : undefined;
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    await command();
    return 0;
  } catch (err) {
    // A failure of the machinery (download, install, build) has a one-line reason; anything else is a bug.
    const reason = err instanceof ToolError ? err.message : `internal error: ${err instanceof Error ? err.stack : errorMessage(err)}`;
    process.stderr.write(`klp-lens ${args[0]}: ${reason}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
