/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bbenv: the kernel's primitives for buddybox's core in user space.
 *
 * The core (the .c files of module/core/) compiles unchanged against this one header:
 * the small files under env/linux/ only include it, so that the core's
 * #include <linux/...> lines resolve here.  Each stand-in keeps the
 * semantics the core relies on:
 *
 *   spinlocks, mutexes	pthread mutexes (the core never sleeps under a
 *			spinlock, so a sleeping lock is as good)
 *   per-CPU data	bb_env_nr_cpus areas a fixed stride apart; a thread's
 *			CPU is fixed when it starts (the main thread: 0)
 *   kthreads, waits	pthreads, in one of two modes (bbenv.c):
 *			threads: they run freely, as in the kernel;
 *			sync: one thread runs at a time, a daemon only when
 *			the main thread hands it the baton at a safe point
 *			(bb_env_run_daemons()), so a run is reproducible
 *   jiffies		the monotonic clock; in sync mode a virtual clock
 *			that bb_env_tick() advances
 *   xarray		a 64-way radix tree keyed by index (bbenv.c)
 *   seq_file		a growing buffer
 *   the region		malloc: any size the machine's memory allows;
 *			alloc_contig_range() fails (no physical pages here)
 *
 * A WARN prints and counts (bb_env_warnings); a BUG aborts.
 */
#ifndef _BBENV_H
#define _BBENV_H

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

/* ---- types ---- */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int32_t __s32;
typedef int64_t __s64;
typedef unsigned int gfp_t;
typedef u64 phys_addr_t;

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "buddybox"
#endif

/* ---- compiler ---- */

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __percpu
#define __user
#define __iomem
#define __force
#define __must_check	__attribute__((warn_unused_result))
#undef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define noinline	__attribute__((noinline))
#define __maybe_unused	__attribute__((unused))
#define __init
#define __exit
#define fallthrough	__attribute__((fallthrough))
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define barrier()	__asm__ __volatile__("" ::: "memory")
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define xchg(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define cmpxchg(p, o, n) ({						\
	__typeof__(*(p)) __old = (o);					\
	__atomic_compare_exchange_n((p), &__old, (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	__old;								\
})
#define try_cmpxchg(p, po, n)						\
	__atomic_compare_exchange_n((p), (po), (n), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#define BUILD_BUG_ON_ZERO(e)	0
#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- arithmetic ---- */

#define BITS_PER_LONG	64
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define S32_MAX		((s32)(U32_MAX >> 1))

#define min(a, b)	({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
			   __a < __b ? __a : __b; })
#define max(a, b)	({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); \
			   __a > __b ? __a : __b; })
#define min3(a, b, c)	min(min(a, b), c)
#define max3(a, b, c)	max(max(a, b), c)
#define min_t(t, a, b)	({ t __a = (a); t __b = (b); __a < __b ? __a : __b; })
#define max_t(t, a, b)	({ t __a = (a); t __b = (b); __a > __b ? __a : __b; })
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
#define clamp_val(v, lo, hi) clamp_t(__typeof__(v), v, lo, hi)
#define swap(a, b)	do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)
#define abs(x)		({ __typeof__(x) __x = (x); __x < 0 ? -__x : __x; })

#define __ALIGN_MASK(x, m)	(((x) + (m)) & ~(m))
#define ALIGN(x, a)		__ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(n, d)	DIV_ROUND_UP((unsigned long long)(n), (d))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define mult_frac(x, n, d) ({					\
	__typeof__(x) __q = (x) / (d), __r = (x) % (d);		\
	(__q * (n)) + ((__r * (n)) / (d));			\
})
#define do_div(n, base) ({					\
	u32 __base = (base), __rem = (u64)(n) % __base;		\
	(n) = (u64)(n) / __base;				\
	__rem;							\
})
static inline u64 div_u64(u64 n, u32 d) { return n / d; }
static inline s64 div_s64(s64 n, s32 d) { return n / d; }
static inline u64 div64_u64(u64 n, u64 d) { return n / d; }
static inline u64 div64_ul(u64 n, unsigned long d) { return n / d; }
static inline u64 div_u64_rem(u64 n, u32 d, u32 *rem)
{
	*rem = n % d;
	return n / d;
}

