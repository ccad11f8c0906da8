/*
 * identities.h - which forge account each commit email of a pull request
 * belongs to, as the forge says (its commits listing), so that a CLA signed
 * by login covers commits made with an email, and an email no account
 * holds is reported as unlinked.
 *
 * Layer rule: bot/ module over forge.h; feeds cl_engine_env (engine.h).
 */
#ifndef CL_BOT_IDENTITIES_H
#define CL_BOT_IDENTITIES_H

#include <stddef.h>
#include <stdint.h>

#include "forge.h"

struct cl_bot_identity {
	char *email;
	char *login;     /* NULL: the forge knows no account with this email */
};

struct cl_bot_identities {
	struct cl_bot_identity *items;
	size_t count, alloc;
};

#define CL_BOT_IDENTITIES_INIT { NULL, 0, 0 }

/* Read the commits of pull request `number`. A forge that cannot list
 * them (404) leaves the map empty: every email is then judged alone. */
int cl_bot_identities_load(struct cl_bot_identities *ids, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number);

/* cl_cla_login_fn over the map (payload: the map). */
int cl_bot_identities_login(char *login, size_t size, const char *email, void *payload);

/* The first email the map knows for `login` (case-insensitive), or NULL. */
const char *cl_bot_identities_email_of(const struct cl_bot_identities *ids, const char *login);

void cl_bot_identities_dispose(struct cl_bot_identities *ids);

#endif
