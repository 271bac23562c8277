import type { Check } from './check';

/** The README's checks section: one entry per check with its documentation paragraph. */
export function checksMarkdown(checks: readonly Check[]): string {
  const table = [
    '| id | default severity | what |',
    '|---|---|---|',
    ...checks.map((c) => `| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.title} |`),
  ];
  const sections = checks.map((c) => `### ${c.id}\n\n${c.doc}`);
  return [...table, '', ...sections].join('\n\n').replace(/\|\n\n\|/g, '|\n|');
}