static inline size_t array_size(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

#define struct_size(p, member, n)					\
	(sizeof(*(p)) + array_size((n), sizeof(*(p)->member)))

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned long __fls(unsigned long x) { return 63 - __builtin_clzl(x); }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long ffz(unsigned long x) { return __builtin_ctzl(~x); }
#define ilog2(n)	((n) ? (int)__fls((unsigned long)(n)) : -1)
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (__fls(n - 1) + 1);
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << __fls(n);
}

static inline unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, b = 1UL << 62;

	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

/* bit operations on unsigned long words (atomic where the kernel's are) */
#define BIT_WORD(nr)	((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)	(1UL << ((nr) % BITS_PER_LONG))
static inline void set_bit(long nr, volatile unsigned long *a)
{
	__atomic_fetch_or(&a[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(long nr, volatile unsigned long *a)
{
	__atomic_fetch_and(&a[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline bool test_bit(long nr, const volatile unsigned long *a)
{
	return __atomic_load_n(&a[BIT_WORD(nr)], __ATOMIC_RELAXED) & BIT_MASK(nr);
}

static inline bool test_and_set_bit(long nr, volatile unsigned long *a)
{
	return __atomic_fetch_or(&a[BIT_WORD(nr)], BIT_MASK(nr),
				 __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(long nr, volatile unsigned long *a)
{
	return __atomic_fetch_and(&a[BIT_WORD(nr)], ~BIT_MASK(nr),
				  __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

#define __set_bit(nr, a)	set_bit(nr, a)
#define GENMASK(h, l)	(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define hweight8(w)	__builtin_popcount((u8)(w))
#define hweight16(w)	__builtin_popcount((u16)(w))
#define hweight32(w)	__builtin_popcount((u32)(w))
#define hweight64(w)	__builtin_popcountll((u64)(w))
#define hweight_long(w)	__builtin_popcountl((unsigned long)(w))
static inline unsigned long find_next_bit(const unsigned long *a,
					  unsigned long size,
					  unsigned long off)
{
	for (; off < size; off++)
		if (test_bit(off, a))
			return off;
	return size;
}

#define find_first_bit(a, size)	find_next_bit(a, size, 0)
#define for_each_set_bit(bit, a, size)					\
	for ((bit) = find_first_bit(a, size); (bit) < (size);		\
	     (bit) = find_next_bit(a, size, (bit) + 1))
#define __clear_bit(nr, a)	clear_bit(nr, a)

/* ---- sizes, pages ---- */

#define SZ_1K		0x400
#define SZ_4K		0x1000
#define SZ_1M		0x100000
#define SZ_2M		0x200000
#define SZ_1G		0x40000000
#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define HZ		250
#define NSEC_PER_SEC	1000000000L
#define NSEC_PER_MSEC	1000000L
#define USEC_PER_SEC	1000000L
#define MSEC_PER_SEC	1000L
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

/* ---- errors ---- */

#define MAX_ERRNO	4095
#define ERESTARTSYS	512
#define ENOTSUPP	524
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

/* ---- messages, WARN, BUG ---- */

extern unsigned long bb_env_warnings;	/* WARNs so far */
extern int bb_env_loglevel;		/* print pr_*() up to this level */
__printf(2, 3) void bb_env_printk(int level, const char *fmt, ...);
void bb_env_warn(const char *file, int line, const char *cond);

#define KERN_ERR	"3"
#ifndef pr_fmt
#define pr_fmt(fmt)	fmt
#endif
#define pr_emerg(fmt, ...)	bb_env_printk(0, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	bb_env_printk(3, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	bb_env_printk(4, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	bb_env_printk(5, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	bb_env_printk(6, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	bb_env_printk(7, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited	pr_warn
#define pr_err_ratelimited	pr_err
#define pr_info_ratelimited	pr_info
#define pr_warn_once		pr_warn
#define pr_info_once		pr_info
#define pr_cont(fmt, ...)	bb_env_printk(6, fmt, ##__VA_ARGS__)

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		bb_env_warn(__FILE__, __LINE__, #cond);			\
	unlikely(__c);							\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt, ...) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c)) {						\
		bb_env_printk(4, fmt, ##__VA_ARGS__);			\
		bb_env_warn(__FILE__, __LINE__, #cond);			\
	}								\
	unlikely(__c);							\
})
#define WARN_ONCE(cond, fmt, ...) WARN(cond, fmt, ##__VA_ARGS__)
#define BUG() do {							\
	fprintf(stderr, "BUG at %s:%d\n", __FILE__, __LINE__);		\
	abort();							\
} while (0)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)
#define VM_BUG_ON(cond)	BUG_ON(cond)
#define VM_WARN_ON(cond) ((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond) ((void)WARN_ON(cond))
#define might_sleep()	do { } while (0)

/* ---- lists ---- */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	prev->next = next;
}

/* poisoned as the kernel's: a use after list_del() faults */
#define LIST_POISON1	((struct list_head *)0x100)
#define LIST_POISON2	((struct list_head *)0x122)
static inline void list_del(struct list_head *e)
{
	__list_del(e->prev, e->next);
	e->next = LIST_POISON1;
	e->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *e)
{
	__list_del(e->prev, e->next);
	INIT_LIST_HEAD(e);
}

static inline void list_move(struct list_head *e, struct list_head *head)
{
	__list_del(e->prev, e->next);
	list_add(e, head);
}

static inline void list_move_tail(struct list_head *e, struct list_head *head)
{
	__list_del(e->prev, e->next);
	list_add_tail(e, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

static inline bool list_is_last(const struct list_head *e,
				const struct list_head *head)
{
	return e->next == head;
}

static inline bool list_is_first(const struct list_head *e,
				 const struct list_head *head)
{
	return e->prev == head;
}

static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

static inline void list_splice_init(struct list_head *list,
				    struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev;
		struct list_head *at = head->next;

		first->prev = head;
		head->next = first;
		last->next = at;
		at->prev = last;
		INIT_LIST_HEAD(list);
	}
}

static inline void list_splice_tail_init(struct list_head *list,
					 struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev;
		struct list_head *at = head->prev;

		first->prev = at;
		at->next = first;
		last->next = head;
		head->prev = last;
		INIT_LIST_HEAD(list);
	}
}

static inline void list_splice_tail(struct list_head *list,
				    struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev;
		struct list_head *at = head->prev;

		first->prev = at;
		at->next = first;
		last->next = head;
		head->prev = last;
	}
}

static inline void list_splice(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		struct list_head *first = list->next, *last = list->prev;
		struct list_head *at = head->next;

		first->prev = head;
		head->next = first;
		last->next = at;
		at->prev = last;
	}
}

static inline void list_rotate_left(struct list_head *head)
{
	if (!list_empty(head))
		list_move_tail(head->next, head);
}

static inline void list_rotate_to_front(struct list_head *e,
					struct list_head *head)
{
	list_move_tail(head, e);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) \
	list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) \
	list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) ({			\
	struct list_head *__h = (ptr), *__n = READ_ONCE(__h->next);	\
	__n != __h ? list_entry(__n, type, member) : NULL;		\
})
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); \
	     pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member)			\
	for (pos = list_last_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_prev_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))
