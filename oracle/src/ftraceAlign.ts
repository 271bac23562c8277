// Which definitions of a duplicated name ftrace can attach to. /init prints each definition
// in /proc/kallsyms (K) and each ftrace record of available_filter_functions (F) with the
// names just before it; both lists are in address order and the records are a subsequence of
// the text symbols, so a record is the definition whose preceding symbols contain the
// record's predecessors in the same order.

/** Names before an entry, nearest first. */
export type Context = string[];

/** How many of a record's predecessors must be found before a definition. */
const MATCHED = 3;

/** For each definition (in address order), whether an ftrace record matches it. */
export function tracedDefinitions(definitions: Context[], records: Context[]): boolean[] {
  // As many records as definitions (a unique name with its record, most often): all are traced.
  if (records.length >= definitions.length) return definitions.map(() => true);
  const traced = definitions.map(() => false);
  let from = 0;
  for (const record of records) {
    const want = record.slice(0, MATCHED);
    for (let d = from; d < definitions.length; d++) {
      if (isOrderedSubsequence(want, definitions[d])) {
        traced[d] = true;
        from = d + 1;
        break;
      }
    }
  }
  return traced;
}

function isOrderedSubsequence(want: string[], within: string[]): boolean {
  let at = 0;
  for (const name of within) if (at < want.length && name === want[at]) at++;
  return at === want.length;
}
