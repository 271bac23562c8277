// lp_cdrom: a hand-written livepatch of the cdrom module's cdrom_ioctl_media_changed() (the
// CDROM_MEDIA_CHANGED ioctl). Its new code calls cdrom_check_events(), which cdrom.ko exports:
// an ordinary relocation to it makes lp_cdrom depend on cdrom and pins the module it patches
// (exported-symbol-dependency). The quick fix "Convert `cdrom_check_events` to a klp symbol"
// declares it as one instead.
#include <linux/module.h>
#include <linux/blkdev.h>	/* DISK_EVENT_MEDIA_CHANGE */
#include <linux/livepatch.h>
#include <linux/cdrom.h>

/* Asks the drive whether the medium changed; a changer's other slots are not answered here. */
static int livepatch_cdrom_ioctl_media_changed(struct cdrom_device_info *cdi, unsigned long arg)
{
	unsigned int can = cdi->ops->capability & ~cdi->mask;

	if (!(can & CDC_MEDIA_CHANGED))
		return -ENOSYS;
	if ((can & CDC_SELECT_DISC) && arg != CDSL_CURRENT)
		return -EINVAL;
	return !!(cdrom_check_events(cdi, DISK_EVENT_MEDIA_CHANGE) & DISK_EVENT_MEDIA_CHANGE);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cdrom_ioctl_media_changed",
		.new_func = livepatch_cdrom_ioctl_media_changed,
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