#define list_for_each_entry_safe_reverse(pos, n, head, member)		\
	for (pos = list_last_entry(head, __typeof__(*pos), member),	\
	     n = list_prev_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_prev_entry(n, member))
#define list_for_each_entry_continue(pos, head, member)			\
	for (pos = list_next_entry(pos, member);			\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_from(pos, head, member)			\
	for (; !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))

/* ---- atomics ---- */

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i) { (i) }

#define __BB_ATOMIC_OPS(pfx, type, t)					\
static inline t pfx##_read(const type *v)				\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(type *v, t i)				\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_add(t i, type *v)				\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_sub(t i, type *v)				\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_inc(type *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(type *v) { pfx##_sub(1, v); }		\
static inline t pfx##_add_return(t i, type *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_sub_return(t i, type *v)				\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_inc_return(type *v) { return pfx##_add_return(1, v); } \
static inline t pfx##_dec_return(type *v) { return pfx##_sub_return(1, v); } \
static inline bool pfx##_dec_and_test(type *v)				\
{ return pfx##_sub_return(1, v) == 0; }					\
static inline t pfx##_xchg(type *v, t i)				\
{ return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_cmpxchg(type *v, t o, t n)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &o, n, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	return o;							\
}
__BB_ATOMIC_OPS(atomic, atomic_t, int)
__BB_ATOMIC_OPS(atomic_long, atomic_long_t, long)

/* ---- per-CPU data ---- */

/*
 * alloc_percpu() gives bb_env_nr_cpus copies BB_ENV_PCPU_STRIDE bytes
 * apart, so that this_cpu_*() can reach this CPU's copy from the address
 * of CPU 0's, as the kernel adds the CPU's offset.
 */
#define BB_ENV_MAX_CPUS		64
#define BB_ENV_PCPU_STRIDE	4096UL
extern unsigned int bb_env_nr_cpus;	/* possible == online */
extern __thread unsigned int bb_env_cpu;	/* this thread's CPU */
#define nr_cpu_ids		bb_env_nr_cpus
#define num_online_cpus()	bb_env_nr_cpus
#define num_possible_cpus()	bb_env_nr_cpus
#define smp_processor_id()	bb_env_cpu
#define raw_smp_processor_id()	bb_env_cpu
#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < bb_env_nr_cpus; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)
#define cpu_online(cpu)		((cpu) < bb_env_nr_cpus)

void *bb_env_alloc_percpu(size_t size);
void bb_env_free_percpu(void *p);
#define alloc_percpu(type)	((type *)bb_env_alloc_percpu(sizeof(type)))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)
#define free_percpu(p)		bb_env_free_percpu(p)
#define per_cpu_ptr(p, cpu)						\
	((__typeof__(p))((char *)(p) + (size_t)(cpu) * BB_ENV_PCPU_STRIDE))
#define this_cpu_ptr(p)		per_cpu_ptr(p, bb_env_cpu)
#define raw_cpu_ptr(p)		this_cpu_ptr(p)
#define get_cpu_ptr(p)		this_cpu_ptr(p)
#define put_cpu_ptr(p)		do { (void)(p); } while (0)
#define get_cpu()		bb_env_cpu
#define put_cpu()		do { } while (0)
#define preempt_disable()	do { } while (0)
#define preempt_enable()	do { } while (0)
#define migrate_disable()	do { } while (0)
#define migrate_enable()	do { } while (0)
#define local_irq_save(f)	do { (f) = 0; } while (0)
#define local_irq_restore(f)	do { (void)(f); } while (0)
#define local_irq_disable()	do { } while (0)
#define local_irq_enable()	do { } while (0)
/* this CPU's copy of the lvalue @pcp (CPU 0's), atomically: threads share CPUs */
#define __bb_this_cpu(pcp)	(*this_cpu_ptr(&(pcp)))
#define this_cpu_add(pcp, v)	\
	((void)__atomic_fetch_add(&__bb_this_cpu(pcp), (v), __ATOMIC_RELAXED))
#define this_cpu_sub(pcp, v)	this_cpu_add(pcp, -(v))
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)	this_cpu_sub(pcp, 1)
#define this_cpu_read(pcp)	__atomic_load_n(&__bb_this_cpu(pcp), __ATOMIC_RELAXED)
#define this_cpu_write(pcp, v)	\
	__atomic_store_n(&__bb_this_cpu(pcp), (v), __ATOMIC_RELAXED)
