// The tokens of each input format that mutations insert: the pieces its parser keys on
// (headers, hunk ranges, klp structures, separators), some with odd numbers in them.
export const PATCH_TOKENS = [
  'diff --git a/fs/proc/cmdline.c b/fs/proc/cmdline.c',
  '--- a/fs/proc/cmdline.c',
  '+++ b/fs/proc/cmdline.c',
  '--- /dev/null',
  '+++ /dev/null',
  '@@ -1,3 +1,4 @@',
  '@@ -0,0 +1 @@',
  '@@ -4294967295,1 +1,99999999999 @@ static int f(void)',
  '@@ -1 +1 @@',
  '@@',
  '\\ No newline at end of file',
  'new file mode 100644',
  'deleted file mode 100644',
  'rename from a.c',
  'rename to b.c',
  'similarity index 90%',
  'index 0000000..1111111 100644',
  'Binary files a/x and b/x differ',
  '+static int __init f(void)',
  '+{',
  '+}',
  '-}',
  ' }',
  '+#ifdef CONFIG_X86',
  '+#endif',
  '+/*',
  '+ */',
  '+EXPORT_SYMBOL_GPL(f);',
  '+static DEFINE_MUTEX(m);',
  '+struct s { int a; };',
  '+\tint x = 0;',
  '-\tint x = 1;',
  '+#define X(a) a',
  '+__attribute__((__section__(".init.text")))',
  'From: someone',
  'Subject: [PATCH] x',
  '---',
  '+++ b/../../../../tmp/x.c',
];

export const MODULE_TOKENS = [
  '#include <linux/livepatch.h>',
  'static struct klp_func funcs[] = {',
  'static struct klp_object objs[] = {',
  'static struct klp_patch patch = {',
  '{ .old_name = "cmdline_proc_show", .new_func = livepatch_cmdline_proc_show, },',
  '{ .name = "cdrom", .funcs = funcs, },',
  '.old_sympos = 4294967295,',
  '.replace = true,',
  '.objs = objs,',
  '{ }',
  '};',
  'KLP_RELOC_SYMBOL(vmlinux, vmlinux, saved_command_line)',
  'KLP_RELOC_SYMBOL_POS(cdrom, cdrom, cdrom_check_events, 2)',
  'MODULE_INFO(livepatch, "Y");',
  'MODULE_LICENSE("GPL");',
  'module_init(livepatch_init);',
  'module_exit(livepatch_exit);',
  'static int livepatch_init(void) { return klp_enable_patch(&patch); }',
  'extern int f(void);',
  '#define KLP_X(a) { .old_name = #a, .new_func = lp_##a, }',
  '#if 0',
  '#endif',
  '/*',
  '*/',
  '"\\',
  '{',
  '}',
  '(',
  ')',
  ',',
];

export const CSV_TOKENS = ['vmlinux cmdline_proc_show livepatch_cmdline_proc_show', 'cdrom cdrom_open,2 klpp_cdrom_open', 'vmlinux f,0 g IS_ENABLED(CONFIG_X)', ',', ',,', ',4294967296', ' ', '\t', '#', 'vmlinux', '"'];

export const SERIES_TOKENS = ['proc-fix.patch', 'lp-cdrom.c', '# comment', ' -p1', ' -p0', '/', '../', '../../../../etc/passwd', '.', 'series', '\x1b[31mred', 'disable lp_cdrom', 'unload lp_cdrom', 'enable proc_fix'];

export const SYMVERS_TOKENS = ['0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t', '0x00000000\tcdrom_open\tdrivers/cdrom/cdrom\tEXPORT_SYMBOL_GPL\tCDROM', '\t', '0x', 'vmlinux', 'EXPORT_SYMBOL_GPL', '0xffffffffffffffffff'];

export const KALLSYMS_TOKENS = ['ffffffff81000000 T _stext', 'ffffffffc0000000 t cdrom_open\t[cdrom]', '0000000000000000 A irq_stack_backing_store', ' t ', ' T ', ' d ', '[', ']', '\t[', 'ffffffffffffffffffff', 'cmdline_proc_show'];

export const CONFIG_TOKENS = ['CONFIG_LIVEPATCH=y', 'CONFIG_CDROM=m', '# CONFIG_X is not set', 'CONFIG_X="a\\"b"', 'CONFIG_=', '=', '#'];
