// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the path of one allocation, in words (BB_ALLOC_F_EXPLAIN).
 *
 * The fast and slow paths call bb_trace() at every decision: which zone
 * was tried, which watermark check failed and with what numbers, whether
 * a pageblock was stolen or claimed, which slow-path step ran and what it
 * returned.  Without a trace (the usual case) bb_trace() costs one test,
 * and evaluates none of its arguments.
 */
#include <linux/kernel.h>

#include "buddybox.h"

void __bb_trace(struct bb_trace *t, const char *fmt, ...)
{
	va_list args;

	if (!t->buf || t->len + 1 >= t->size)
		return;
	va_start(args, fmt);
	t->len += vscnprintf(t->buf + t->len, t->size - t->len, fmt, args);
	va_end(args);
}