#define __this_cpu_add		this_cpu_add
#define __this_cpu_inc		this_cpu_inc
#define __this_cpu_dec		this_cpu_dec
#define __this_cpu_read		this_cpu_read
#define __this_cpu_write	this_cpu_write

/* ---- locks ---- */

typedef struct bb_env_lock {
	pthread_mutex_t m;	/* all zeroes is an unlocked mutex (glibc) */
	pthread_t holder;
	bool held;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_mutex_init(&l->m, NULL);
	l->held = false;
}

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->m);
	l->holder = pthread_self();
	l->held = true;
}

static inline int spin_trylock(spinlock_t *l)
{
	if (pthread_mutex_trylock(&l->m))
		return 0;
	l->holder = pthread_self();
	l->held = true;
	return 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	l->held = false;
	pthread_mutex_unlock(&l->m);
}

static inline bool spin_is_locked(spinlock_t *l) { return READ_ONCE(l->held); }
static inline int spin_is_contended(spinlock_t *l) { (void)l; return 0; }
#define spin_lock_irqsave(l, f)		do { (f) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, f)	do { (void)(f); spin_unlock(l); } while (0)
#define spin_trylock_irqsave(l, f)	({ (f) = 0; spin_trylock(l); })
#define spin_lock_irq(l)		spin_lock(l)
#define spin_unlock_irq(l)		spin_unlock(l)
#define spin_lock_bh(l)			spin_lock(l)
#define spin_unlock_bh(l)		spin_unlock(l)
#define DEFINE_SPINLOCK(x)		spinlock_t x = { PTHREAD_MUTEX_INITIALIZER }
#define __bb_lock_of(l)	_Generic((l),					\
	struct mutex *: &((struct mutex *)(l))->s,			\
	default: (spinlock_t *)(l))
