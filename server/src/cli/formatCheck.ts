// Output of `klp-lens check` in text, json and SARIF 2.1.0. Lines and columns are 1-based here.
import type { Check } from '../checks/check';
import { SEVERITY_ORDER, type Problem, type Severity } from '../common/problem';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/** Stable order: file, then position, then severity. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
}

export function toJsonDiagnostic(p: Problem): JsonDiagnostic {
  return {
    file: p.file,
    line: p.range.start.line + 1,
    column: p.range.start.character + 1,
    endLine: p.range.end.line + 1,
    endColumn: p.range.end.character + 1,
    severity: p.severity,
    code: p.code,
    message: p.message,
  };
}

/** `rules`: the line that says which kernel's livepatch rules the check followed (kernel/capabilities.ts rulesSummary()). */
export function formatCheckText(problems: Problem[], rules?: string): string {
  const lines = problems.map((p) => {
    const d = toJsonDiagnostic(p);
    const related = (p.related ?? []).map(
      (r) => `\n    ${r.location.file}:${r.location.range.start.line + 1}:${r.location.range.start.character + 1}: ${r.message}`,
    );
    return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]${related.join('')}`;
  });
  const counts = (['error', 'warning', 'information', 'hint'] as const)
    .map((s) => [s, problems.filter((p) => p.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 ? '' : s === 'information' ? '' : 's'}`);
  if (rules !== undefined) lines.push(rules);
  lines.push(counts.length ? counts.join(', ') : 'no problems found');
  return lines.join('\n') + '\n';
}

export function formatCheckJson(problems: Problem[]): string {
  return JSON.stringify({ diagnostics: problems.map(toJsonDiagnostic) }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatCheckSarif(problems: Problem[], checks: readonly Check[], version: string): string {
  const region = (r: Problem['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'klp-lens',
            version,
            informationUri: 'https://github.com/klp-lens/klp-lens',
            rules: checks.map((c) => ({
              id: c.id,
              shortDescription: { text: c.title },
              fullDescription: { text: c.doc },
              defaultConfiguration: { level: SARIF_LEVEL[c.severity] },
            })),
          },
        },
        results: problems.map((p) => ({
          ruleId: p.code,
          level: SARIF_LEVEL[p.severity],
          message: { text: p.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: p.file }, region: region(p.range) } }],
          relatedLocations: (p.related ?? []).map((r, id) => ({
            id,
            message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: r.location.file }, region: region(r.location.range) },
          })),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
