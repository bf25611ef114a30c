// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: a sandbox's policy, the generation of each allocator rule.
 *
 * Each switch names the kernel whose rule a sandbox follows:
 *
 *   fallback=6.1|6.10|6.15	migratetype fallback (6.10: freelist hygiene)
 *   defrag_mode=0|1		6.15's vm.defrag_mode, with fallback=6.15 only
 *   reserves=6.1|6.3		the shares of the min watermark
 *   highatomic=6.1|6.12	the highatomic reserve
 *   pcp_high=6.1|6.7		pcp high, fixed or tuned between min and max
 *   generation=6.1|6.10|6.15	every switch as that kernel has it
 *
 * A switch given overrides the generation's choice for it.  A value must
 * be one of the list, the combination one some kernel had (defrag_mode=1
 * needs fallback=6.15), and the rule one buddybox implements: a value of
 * a rule that is not written yet is refused, never silently replaced by
 * another.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/seq_file.h>

#include "buddybox.h"

struct bb_policy_key {
	const char *name;
	size_t offset;			/* of the u16 in struct bb_policy */
	u16 values[4];			/* the known values, 0-ended but "0" */
	u16 implemented;		/* BIT(i) of values[i] buddybox has */
	const char *choices;		/* for the messages */
};

#define BB_POL(n, field, impl, choices, ...)				\
	{ n, offsetof(struct bb_policy, field), { __VA_ARGS__ }, impl,	\
	  choices }

/* indexed by enum bb_policy_switch */
static const struct bb_policy_key bb_policy_keys[BB_NR_POLICY_KEYS] = {
	[BB_POLICY_FALLBACK] = BB_POL("fallback", fallback,
				      BIT(0) | BIT(1) | BIT(2),
				      "6.1, 6.10 or 6.15",
				      BB_GEN(6, 1), BB_GEN(6, 10), BB_GEN(6, 15)),
	[BB_POLICY_DEFRAG_MODE] = BB_POL("defrag_mode", defrag_mode,
					 BIT(0) | BIT(1),
					 "0 or 1", 0, 1),
	[BB_POLICY_RESERVES] = BB_POL("reserves", reserves, BIT(0) | BIT(1),
				      "6.1 or 6.3",
				      BB_GEN(6, 1), BB_GEN(6, 3)),
	[BB_POLICY_HIGHATOMIC] = BB_POL("highatomic", highatomic, BIT(0) | BIT(1),
					"6.1 or 6.12",
					BB_GEN(6, 1), BB_GEN(6, 12)),
	[BB_POLICY_PCP_HIGH] = BB_POL("pcp_high", pcp_high, BIT(0) | BIT(1),
				      "6.1 or 6.7",
				      BB_GEN(6, 1), BB_GEN(6, 7)),
	[BB_POLICY_GENERATION] = BB_POL("generation", generation,
					BIT(0) | BIT(1) | BIT(2),
					"6.1, 6.10 or 6.15",
					BB_GEN(6, 1), BB_GEN(6, 10), BB_GEN(6, 15)),
};

static inline u16 *bb_policy_field(struct bb_policy *p, int key)
{
	return (u16 *)((char *)p + bb_policy_keys[key].offset);
}

static inline u16 bb_policy_get(const struct bb_policy *p, int key)
{
	return *(const u16 *)((const char *)p + bb_policy_keys[key].offset);
}

/* the words of a value: "6.10" is BB_GEN(6, 10), "0" and "1" themselves */
static int bb_policy_parse_value(int key, const char *val, u16 *out)
{
	unsigned int major, minor;
	char again[8];

	if (key == BB_POLICY_DEFRAG_MODE) {
		if (strcmp(val, "0") && strcmp(val, "1"))
			return -EINVAL;
		*out = val[0] - '0';
		return 0;
	}
	/* "6.1" and "6.10" differ: only the value's own spelling counts */
	if (sscanf(val, "%u.%u", &major, &minor) != 2 || major > 9 ||
	    minor > 99)
		return -EINVAL;
	snprintf(again, sizeof(again), "%u.%u", major, minor);
	if (strcmp(again, val))
		return -EINVAL;
	*out = BB_GEN(major, minor);
	return 0;
}

/* the index of @v in the key's values, or -1 */
static int bb_policy_value_index(int key, u16 v)
{
	const struct bb_policy_key *k = &bb_policy_keys[key];
	int i;

	for (i = 0; i < ARRAY_SIZE(k->values); i++) {
		if (k->values[i] == v && (v || key == BB_POLICY_DEFRAG_MODE))
			return i;
	}
	return -1;
}

int bb_policy_key_index(const char *name)
{
	int i;

	for (i = 0; i < BB_NR_POLICY_KEYS; i++)
		if (!strcmp(name, bb_policy_keys[i].name))
			return i;
	return -1;
}

void bb_policy_default(struct bb_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->fallback = BB_GEN(6, 1);
	p->reserves = BB_GEN(6, 1);
	p->highatomic = BB_GEN(6, 1);
	p->pcp_high = BB_GEN(6, 1);
	p->generation = BB_GEN(6, 1);
}

/*
 * One "key=value" of a policy switch.  Returns 0, or -EINVAL with *@what
 * saying which values the key takes.
 */
int bb_policy_set(struct bb_policy *p, int key, const char *val,
		  const char **what)
{
	u16 v;

	if (key < 0 || key >= BB_NR_POLICY_KEYS)
		return -EINVAL;
	if (bb_policy_parse_value(key, val, &v) ||
	    bb_policy_value_index(key, v) < 0) {
		*what = key == BB_POLICY_DEFRAG_MODE ? "bad value: 0 or 1" :
			key == BB_POLICY_RESERVES ? "bad value: 6.1 or 6.3" :
			key == BB_POLICY_HIGHATOMIC ? "bad value: 6.1 or 6.12" :
			key == BB_POLICY_PCP_HIGH ? "bad value: 6.1 or 6.7" :
			"bad value: 6.1, 6.10 or 6.15";
		return -EINVAL;
	}
	*bb_policy_field(p, key) = v;
	p->given |= BIT(key);
	return 0;
}

