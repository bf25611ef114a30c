/* SPDX-License-Identifier: GPL-2.0 */
/* bbsim's pieces shared between its files */
#ifndef BBSIM_H
#define BBSIM_H

struct bb_sandbox;
struct bb_control;

/* print one of the module's files (bbsim -p); 0, 1 or 3 (checker) */
int bbsim_show(struct bb_sandbox *sb, struct bb_control *ctl,
	       const char *name);
bool bbsim_known_file(const char *name);
/* the pageblock map (tools/lib/bbmap.c) of the run @name into @path; 0 or 1 */
int bbsim_map(struct bb_sandbox *sb, const char *path, const char *name);
/* bbsim replay ... (replay.c): argv[0] is "replay" */
int bbsim_replay(int argc, char **argv);

#endif
