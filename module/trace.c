// SPDX-License-Identifier: GPL-2.0
/*
 * buddybox: the definitions of its tracepoints (trace/buddybox_events.h),
 * emitted by the engine's event hooks through bb_events_impl.h.
 */
#include "buddybox.h"

#define CREATE_TRACE_POINTS
#include "trace/buddybox_events.h"
