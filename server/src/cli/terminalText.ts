// What the command writes reaches a terminal, and much of it is workspace text: a series line, a
// file or function name, a line of a patch. A control character in it would be obeyed (an ESC
// sequence clears the screen, sets the window title or rewrites what was printed before; a CR
// hides the start of its line), so every write passes here: C0 controls but tab and newline, DEL
// and C1 become \uXXXX escapes, and so do the bidirectional controls (LRM, RLM, U+202A-U+202E,
// U+2066-U+2069), which reorder what the terminal shows ("Trojan Source", CVE-2021-42574). That is
// also JSON's spelling, so json and sarif output stays the same JSON (JSON.stringify leaves them raw).
import type { Output } from './args';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visibleControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `out` with every write made safe for a terminal. */
export function terminalOutput(out: Output): Output {
  return { stdout: (text) => out.stdout(visibleControls(text)), stderr: (text) => out.stderr(visibleControls(text)) };
}
