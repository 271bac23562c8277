// lp_cmdline: a hand-written livepatch of the two functions proc-fix.patch changes,
// loaded after it. It does not set .replace, so it stacks on top of proc-fix instead of
// taking over (missing-replace), and both patches patch the same functions
// (overlapping-function). The quick fix "Set .replace = true" settles both.
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", "lp_cmdline");
	return 0;
}

static int livepatch_version_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "Linux version %s (lp_cmdline)\n", utsname()->release);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	},
	{
		.old_name = "version_proc_show",
		.new_func = livepatch_version_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int livepatch_init(void)
{
	return klp_enable_patch(&patch);
}

static void livepatch_exit(void)
{
}

module_init(livepatch_init);
module_exit(livepatch_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