/* what generation @gen has for @key */
static u16 bb_generation_value(int key, u16 gen)
{
	switch (key) {
	case BB_POLICY_FALLBACK:
		return gen;
	case BB_POLICY_RESERVES:	/* 6.3 dropped __GFP_ATOMIC */
		return gen >= BB_GEN(6, 3) ? BB_GEN(6, 3) : BB_GEN(6, 1);
	case BB_POLICY_HIGHATOMIC:	/* 6.12 counts the reserve's free pages */
		return gen >= BB_GEN(6, 12) ? BB_GEN(6, 12) : BB_GEN(6, 1);
	case BB_POLICY_PCP_HIGH:	/* 6.7 tunes pcp high */
		return gen >= BB_GEN(6, 7) ? BB_GEN(6, 7) : BB_GEN(6, 1);
	}
	return 0;			/* defrag_mode: off in every generation */
}

/* "6.10" for BB_GEN(6, 10), "1" for a defrag_mode of 1 */
static const char *bb_policy_str(int key, u16 v, char *buf, size_t size)
{
	if (key == BB_POLICY_DEFRAG_MODE)
		snprintf(buf, size, "%u", v);
	else
		snprintf(buf, size, "%u.%u", v / 100, v % 100);
	return buf;
}

/*
 * The switches the generation sets and nothing overrides, then whether the
 * whole makes a policy buddybox can run.  -EINVAL with a pr_err naming the
 * switch otherwise.
 */
int bb_policy_resolve(struct bb_policy *p)
{
	char v[8], g[8];
	int key, i;

	for (key = 0; key < BB_NR_POLICY_KEYS; key++) {
		if (key != BB_POLICY_GENERATION && !(p->given & BIT(key)))
			*bb_policy_field(p, key) =
				bb_generation_value(key, p->generation);
	}
	if (p->defrag_mode && p->fallback != BB_GEN(6, 15)) {
		pr_err("defrag_mode=1: only with fallback=6.15 (6.15's vm.defrag_mode), not fallback=%s\n",
		       bb_policy_str(BB_POLICY_FALLBACK, p->fallback, v,
				     sizeof(v)));
		return -EINVAL;
	}
	/* 6.12 counts the reserve's free pages by the lists of 6.10's hygiene */
	if (p->highatomic >= BB_GEN(6, 12) && p->fallback < BB_GEN(6, 10)) {
		pr_err("highatomic=6.12: only with fallback=6.10 or later (6.12 counts the reserve's free pages on the lists of the freelist hygiene), not fallback=%s\n",
		       bb_policy_str(BB_POLICY_FALLBACK, p->fallback, v,
				     sizeof(v)));
		return -EINVAL;
	}
	for (key = 0; key < BB_NR_POLICY_KEYS; key++) {
		const struct bb_policy_key *k = &bb_policy_keys[key];
		u16 val = bb_policy_get(p, key);

		i = bb_policy_value_index(key, val);
		if (i >= 0 && (k->implemented & BIT(i)))
			continue;
		bb_policy_str(key, val, v, sizeof(v));
		if (i < 0)
			pr_err("%s=%s: must be %s\n", k->name, v, k->choices);
		else if (p->given & BIT(key))
			pr_err("%s=%s: the %s rule of %s is not implemented in buddybox yet\n",
			       k->name, v, k->name, v);
		else
			pr_err("generation=%s: means %s=%s, which buddybox does not implement yet (give %s=6.1 to run the rest of generation %s)\n",
			       bb_policy_str(BB_POLICY_GENERATION, p->generation,
					     g, sizeof(g)),
			       k->name, v, k->name, g);
		return -EINVAL;
	}
	return 0;
}

/*
 * The defrag_mode tunable (vm.defrag_mode): 0 or 1, and only for a sandbox
 * of fallback=6.15, whose rules have the ALLOC_NOFRAGMENT it keeps.  The
 * policy file shows the value in force.
 */
int bb_set_defrag_mode(struct bb_sandbox *sb, int val)
{
	char v[8];

	if (val != 0 && val != 1) {
		pr_err("%s: defrag_mode=%d: must be 0 or 1\n", sb->cfg.name, val);
		return -EINVAL;
	}
	if (!bb_fallback_615(sb)) {
		pr_err("%s: defrag_mode: only with fallback=6.15 (6.15's vm.defrag_mode), this sandbox has fallback=%s\n",
		       sb->cfg.name,
		       bb_policy_str(BB_POLICY_FALLBACK, sb->cfg.policy.fallback,
				     v, sizeof(v)));
		return -EINVAL;
	}
	mutex_lock(&sb->tunable_lock);
	WRITE_ONCE(sb->defrag_mode, val);
	WRITE_ONCE(sb->cfg.policy.defrag_mode, val);
	mutex_unlock(&sb->tunable_lock);
	return 0;
}

/* the policy in force, one line of "key=value" words */
void bb_show_policy(struct seq_file *m, struct bb_sandbox *sb)
{
	const struct bb_policy *p = &sb->cfg.policy;
	char v[8];
	int key;

	for (key = 0; key < BB_NR_POLICY_KEYS; key++)
		seq_printf(m, "%s%s=%s", key ? " " : "", bb_policy_keys[key].name,
			   bb_policy_str(key, bb_policy_get(p, key), v,
					 sizeof(v)));
	seq_putc(m, '\n');
}
