import type { Check } from './check';

/** The README's checks section: a table, then each check's documentation paragraph. */
export function checksMarkdown(checks: readonly Check[]): string {
  const table = [
    '| id | default severity | what |',
    '|---|---|---|',
    ...checks.map((c) => `| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.title} |`),
  ].join('\n');
  return [table, ...checks.map((c) => `### ${c.id}\n\n${c.doc}`)].join('\n\n');
}
