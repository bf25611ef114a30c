/* SPDX-License-Identifier: GPL-2.0 */
/* bbsim: the kernel's <linux/ioctl.h>: the _IO* encodings of the libc headers */
#include "../bbenv.h"
#include <asm-generic/ioctl.h>
