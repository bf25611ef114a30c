// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: fault injection, as the kernel's fail_page_alloc.
 *
 * Each sandbox has the knobs of the kernel's fail_page_alloc folder, with
 * their meanings (Documentation/fault-injection/fault-injection.rst), and
 * its own state: what one sandbox is told does not touch another, nor
 * the host's allocator.  The question is asked where 6.1 asks it, once
 * the request has been checked and its zonelist chosen, before the fast
 * path: a request chosen to fail returns at once, without the slow path,
 * so no reclaim, compaction or OOM kill happens for it.
 *
 * A request is a candidate unless one of these spares it:
 *  - its order is below min-order (default 1: order 0 is spared);
 *  - it has __GFP_NOFAIL (always, in 6.1: no knob changes that);
 *  - ignore-gfp-highmem is set (default) and it has __GFP_HIGHMEM;
 *  - ignore-gfp-wait is set (default) and it has __GFP_DIRECT_RECLAIM.
 * A candidate then goes through the rules of the kernel's fault_attr,
 * in this order, the first that says so letting it pass:
 *  - times is 0: no failure left (-1 is no limit);
 *  - space is above the request's size in pages: the size is taken off
 *    space, and it passes;
 *  - interval N > 1: the candidates reaching this rule are counted, and
 *    only every Nth goes on;
 *  - a draw of 0 .. 99 is at least probability.
 * What is left fails, and takes one off times unless times is -1.  The
 * draws come from the sandbox's own generator (xorshift64), seeded alike
 * for every new sandbox, so that a run is repeated by running it again;
 * the kernel draws from its global prandom instead.
 *
 * verbose 1 logs a failure as the kernel does, with the knobs' state;
 * verbose 2, where the kernel adds a stack dump, adds the request instead
 * (a stack trace in the log reads as a bug to every checker of it).  An
 * allocation with __GFP_NOWARN fails silently, as in the kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddybox.h"

#define BB_FPA_DEFAULT_SEED	0x6661696c5f706167ULL

struct bb_fpa_knob_desc {
	const char *name;
	long min, max;
	long def;		/* the kernel's default */
	bool is_bool;		/* read as Y/N, written as kstrtobool() */
};

static const struct bb_fpa_knob_desc bb_fpa_knobs[BB_FPA_NR_KNOBS] = {
	[BB_FPA_PROBABILITY] = { "probability", 0, 100, 0 },
	[BB_FPA_INTERVAL] = { "interval", 1, LONG_MAX, 1 },
	[BB_FPA_TIMES] = { "times", -1, INT_MAX, 1 },
	[BB_FPA_SPACE] = { "space", 0, INT_MAX, 0 },
	[BB_FPA_VERBOSE] = { "verbose", 0, 2, 2 },
	[BB_FPA_IGNORE_GFP_WAIT] = { "ignore-gfp-wait", 0, 1, 1, true },
	[BB_FPA_IGNORE_GFP_HIGHMEM] = { "ignore-gfp-highmem", 0, 1, 1, true },
	[BB_FPA_MIN_ORDER] = { "min-order", 0, BB_MAX_ORDER - 1, 1 },
};

void bb_fail_page_alloc_seed(struct bb_sandbox *sb, u64 seed)
{
	struct bb_fail_page_alloc *f = &sb->fail_page_alloc;

	spin_lock(&f->lock);
	/* xorshift never leaves a zero state: keep away from it */
	f->rnd = seed ? seed : BB_FPA_DEFAULT_SEED;
	spin_unlock(&f->lock);
}

void bb_fail_page_alloc_init(struct bb_sandbox *sb)
{
	struct bb_fail_page_alloc *f = &sb->fail_page_alloc;
	unsigned int i;

	spin_lock_init(&f->lock);
	for (i = 0; i < BB_FPA_NR_KNOBS; i++)
		f->knob[i] = bb_fpa_knobs[i].def;
	f->count = 0;
	f->rnd = BB_FPA_DEFAULT_SEED;
}

/* a draw in 0 .. 99, under f->lock */
static unsigned int bb_fpa_draw_percent(struct bb_fail_page_alloc *f)
{
	u64 x = f->rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	f->rnd = x;
	/* the top 32 bits scaled to 0 .. 99 */
	return (unsigned int)(((x >> 32) * 100) >> 32);
}

/* Why a request is not a candidate at all, or NULL. */
static const char *bb_fpa_spared(const struct bb_fail_page_alloc *f,
				 bb_gfp_t gfp, unsigned int order)
{
	if (order < READ_ONCE(f->knob[BB_FPA_MIN_ORDER]))
		return "its order is below min-order";
	if (gfp & BB___GFP_NOFAIL)
		return "__GFP_NOFAIL is never failed";
	if ((gfp & BB___GFP_HIGHMEM) &&
	    READ_ONCE(f->knob[BB_FPA_IGNORE_GFP_HIGHMEM]))
		return "__GFP_HIGHMEM with ignore-gfp-highmem";
	if ((gfp & BB___GFP_DIRECT_RECLAIM) &&
	    READ_ONCE(f->knob[BB_FPA_IGNORE_GFP_WAIT]))
		return "__GFP_DIRECT_RECLAIM with ignore-gfp-wait";
	return NULL;
}

/*
 * should_fail_alloc_page(): whether fault injection fails this request.
 * A failure is counted (alloc_fail_injected) and, with a trace, named.
 */
