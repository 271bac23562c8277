import { run } from './run';
import { visibleControls } from './terminalText';

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(visibleControls(`klp-lens: internal error: ${err instanceof Error ? err.stack : String(err)}\n`));
    process.exitCode = 2;
  },
);
