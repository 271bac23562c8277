// Which symbols the kallsyms table of vmlinux holds: the table kallsyms_on_each_symbol()
// (kernel/kallsyms.c) walks. scripts/kallsyms.c builds it from `nm -n vmlinux` and drops
// what is_ignored_symbol() and read_symbol() refuse; System.map (the same nm output, less
// what scripts/mksysmap drops) and the ELF symbol table of vmlinux both list more.
//
// Evidence, Debian 6.1.0-56-amd64: System.map has 94,280 lines, /proc/kallsyms 94,266
// vmlinux symbols; the 14 names only in System.map are 6 of type 'A'
// (kexec_control_code_size, text_size, phys_startup_64, init_per_cpu__fixed_percpu_data,
// init_per_cpu__irq_stack_backing_store, init_per_cpu__gdt_page) and the 8 tables
// kallsyms_offsets, _relative_base, _num_syms, _names, _markers, _seqs_of_names,
// _token_table, _token_index. Without them, every name has the same addresses in the
// same order in both files (only symbols sharing an address are listed in another order,
// which changes no name's count). The per-cpu symbols that System.map types 'D'/'d' are
// in kallsyms with type 'A' (x86-64 --absolute-percpu), so they stay.

/**
 * scripts/kallsyms.c is_ignored_symbol() (6.1): names kept out of the table. The tables
 * kallsyms adds to vmlinux itself (kallsyms_seqs_of_names included: the Debian 6.1
 * kallsyms above lacks it) and ppc linker symbols that vary between the link passes.
 */
const IGNORED_NAMES = new Set([
  'kallsyms_addresses',
  'kallsyms_offsets',
  'kallsyms_relative_base',
  'kallsyms_num_syms',
  'kallsyms_names',
  'kallsyms_markers',
  'kallsyms_seqs_of_names',
  'kallsyms_token_table',
  'kallsyms_token_index',
  '_SDA_BASE_',
  '_SDA2_BASE_',
]);

/**
 * is_ignored_symbol(): local labels, modversions CRCs, arm64/arm/mips stubs and thunks,
 * kCFI type ids (later kernels moved these to scripts/mksysmap, whose output kallsyms
 * reads). Each starts with '$', '.' or '_' (see inKallsymsTable()).
 */
const IGNORED_PREFIXES = [
  '$',
  '.L',
  '__crc_',
  '__efistub_',
  '__kvm_nvhe_$',
  '__kvm_nvhe_.L',
  '__AArch64ADRPThunk_',
  '__ARMV5PILongThunk_',
  '__ARMV7PILongThunk_',
  '__ThumbV7PILongThunk_',
  '__LA25Thunk_',
  '__microLA25Thunk_',
  '__kcfi_typeid_',
];
/** Each ends in 'm', 'b' or 'r' (see inKallsymsTable()). */
const IGNORED_SUFFIXES = ['_from_arm', '_from_thumb', '_veneer'];
const IGNORED_INFIXES = ['.long_branch.', '.plt_branch.'];

/** is_ignored_symbol(): the absolute symbols it keeps (ia64 and the like). */
const KEPT_ABSOLUTE = new Set(['__kernel_syscall_via_break', '__kernel_syscall_via_epc', '__kernel_sigtramp', '__gp']);

/** read_symbol(): KSYM_NAME_LEN of 6.1; a longer name is refused. */
const KSYM_NAME_LEN = 512;

/**
 * Whether scripts/kallsyms.c puts a symbol of `nm` type `type` in the kallsyms table
 * (read_symbol(), is_ignored_symbol()): not undefined ('U', and 'u' for GNU unique),
 * not debugging ('N', 'n'), not absolute ('A', 'a') but for a few names, and not one of
 * the ignored names. With CONFIG_KALLSYMS_ALL (which CONFIG_LIVEPATCH depends on, see
 * kernel/livepatch/Kconfig) symbol_valid() keeps every other symbol.
 */
export function inKallsymsTable(name: string, type: string): boolean {
  if (type === 'U' || type === 'u' || type === 'N' || type === 'n') return false;
  if ((type === 'A' || type === 'a') && !KEPT_ABSOLUTE.has(name)) return false;
  if (name.length >= KSYM_NAME_LEN || IGNORED_NAMES.has(name)) return false;
  // System.map is read through here line by line: a cheap look at the first and last
  // characters spares most names the string tests.
  const first = name.charCodeAt(0);
  if (first === 36 /* $ */ || first === 46 /* . */ || first === 95 /* _ */) {
    for (const prefix of IGNORED_PREFIXES) if (name.startsWith(prefix)) return false;
  }
  const last = name.charCodeAt(name.length - 1);
  if (last === 109 /* m */ || last === 98 /* b */ || last === 114 /* r */) {
    for (const suffix of IGNORED_SUFFIXES) if (name.endsWith(suffix)) return false;
  }
  for (const infix of IGNORED_INFIXES) if (name.includes(infix)) return false;
  return true;
}
