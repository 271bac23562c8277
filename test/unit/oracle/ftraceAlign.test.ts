// Matching ftrace records to the definitions of a duplicated name (oracle/src/ftraceAlign.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tracedDefinitions } from '../../../oracle/src/ftraceAlign';

describe('tracedDefinitions', () => {
  it('finds the definition without a record between two traced ones (s_show of kernel/trace/ in 6.1)', () => {
    // Nearest first; kernel/trace/ functions have no ftrace record, so the record before the
    // fourth s_show skips them.
    const definitions = [
      ['severities_coverage_open', 'is_copy_from_user', 'mce_wrmsrl'],
      ['get_symbol_pos', 's_stop', 'module_kallsyms_on_each_symbol'],
      ['trace_default_header', 'trace_latency_header', 'print_trace_header'],
      ['unregister_vmap_purge_notifier', 'register_vmap_purge_notifier', 'vmalloc_dump_obj'],
    ];
    const records = [
      ['severities_coverage_open', 'is_copy_from_user', 'mce_wrmsrl'],
      ['get_symbol_pos', 's_stop', 'module_kallsyms_on_each_symbol'],
      ['unregister_vmap_purge_notifier', 'register_vmap_purge_notifier', 'vmalloc_dump_obj'],
    ];
    expect(tracedDefinitions(definitions, records)).toEqual([true, true, false, true]);
  });

  it('matches a record whose predecessors are spread among notrace symbols', () => {
    const definitions = [['x', 'a', 'y', 'b', 'z', 'c'], ['c', 'b', 'a']];
    expect(tracedDefinitions(definitions, [['a', 'b', 'c']])).toEqual([true, false]);
    expect(tracedDefinitions(definitions, [['c', 'b', 'a']])).toEqual([false, true]);
  });

  it('needs no alignment when every definition has its record, or none has', () => {
    expect(tracedDefinitions([['a']], [['b']])).toEqual([true]);
    expect(tracedDefinitions([['a'], ['b']], [])).toEqual([false, false]);
  });

  it('marks as many definitions as there are records at most, and never throws', () => {
    const names = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(names, { maxLength: 6 }), fc.array(names, { maxLength: 6 }), (defs, recs) => {
        const traced = tracedDefinitions(defs, recs);
        expect(traced).toHaveLength(defs.length);
        expect(traced.filter(Boolean).length).toBeLessThanOrEqual(recs.length);
      }),
    );
  });
});
