/* SPDX-License-Identifier: GPL-2.0 */
/* buddyctl replay (replay.c) */
#ifndef BUDDYCTL_REPLAY_H
#define BUDDYCTL_REPLAY_H

/* argv[0] is "replay"; returns buddyctl's exit status */
int bb_replay_main(int argc, char **argv, const char *device, const char *sandbox);

#endif