#define lockdep_assert_held(l) ({					\
	spinlock_t *__l = __bb_lock_of(l);				\
	(void)WARN_ON(!__l->held || !pthread_equal(__l->holder, pthread_self())); \
})
#define lockdep_assert_not_held(l) ((void)0)
#define lockdep_assert_irqs_disabled() ((void)0)

struct mutex {
	spinlock_t s;
};

#define mutex_init(x)		spin_lock_init(&(x)->s)
#define mutex_destroy(x)	pthread_mutex_destroy(&(x)->s.m)
#define mutex_lock(x)		spin_lock(&(x)->s)
#define mutex_lock_nested(x, c)	spin_lock(&(x)->s)
#define mutex_lock_killable(x)	({ spin_lock(&(x)->s); 0; })
#define mutex_lock_interruptible(x) ({ spin_lock(&(x)->s); 0; })
#define mutex_trylock(x)	spin_trylock(&(x)->s)
#define mutex_unlock(x)		spin_unlock(&(x)->s)
#define mutex_is_locked(x)	spin_is_locked(&(x)->s)
#define DEFINE_MUTEX(x)		struct mutex x = { { PTHREAD_MUTEX_INITIALIZER } }

/* ---- memory ---- */

#define GFP_KERNEL		0x1u
#define GFP_ATOMIC		0x2u
#define GFP_NOWAIT		0x4u
#define __GFP_NOWARN		0x8u
#define __GFP_ZERO		0x10u
#define __GFP_RETRY_MAYFAIL	0x20u
#define __GFP_NORETRY		0x40u
#define __GFP_ACCOUNT		0x80u
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)

