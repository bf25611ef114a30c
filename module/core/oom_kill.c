// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the OOM killer, over the device's open descriptors.
 *
 * When neither reclaim nor compaction can help, __alloc_pages_may_oom()
 * calls out_of_memory(): select_bad_process() scores every descriptor by
 * its footprint (oom_badness(): pages held, plus oom_score_adj thousandths
 * of the region), and oom_kill_process() revokes everything the chosen one
 * holds.  It is told through poll() (EPOLLPRI | EPOLLERR) and refused from
 * then on (-EIO).  No other owner is touched.  An owner with
 * oom_score_adj -1000 is never chosen, as OOM_SCORE_ADJ_MIN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "buddybox.h"
#include "events.h"

#define BB_OOM_SCORE_ADJ_MIN	(-1000)

void bb_oom_register(struct bb_owner *owner)
{
	struct bb_sandbox *sb = owner->sb;

	mutex_lock(&sb->owners_lock);
	owner->oom_candidate = true;
	list_add_tail(&owner->node, &sb->owners);
	mutex_unlock(&sb->owners_lock);
}

/* Also for owners never registered (debugfs' control owner). */
void bb_oom_unregister(struct bb_owner *owner)
{
	struct bb_sandbox *sb = owner->sb;

	mutex_lock(&sb->owners_lock);
	list_del_init(&owner->node);
	mutex_unlock(&sb->owners_lock);
}

/*
 * oom_badness(): the pages the owner holds, adjusted by oom_score_adj in
 * thousandths of @totalpages.  LONG_MIN: never to be chosen.
 */
long bb_oom_badness(struct bb_owner *owner, unsigned long totalpages)
{
	int adj = READ_ONCE(owner->oom_score_adj);
	long points;

	if (adj == BB_OOM_SCORE_ADJ_MIN || READ_ONCE(owner->oom_killed))
		return LONG_MIN;
	points = READ_ONCE(owner->nr_pages);
	/* nothing to take back: killing it would not help */
	if (!points)
		return LONG_MIN;
	points += (long)adj * (long)(totalpages / 1000);
	return points;
}

/*
 * out_of_memory(): choose the owner with the highest badness (the first
 * registered on a tie) and revoke it.  Returns true when one was chosen.
 * Called with sb->oom_lock held.
 */
bool bb_out_of_memory(struct bb_sandbox *sb, bb_gfp_t gfp, unsigned int order,
		      struct bb_owner *requester, struct bb_trace *trace)
{
	unsigned long totalpages = sb->region.nr_pages;
	struct bb_owner *owner, *chosen = NULL;
	long chosen_points = LONG_MIN;
	unsigned long pages;

	lockdep_assert_held(&sb->oom_lock);

	/*
	 * The kernel does not kill for a request that may not do I/O, and
	 * lets it retry for ever; the sandbox lets it fail instead.
	 */
	if (!(gfp & BB___GFP_FS)) {
		bb_trace(trace, "    out_of_memory: no __GFP_FS, nobody killed\n");
		return false;
	}

	mutex_lock(&sb->owners_lock);
	list_for_each_entry(owner, &sb->owners, node) {
		long points = bb_oom_badness(owner, totalpages);

		if (points == LONG_MIN || points <= chosen_points)
			continue;
		chosen = owner;
		chosen_points = points;
	}
	if (!chosen) {
		mutex_unlock(&sb->owners_lock);
		bb_trace(trace, "    out_of_memory: no owner can be chosen\n");
		return false;
	}
	/* the list's lock keeps @chosen from being released meanwhile */
	pages = READ_ONCE(chosen->nr_pages);
	bb_trace(trace,
		 "    out_of_memory: chose the descriptor of pid %d (%lu pages, oom_score_adj %d, badness %ld)%s\n",
		 chosen->tgid, pages, chosen->oom_score_adj, chosen_points,
		 chosen == requester ? ": the requester itself" : "");
	pr_info("out of memory (order %u, gfp %#x): revoked the %lu pages of the descriptor of pid %d, oom_score_adj %d\n",
		order, gfp, pages, chosen->tgid, chosen->oom_score_adj);
	bb_ev_mark_victim(chosen);
	bb_owner_revoke(chosen);
	mutex_unlock(&sb->owners_lock);
	bb_count_event(sb, BB_OOM_KILL, 1);
	return true;
}
