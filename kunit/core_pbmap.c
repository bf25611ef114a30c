// SPDX-License-Identifier: GPL-2.0
/* The core, compiled into the test module: see Kbuild. */
#include "../module/core/pbmap.c"
