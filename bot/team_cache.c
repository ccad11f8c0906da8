/*
 * team_cache.c - team listings with an expiry, behind one mutex.
 */
#include "team_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct team_entry {
	char *team;
	char **logins;   /* NULL-terminated */
	int exists;
	time_t at;
};

struct cl_team_cache {
	pthread_mutex_t lock;
	unsigned int ttl;
	struct team_entry *entries;
	size_t count, max;
};

void cl_team_cache_logins_free(char **logins)
{
	size_t i;

	if (!logins)
		return;
	for (i = 0; logins[i]; i++)
		free(logins[i]);
	free(logins);
}

static char **logins_dup(char *const *logins, size_t count)
{
	char **out = calloc(count + 1, sizeof(*out));
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < count; i++) {
		if (!(out[i] = strdup(logins[i]))) {
			cl_team_cache_logins_free(out);
			return NULL;
		}
	}
	return out;
}

static void entry_dispose(struct team_entry *e)
{
	free(e->team);
	cl_team_cache_logins_free(e->logins);
	memset(e, 0, sizeof(*e));
}

int cl_team_cache_new(struct cl_team_cache **out, unsigned int ttl_seconds, size_t max_teams)
{
	struct cl_team_cache *c;

	if (ttl_seconds == 0 || max_teams == 0)
		return cl_error_setc(CL_EINVALID, "a team cache needs a lifetime and room");
	if (!(c = calloc(1, sizeof(*c))) || !(c->entries = calloc(max_teams, sizeof(*c->entries)))) {
		free(c);
		return cl_error_set("out of memory");
	}
	pthread_mutex_init(&c->lock, NULL);
	c->ttl = ttl_seconds;
	c->max = max_teams;
	*out = c;
	return 0;
}

void cl_team_cache_free(struct cl_team_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->count; i++)
		entry_dispose(&c->entries[i]);
	free(c->entries);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static struct team_entry *find(struct cl_team_cache *c, const char *team)
{
	size_t i;

	for (i = 0; i < c->count; i++)
		if (!strcmp(c->entries[i].team, team))
			return &c->entries[i];
	return NULL;
}

int cl_team_cache_get(char ***logins, int *exists, struct cl_team_cache *c, const char *team,
	time_t now)
{
	struct team_entry *e;
	size_t n;
	int rc = 0;

	*logins = NULL;
	pthread_mutex_lock(&c->lock);
	/* a clock that went back makes an entry look young: take it as stale */
	if ((e = find(c, team)) != NULL && now >= e->at && now - e->at < (time_t)c->ttl) {
		for (n = 0; e->logins[n]; n++)
			;
		if ((*logins = logins_dup(e->logins, n)) == NULL) {
			rc = cl_error_set("out of memory");
		} else {
			*exists = e->exists;
			rc = 1;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

int cl_team_cache_put(struct cl_team_cache *c, const char *team, char *const *logins,
	size_t count, int exists, time_t now)
{
	struct team_entry fresh, *e;
	size_t i;

	memset(&fresh, 0, sizeof(fresh));
	if (!(fresh.team = strdup(team)) || !(fresh.logins = logins_dup(logins, count))) {
		entry_dispose(&fresh);
		return cl_error_set("out of memory");
	}
	fresh.exists = exists;
	fresh.at = now;
	pthread_mutex_lock(&c->lock);
	if ((e = find(c, team)) == NULL) {
		if (c->count < c->max) {
			e = &c->entries[c->count++];
		} else {
			e = &c->entries[0];
			for (i = 1; i < c->count; i++)
				if (c->entries[i].at < e->at)
					e = &c->entries[i];
		}
	}
	entry_dispose(e);
	*e = fresh;
	pthread_mutex_unlock(&c->lock);
	return 0;
}
