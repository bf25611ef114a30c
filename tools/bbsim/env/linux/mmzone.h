/* SPDX-License-Identifier: GPL-2.0 */
/* bbsim: the kernel's <linux/mmzone.h>, from the one environment header */
#include "../bbenv.h"
