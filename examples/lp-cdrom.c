// lp_cdrom: a hand-written livepatch of the cdrom module's media_changed(). Its new code
// calls cdrom_check_events(), which cdrom.ko exports: an ordinary relocation to it makes
// lp_cdrom depend on cdrom and pins the module it patches (exported-symbol-dependency).
// The quick fix "Convert `cdrom_check_events` to a klp symbol" declares it as one instead.
#include <linux/module.h>
#include <linux/blkdev.h>	/* DISK_EVENT_MEDIA_CHANGE */
#include <linux/livepatch.h>
#include <linux/cdrom.h>

static int livepatch_media_changed(struct cdrom_device_info *cdi, int queue)
{
	unsigned int mask = (1 << (queue & 1));

	if (cdrom_check_events(cdi, mask) & DISK_EVENT_MEDIA_CHANGE)
		return 1;
	return !!(cdi->mc_flags & mask);
}

static struct klp_func funcs[] = {
	{
		.old_name = "media_changed",
		.new_func = livepatch_media_changed,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "cdrom",
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
