// SPDX-License-Identifier: GPL-2.0
/* A fake cdrom driver for the Livepatch Lens example. */
#include <linux/module.h>
#include <linux/cdrom.h>

unsigned int cdrom_check_events(struct cdrom_device_info *cdi, unsigned int clearing)
{
	return cdi->ops->check_events(cdi, clearing, CDSL_CURRENT);
}
EXPORT_SYMBOL(cdrom_check_events);

static int cdrom_ioctl_media_changed(struct cdrom_device_info *cdi, unsigned long arg)
{
	if (!(cdi->ops->capability & ~cdi->mask & CDC_MEDIA_CHANGED))
		return -ENOSYS;
	return !!(cdi->mc_flags & 2);
}

MODULE_LICENSE("GPL");
