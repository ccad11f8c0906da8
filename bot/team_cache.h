/*
 * team_cache.h - who is in a forge team, remembered for a while.
 *
 * Layer rule: a leaf bot/ utility, used by the forge client (forge.c):
 * asking whether an approver or a commit's author is in a team lists the
 * team's members, page by page, so a busy approvals repository or
 * outbound fork would list the same team on every comment and commit.
 * Entries live `ttl` seconds: a person taken out of a team loses what the
 * team gave them at most that long after. Thread-safe (one mutex: workers
 * share one forge client); the number of teams kept is capped, the oldest
 * entry making room.
 */
#ifndef CL_TEAM_CACHE_H
#define CL_TEAM_CACHE_H

#include <stddef.h>
#include <time.h>

struct cl_team_cache;

/* @param ttl_seconds how long a listing stays good; must be > 0 */
int cl_team_cache_new(struct cl_team_cache **out, unsigned int ttl_seconds, size_t max_teams);
void cl_team_cache_free(struct cl_team_cache *c);

/*
 * The members of `team` ("org/team") as listed no more than ttl seconds
 * before `now`. @return 1 with *logins (a NULL-terminated copy; free it
 * with cl_team_cache_logins_free) and *exists (0: the forge said there is
 * no such team, *logins then empty); 0 when not known; < 0 out of memory
 */
int cl_team_cache_get(char ***logins, int *exists, struct cl_team_cache *c, const char *team,
	time_t now);

/* Remember a listing made at `now` (replacing an older one). @return 0 or < 0 */
int cl_team_cache_put(struct cl_team_cache *c, const char *team, char *const *logins,
	size_t count, int exists, time_t now);

void cl_team_cache_logins_free(char **logins);

#endif
