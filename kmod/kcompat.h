/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API changes between the oldest kernel heartbeat builds for (6.1)
 * and current mainline. The module is written against the newest API; each
 * entry here supplies it on the kernels before the version that brought it,
 * so that an entry can be deleted when its version becomes the oldest one
 * supported. Only kernel code includes this; the plain-C parts use compat.h.
 *
 * Distribution kernels that backport an API with an older version number
 * (RHEL's do) need the matching test changed from a version to a feature.
 */
#ifndef _HB_KCOMPAT_H
#define _HB_KCOMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>

/* The one place that compares versions, so that checkpatch warns once. */
#define HB_KERNEL_AT_LEAST(a, b, c) (KERNEL_VERSION(a, b, c) <= LINUX_VERSION_CODE)

/*
 * 6.2: kobj_type's child_ns_type and namespace callbacks take a const
 * kobject.
 */
#if HB_KERNEL_AT_LEAST(6, 2, 0)
#define hb_kobj_const const
#else
#define hb_kobj_const
#endif

/* 6.2: timer_delete_sync() (del_timer_sync() is gone in 6.15). */
#if !HB_KERNEL_AT_LEAST(6, 2, 0)
#define timer_delete_sync(t) del_timer_sync(t)
#endif

/*
 * 6.10: __assign_str() takes only the field; the source is the one given
 * to __string().
 */
#if HB_KERNEL_AT_LEAST(6, 10, 0)
#define hb_assign_str(field, src) __assign_str(field)
#else
#define hb_assign_str(field, src) __assign_str(field, src)
#endif

/* 6.13: hrtimer_setup() sets the callback with the rest (hrtimer_init() is
 * gone in 6.15).
 */
#if !HB_KERNEL_AT_LEAST(6, 13, 0)
static inline void
hrtimer_setup(struct hrtimer *timer,
	      enum hrtimer_restart (*function)(struct hrtimer *),
	      clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/* 6.16: timer_container_of() (from_timer() is gone in the same release). */
#if !HB_KERNEL_AT_LEAST(6, 16, 0)
#define timer_container_of(var, t, field) from_timer(var, t, field)
#endif

/*
 * A block device opened by path for reading and writing, shared (no
 * holder): the disk channel's nodes in one kernel open the same device.
 * 6.9: a file (bdev_file_open_by_path()); 6.7: a handle
 * (bdev_open_by_path()); 6.5: BLK_OPEN_* modes and a holder to put.
 */
struct hb_bdev_ref {
#if HB_KERNEL_AT_LEAST(6, 9, 0)
	struct file *file;
#elif HB_KERNEL_AT_LEAST(6, 7, 0)
	struct bdev_handle *handle;
#else
	struct block_device *bdev;
#endif
};

/* The device, or an ERR_PTR() with @ref untouched. */
static inline struct block_device *hb_bdev_open(const char *path,
						struct hb_bdev_ref *ref)
{
#if HB_KERNEL_AT_LEAST(6, 9, 0)
	struct file *file = bdev_file_open_by_path(path, BLK_OPEN_READ |
						   BLK_OPEN_WRITE, NULL, NULL);

	if (IS_ERR(file))
		return ERR_CAST(file);
	ref->file = file;
	return file_bdev(file);
#elif HB_KERNEL_AT_LEAST(6, 7, 0)
	struct bdev_handle *handle = bdev_open_by_path(path, BLK_OPEN_READ |
						       BLK_OPEN_WRITE, NULL, NULL);

	if (IS_ERR(handle))
		return ERR_CAST(handle);
	ref->handle = handle;
	return handle->bdev;
#elif HB_KERNEL_AT_LEAST(6, 5, 0)
	struct block_device *bdev = blkdev_get_by_path(path, BLK_OPEN_READ |
						       BLK_OPEN_WRITE, NULL, NULL);

	if (!IS_ERR(bdev))
		ref->bdev = bdev;
	return bdev;
#else
	struct block_device *bdev = blkdev_get_by_path(path, FMODE_READ |
						       FMODE_WRITE, NULL);

	if (!IS_ERR(bdev))
		ref->bdev = bdev;
	return bdev;
#endif
}

static inline void hb_bdev_close(struct hb_bdev_ref *ref)
{
#if HB_KERNEL_AT_LEAST(6, 9, 0)
	fput(ref->file);
#elif HB_KERNEL_AT_LEAST(6, 7, 0)
	bdev_release(ref->handle);
#elif HB_KERNEL_AT_LEAST(6, 5, 0)
	blkdev_put(ref->bdev, NULL);
#else
	blkdev_put(ref->bdev, FMODE_READ | FMODE_WRITE);
#endif
}

#endif /* _HB_KCOMPAT_H */
