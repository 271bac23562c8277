import type { Check } from './check';
import type { ProblemDoc } from './inputProblems';

/** The README's checks section: a table, then each check's documentation paragraph. */
export function checksMarkdown(checks: readonly Check[]): string {
  const table = [
    '| id | default severity | what |',
    '|---|---|---|',
    ...checks.map((c) => `| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.title} |`),
  ].join('\n');
  return [table, ...checks.map((c) => `### ${c.id}\n\n${c.doc}`)].join('\n\n');
}

/** The page each problem code links to (docs/problems/<id>.md, bundled with the extension). */
export function problemPage(p: ProblemDoc, severity?: string): string {
  return [`# ${p.id}`, '', `**${p.title}**${severity ? ` (default severity: ${severity})` : ''}`, '', p.doc, ''].join('\n');
}