bool __bb_should_fail_alloc_page(struct bb_sandbox *sb, bb_gfp_t gfp,
				 unsigned int order, struct bb_trace *trace)
{
	struct bb_fail_page_alloc *f = &sb->fail_page_alloc;
	long knob[BB_FPA_NR_KNOBS];
	const char *pass = NULL;
	long size = 1L << order;

	/* probability may have gone to 0 since the caller's look */
	if (!READ_ONCE(f->knob[BB_FPA_PROBABILITY]))
		return false;

	pass = bb_fpa_spared(f, gfp, order);
	if (pass) {
		bb_trace(trace, "fail_page_alloc: not a candidate: %s\n", pass);
		return false;
	}

	spin_lock(&f->lock);
	if (!f->knob[BB_FPA_TIMES]) {
		pass = "times is 0, no failure left";
	} else if (f->knob[BB_FPA_SPACE] > size) {
		WRITE_ONCE(f->knob[BB_FPA_SPACE], f->knob[BB_FPA_SPACE] - size);
		pass = "taken off space";
	} else if (f->knob[BB_FPA_INTERVAL] > 1 &&
		   ++f->count % f->knob[BB_FPA_INTERVAL]) {
		pass = "not the interval's turn";
	} else if (bb_fpa_draw_percent(f) >= f->knob[BB_FPA_PROBABILITY]) {
		pass = "the draw is not below probability";
	} else if (f->knob[BB_FPA_TIMES] > 0) {
		WRITE_ONCE(f->knob[BB_FPA_TIMES], f->knob[BB_FPA_TIMES] - 1);
	}
	memcpy(knob, f->knob, sizeof(knob));
	spin_unlock(&f->lock);

	if (pass) {
		bb_trace(trace, "fail_page_alloc: a candidate, passed: %s (space %ld, times %ld)\n",
			 pass, knob[BB_FPA_SPACE], knob[BB_FPA_TIMES]);
		return false;
	}

	atomic_long_inc(&sb->alloc_fail[BB_FAIL_INJECTED]);
	bb_trace(trace,
		 "fail_page_alloc: injected failure (probability %ld, interval %ld, space %ld, times left %ld): fails before the fast path, no slow path\n",
		 knob[BB_FPA_PROBABILITY], knob[BB_FPA_INTERVAL],
		 knob[BB_FPA_SPACE], knob[BB_FPA_TIMES]);
	if (!knob[BB_FPA_VERBOSE] || (gfp & BB___GFP_NOWARN))
		return true;
	pr_notice("%s: fail_page_alloc: forcing a failure: interval %ld, probability %ld, space %ld, times %ld\n",
		  sb->cfg.name, knob[BB_FPA_INTERVAL], knob[BB_FPA_PROBABILITY],
		  knob[BB_FPA_SPACE], knob[BB_FPA_TIMES]);
	if (knob[BB_FPA_VERBOSE] > 1)
		pr_notice("%s: fail_page_alloc: the request: order %u, gfp %#x\n",
			  sb->cfg.name, order, gfp);
	return true;
}

/* ---- the knobs ---- */

const char *bb_fpa_knob_name(unsigned int knob)
{
	return knob < BB_FPA_NR_KNOBS ? bb_fpa_knobs[knob].name : NULL;
}

int bb_fpa_knob_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < BB_FPA_NR_KNOBS; i++)
		if (!strcmp(name, bb_fpa_knobs[i].name))
			return i;
	return -EINVAL;
}

long bb_fpa_get(struct bb_sandbox *sb, unsigned int knob)
{
	if (knob >= BB_FPA_NR_KNOBS)
		return 0;
	return READ_ONCE(sb->fail_page_alloc.knob[knob]);
}

int bb_fpa_set(struct bb_sandbox *sb, unsigned int knob, long val)
{
	struct bb_fail_page_alloc *f = &sb->fail_page_alloc;
	const struct bb_fpa_knob_desc *d;

	if (knob >= BB_FPA_NR_KNOBS)
		return -EINVAL;
	d = &bb_fpa_knobs[knob];
	if (val < d->min || val > d->max) {
		pr_err("fail_page_alloc/%s: %ld is not in %ld .. %ld\n",
		       d->name, val, d->min, d->max);
		return -EINVAL;
	}
	spin_lock(&f->lock);
	WRITE_ONCE(f->knob[knob], val);
	spin_unlock(&f->lock);
	return 0;
}

/* The knob's value as its file shows it, as the kernel's (Y/N for bools). */
int bb_fpa_show(struct bb_sandbox *sb, unsigned int knob, char *buf,
		size_t size)
{
	long val = bb_fpa_get(sb, knob);

	if (knob >= BB_FPA_NR_KNOBS)
		return -EINVAL;
	if (bb_fpa_knobs[knob].is_bool)
		return scnprintf(buf, size, "%c\n", val ? 'Y' : 'N');
	return scnprintf(buf, size, "%ld\n", val);
}

/* What was written to the knob's file: a number, or a bool's word. */
int bb_fpa_store(struct bb_sandbox *sb, unsigned int knob, const char *str)
{
	const char *name = bb_fpa_knob_name(knob);
	long val;
	int ret;

	if (!name)
		return -EINVAL;
	if (bb_fpa_knobs[knob].is_bool) {
		bool b;

		ret = kstrtobool(str, &b);
		val = b;
	} else {
		ret = kstrtol(str, 0, &val);
	}
	if (ret) {
		pr_err("fail_page_alloc/%s: '%s' is not a %s\n", name, str,
		       bb_fpa_knobs[knob].is_bool ? "bool (Y/N/1/0)" : "number");
		return -EINVAL;
	}
	return bb_fpa_set(sb, knob, val);
}