void *bb_env_malloc(size_t size, gfp_t gfp);
#define kmalloc(s, g)		bb_env_malloc((s), (g))
#define kzalloc(s, g)		bb_env_malloc((s), (g) | __GFP_ZERO)
#define kcalloc(n, s, g)	bb_env_malloc(array_size(n, s), (g) | __GFP_ZERO)
#define kmalloc_array(n, s, g)	bb_env_malloc(array_size(n, s), (g))
#define kvmalloc(s, g)		kmalloc(s, g)
#define kvzalloc(s, g)		kzalloc(s, g)
#define kvmalloc_array(n, s, g)	kmalloc_array(n, s, g)
#define kvcalloc(n, s, g)	kcalloc(n, s, g)
#define kfree(p)		free((void *)(p))
#define kvfree(p)		free((void *)(p))
#define kfree_sensitive(p)	free((void *)(p))
#define vmalloc(s)		bb_env_malloc((s), GFP_KERNEL)
#define vzalloc(s)		bb_env_malloc((s), GFP_KERNEL | __GFP_ZERO)
#define __vmalloc(s, g)		bb_env_malloc((s), (g))
#define vfree(p)		free((void *)(p))
#define clear_page(p)		memset((p), 0, PAGE_SIZE)
#define copy_page(d, s)		memcpy((d), (s), PAGE_SIZE)
char *kstrdup(const char *s, gfp_t gfp);
#define kmemdup(p, s, g)	({ void *__d = kmalloc(s, g); if (__d) memcpy(__d, p, s); __d; })

/* the host's memory, for region.c: no physical page in user space */
#define MAX_NR_ZONES		4
#define ZONE_MOVABLE		3
#define MIGRATE_MOVABLE		1
#define MAX_NUMNODES		1
struct page;
struct zone {
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	int idx;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
} pg_data_t;
extern pg_data_t bb_env_host_node;
#define NODE_DATA(nid)		(&bb_env_host_node)
#define for_each_online_node(nid) for ((nid) = 0; (nid) < 1; (nid)++)
static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

#define populated_zone(z)	((z)->present_pages != 0)
#define is_highmem(z)		false
#define zone_idx(z)		((z)->idx)
#define pfn_valid(pfn)		((void)(pfn), true)
unsigned long totalram_pages(void);
int alloc_contig_range(unsigned long start, unsigned long end,
		       unsigned int migratetype, gfp_t gfp);
void free_contig_range(unsigned long pfn, unsigned long nr_pages);
struct page *pfn_to_page(unsigned long pfn);
void *page_address(const struct page *page);

/* ---- strings, numbers ---- */

int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtou32(const char *s, unsigned int base, u32 *res);
int kstrtos32(const char *s, unsigned int base, s32 *res);
int kstrtou64(const char *s, unsigned int base, u64 *res);
int kstrtou8(const char *s, unsigned int base, u8 *res);
int kstrtou16(const char *s, unsigned int base, u16 *res);
int kstrtobool(const char *s, bool *res);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
ssize_t strscpy(char *dst, const char *src, size_t count);
char *skip_spaces(const char *s);
char *strim(char *s);
#define sysfs_streq(a, b)	bb_env_sysfs_streq(a, b)
bool bb_env_sysfs_streq(const char *a, const char *b);
void sort(void *base, size_t num, size_t size,
	  int (*cmp)(const void *, const void *),
	  void (*swap_fn)(void *, void *, int));

/* ---- time ---- */

u64 ktime_get_ns(void);
static inline u64 ktime_get_mono_fast_ns(void) { return ktime_get_ns(); }
static inline u64 ktime_get_boottime_ns(void) { return ktime_get_ns(); }
unsigned long bb_env_jiffies(void);
#define jiffies		bb_env_jiffies()
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return DIV_ROUND_UP((unsigned long)ms * HZ, MSEC_PER_SEC);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return j * (MSEC_PER_SEC / HZ);
}

/* ---- tasks, kthreads, waits, signals ---- */

