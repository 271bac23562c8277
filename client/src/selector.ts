// The documents the language server reads: patch diffs (VS Code's own `diff` language),
// C files (the server tells whether one is a livepatch module), series files (the
// `klp-series` language this extension contributes) and SUSE's patched_funcs.csv, matched
// by name so that CSV extensions keep their language for it.
export const LANGUAGES = ['diff', 'c', 'klp-series'] as const;
export const PATCHED_FUNCS_PATTERN = '**/patched_funcs.csv';

export const DOCUMENT_SELECTOR: Array<{ scheme: 'file'; language: string } | { scheme: 'file'; pattern: string }> = [
  ...LANGUAGES.map((language) => ({ scheme: 'file' as const, language })),
  { scheme: 'file', pattern: PATCHED_FUNCS_PATTERN },
];

