/*
 * identities.c - email -> login, from a pull request's commits.
 */
#include "identities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"

void cl_bot_identities_dispose(struct cl_bot_identities *ids)
{
	size_t i;
	for (i = 0; i < ids->count; i++) {
		free(ids->items[i].email);
		free(ids->items[i].login);
	}
	free(ids->items);
	memset(ids, 0, sizeof(*ids));
}

static int identities_add(const char *sha, const char *email, const char *login, void *payload)
{
	struct cl_bot_identities *ids = payload;
	struct cl_bot_identity *it;
	size_t i;
	(void)sha;

	if (!*email)
		return 0;
	for (i = 0; i < ids->count; i++)
		if (!strcasecmp(ids->items[i].email, email))
			return 0;
	if (ids->count == ids->alloc) {
		size_t n = ids->alloc ? ids->alloc * 2 : 8;
		struct cl_bot_identity *p = realloc(ids->items, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		ids->items = p;
		ids->alloc = n;
	}
	it = &ids->items[ids->count];
	it->email = strdup(email);
	it->login = login ? strdup(login) : NULL;
	if (!it->email || (login && !it->login)) {
		free(it->email);
		free(it->login);
		return cl_error_set("out of memory");
	}
	ids->count++;
	return 0;
}

int cl_bot_identities_load(struct cl_bot_identities *ids, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number)
{
	int error = cl_forge_pull_commits_foreach(forge, repo, number, identities_add, ids);

	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		return 0;
	}
	return error < 0 ? error : 0;
}

int cl_bot_identities_login(char *login, size_t size, const char *email, void *payload)
{
	const struct cl_bot_identities *ids = payload;
	size_t i;

	for (i = 0; i < ids->count; i++) {
		if (strcasecmp(ids->items[i].email, email))
			continue;
		if (!ids->items[i].login)
			return CL_ENOTFOUND;
		snprintf(login, size, "%s", ids->items[i].login);
		return 0;
	}
	return 1;   /* not a commit email of this pull request (a co-author): cannot tell */
}

const char *cl_bot_identities_email_of(const struct cl_bot_identities *ids, const char *login)
{
	size_t i;
	for (i = 0; i < ids->count; i++)
		if (ids->items[i].login && !strcasecmp(ids->items[i].login, login))
			return ids->items[i].email;
	return NULL;
}