struct wait_queue_head {
	struct list_head head;	/* of the tasks sleeping here, under the env lock */
};
typedef struct wait_queue_head wait_queue_head_t;

#define PF_KTHREAD	0x00200000	/* started by kthread_run() */

struct task_struct {
	char comm[32];
	unsigned int flags;	/* PF_* */
	pid_t pid, tgid;
	int id;			/* creation order: the baton goes in this order */
	unsigned int cpu;
	pthread_t thread;
	pthread_cond_t cv;	/* this task's wakeup */
	int (*fn)(void *data);
	void *data;
	int ret;
	bool should_stop;	/* kthread_stop() */
	bool exited;
	bool sleeping;		/* not running (waiting, or for the baton) */
	bool woken;		/* a wake_up() since it began to wait */
	bool timed;		/* waiting with a timeout ... */
	unsigned long deadline;	/* ... that ends at this jiffy */
	wait_queue_head_t *wq;	/* where it waits, or NULL */
	struct list_head wq_entry;
	struct list_head all;	/* every task, by id */
};

struct task_struct *bb_env_current(void);
#define current		bb_env_current()
#define task_is_running(t)	(!READ_ONCE((t)->sleeping))
#define task_pid_nr(t)		((t)->pid)
#define task_tgid_nr(t)		((t)->tgid)

void init_waitqueue_head(wait_queue_head_t *wq);
void bb_env_prepare_wait(wait_queue_head_t *wq);
long bb_env_sleep(long timeout);
void bb_env_finish_wait(wait_queue_head_t *wq);
void __wake_up(wait_queue_head_t *wq);
bool waitqueue_active(wait_queue_head_t *wq);
#define wq_has_sleeper(wq)		waitqueue_active(wq)
#define wake_up(wq)			__wake_up(wq)
#define wake_up_all(wq)			__wake_up(wq)
#define wake_up_interruptible(wq)	__wake_up(wq)
#define wake_up_interruptible_all(wq)	__wake_up(wq)
#define wake_up_interruptible_poll(wq, m) __wake_up(wq)

/*
 * wait_event_timeout(): the remaining jiffies (at least 1) when @cond
 * became true, 0 when the time ran out with @cond still false.
 */
#define bb_env_wait_event(wq, cond, timeout) ({				\
	long __t = (timeout), __ret;					\
	for (;;) {							\
		bb_env_prepare_wait(&(wq));				\
		if (cond) {						\
			__ret = __t ? __t : 1;				\
			break;						\
		}							\
		__t = bb_env_sleep(__t);				\
		if (!__t) {						\
			__ret = (cond) ? 1 : 0;				\
			break;						\
		}							\
	}								\
	bb_env_finish_wait(&(wq));					\
	__ret;								\
})
#define wait_event(wq, cond)	\
	((void)bb_env_wait_event(wq, cond, MAX_SCHEDULE_TIMEOUT))
#define wait_event_interruptible(wq, cond)	\
	({ (void)bb_env_wait_event(wq, cond, MAX_SCHEDULE_TIMEOUT); 0; })
#define wait_event_killable(wq, cond)	wait_event_interruptible(wq, cond)
#define wait_event_freezable(wq, cond)	wait_event_interruptible(wq, cond)
#define wait_event_timeout(wq, cond, t)	bb_env_wait_event(wq, cond, t)
#define wait_event_interruptible_timeout(wq, cond, t) \
	bb_env_wait_event(wq, cond, t)
#define wait_event_freezable_timeout(wq, cond, t) bb_env_wait_event(wq, cond, t)

struct task_struct *bb_env_kthread_run(int (*fn)(void *data), void *data,
				       const char *name);
#define kthread_run(fn, data, fmt, ...) ({				\
	char __name[64];						\
	snprintf(__name, sizeof(__name), fmt, ##__VA_ARGS__);		\
	bb_env_kthread_run((fn), (data), __name);			\
})
int kthread_stop(struct task_struct *t);
bool kthread_should_stop(void);
#define set_freezable()		do { } while (0)
#define try_to_freeze()		false
#define freezing(t)		false

