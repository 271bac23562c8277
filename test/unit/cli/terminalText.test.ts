// Workspace text in the command's output cannot drive the terminal: a series line with escape
// sequences is shown escaped on stderr, and json output keeps its value with C1 and DEL escaped.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { visibleControls } from '../../../server/src/cli/terminalText';
import { klpLens } from '../../helpers/cli';
import { fixturePath } from '../../helpers/fixtures';

const KERNEL = ['--symvers', fixturePath('cli/kernel/Module.symvers'), '--kallsyms', fixturePath('cli/kernel/kallsyms')];
/** Any C0 control but tab and newline, DEL, or C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const folder = mkdtempSync(path.join(tmpdir(), 'klp-lens-escapes-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the command on a terminal', () => {
  it('escapes C0 but tab and newline, DEL and C1, and leaves the rest', () => {
    expect(visibleControls('a\tb\nc\u001b[2J\r\u0000\u007f\u009b]ä€')).toBe('a\tb\nc\\u001b[2J\\u000d\\u0000\\u007f\\u009b]ä€');
  });

  it('escapes the bidirectional controls that reorder what a terminal shows', () => {
    expect(visibleControls('fn\u202e)(cod\u2066x\u2069\u200f')).toBe('fn\\u202e)(cod\\u2066x\\u2069\\u200f');
  });

  it('shows a series line with escape sequences escaped on stderr', async () => {
    cpSync(fixturePath('cli/series'), folder, { recursive: true });
    writeFileSync(path.join(folder, 'series'), 'lpa.c\n\u001b]0;owned\u0007\u001b[2Jevil.c\nlpb.c\n');
    const { code, stderr } = await klpLens('check', ...KERNEL, folder);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain('\\u001b]0;owned\\u0007\\u001b[2Jevil.c');
  });

  it('keeps json output the same JSON with C1 and DEL in a file name escaped', async () => {
    const name = 'lp\u009b\u007fx.c';
    const series = mkdtempSync(path.join(folder, 'json-'));
    cpSync(fixturePath('cli/series/lpa.c'), path.join(series, 'lpa.c'));
    cpSync(fixturePath('cli/series/lpb.c'), path.join(series, name));
    const { stdout } = await klpLens('check', '--format', 'json', ...KERNEL, series);
    expect(stdout).not.toMatch(RAW_CONTROL);
    const files = (JSON.parse(stdout) as { diagnostics: Array<{ file: string }> }).diagnostics.map((d) => path.basename(d.file));
    expect(files).toContain(name);
  });
});
