// Markdown links from hovers to places in files: `[lpa.c:15](file:///…/lpa.c#L15)`; the
// `#L<line>` fragment (1-based) is how VS Code opens a file: link at a line.
import * as path from 'node:path';
import type { Location } from '../../common/range';
import type { AnalysisView } from '../view';

/** Markdown's link text and inline code must not break on the names a kernel uses. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

export function lineLink(view: AnalysisView, at: Location, text = `${path.basename(at.file)}:${at.range.start.line + 1}`): string {
  return `[${escapeMarkdown(text)}](${view.toUri(at.file)}#L${at.range.start.line + 1})`;
}

/** Inline code; a name holding a backtick gets a longer fence. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${text.includes('`') ? ` ${text} ` : text}${fence}`;
}