/* no signal reaches the sandbox's threads */
#define fatal_signal_pending(t)	((void)(t), false)
#define signal_pending(t)	((void)(t), false)
void cond_resched(void);
#define need_resched()		false
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_idle(long timeout);
void msleep(unsigned int ms);
#define usleep_range(a, b)	msleep(((a) + 999) / 1000)
#define cpu_relax()		do { } while (0)

/* ---- xarray ---- */

#define XA_FLAGS_ALLOC		0x1u
#define XA_FLAGS_ALLOC1		0x3u	/* allocating, from index 1 */
struct xa_node;
struct xarray {
	struct xa_node *root;	/* a tree of fixed height: indices < 2^36 */
	unsigned int flags;
	unsigned long count;
};
struct xa_limit {
	u32 max;
	u32 min;
};
#define XA_LIMIT(lo, hi)	((struct xa_limit){ .min = (lo), .max = (hi) })
#define xa_limit_32b		XA_LIMIT(0, U32_MAX)
#define xa_limit_31b		XA_LIMIT(0, INT_MAX)
#define XA_PRESENT		ULONG_MAX

void xa_init_flags(struct xarray *xa, unsigned int flags);
static inline void xa_init(struct xarray *xa) { xa_init_flags(xa, 0); }
void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
int xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
	     gfp_t gfp);
int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
		    struct xa_limit limit, u32 *next, gfp_t gfp);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max,
	      unsigned long filter);
void *xa_find_after(struct xarray *xa, unsigned long *index,
		    unsigned long max, unsigned long filter);
void xa_destroy(struct xarray *xa);
static inline bool xa_empty(const struct xarray *xa) { return !xa->count; }
#define xa_for_each(xa, index, entry)					\
	for (index = 0, entry = xa_find(xa, &index, ULONG_MAX, XA_PRESENT); \
	     entry; entry = xa_find_after(xa, &index, ULONG_MAX, XA_PRESENT))
#define xa_lock(xa)		do { (void)(xa); } while (0)
#define xa_unlock(xa)		do { (void)(xa); } while (0)

/* ---- seq_file ---- */

struct seq_file {
	char *buf;
	size_t size;
	size_t count;
	void *private;
};

void seq_file_init(struct seq_file *m);
void seq_file_release(struct seq_file *m);
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
void seq_put_decimal_ull(struct seq_file *m, const char *delim,
			 unsigned long long num);
void seq_put_decimal_ll(struct seq_file *m, const char *delim, long long num);
#define seq_has_overflowed(m)	((void)(m), false)

/* ---- iov_iter (owner.c's reads and writes) ---- */

struct kvec {
	void *iov_base;
	size_t iov_len;
};
struct iov_iter {
	unsigned int data_source;	/* WRITE: copy_from_iter() reads it */
	const struct kvec *kvec;
	size_t count;
	size_t done;
};
#define READ	0
#define WRITE	1
#define ITER_SOURCE	WRITE
#define ITER_DEST	READ
void iov_iter_kvec(struct iov_iter *i, unsigned int direction,
		   const struct kvec *kvec, unsigned long nr_segs,
		   size_t count);
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);

/* ---- the runtime's own interface (bbsim, the tests) ---- */

enum bb_env_mode {
	BB_ENV_THREADS,		/* daemons run as free threads */
	BB_ENV_SYNC,		/* daemons run only in bb_env_run_daemons() */
};

void bb_env_init(enum bb_env_mode mode, unsigned int nr_cpus);
enum bb_env_mode bb_env_mode(void);
/* sync mode: run every woken (or timed-out) daemon until all sleep */
unsigned int bb_env_run_daemons(void);
/* sync mode: the virtual clock moves on by @ticks jiffies */
void bb_env_tick(unsigned long ticks);

#endif /* _BBENV_H */
