#include "override.h"
#include "error.h"
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define PUSH_OPTION_MAX 1000

int cl_identity_resolve(char **out, const struct cl_policy_identity *identity,
	cl_env_cb env, void *payload)
{
	struct passwd *pw;
	char *name;
	size_t i;

	for (i = 0; i < identity->env_count; i++) {
		const char *v = env(identity->env[i], payload);
		if (v && *v) {
			if ((name = strdup(v)) == NULL)
				return cl_error_set("out of memory");
			*out = name;
			return 0;
		}
	}
	pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		name = strdup(pw->pw_name);
	else {
		char uid[32];
		snprintf(uid, sizeof(uid), "uid:%ld", (long)geteuid());
		name = strdup(uid);
	}
	if (!name)
		return cl_error_set("out of memory");
	*out = name;
	return 0;
}

int cl_push_option(char **value, const char *name, cl_env_cb env, void *payload)
{
	const char *count_s = env("GIT_PUSH_OPTION_COUNT", payload);
	size_t namelen = strlen(name);
	char *end;
	long count, i;

	if (!count_s || !*count_s)
		return 0;
	errno = 0;
	count = strtol(count_s, &end, 10);
	if (errno || *end || count < 0 || count > PUSH_OPTION_MAX)
		return cl_error_setc(CL_EINVALID, "GIT_PUSH_OPTION_COUNT '%s' is not a valid count", count_s);
	for (i = 0; i < count; i++) {
		char var[64];
		const char *opt;
		snprintf(var, sizeof(var), "GIT_PUSH_OPTION_%ld", i);
		opt = env(var, payload);
		if (!opt || strncmp(opt, name, namelen) != 0 || (opt[namelen] != '=' && opt[namelen] != '\0'))
			continue;
		if (value) {
			*value = strdup(opt[namelen] == '=' ? opt + namelen + 1 : "");
			if (!*value)
				return cl_error_set("out of memory");
		}
		return 1;
	}
	return 0;
}

int cl_override_requested(char **reason, const struct cl_policy_overrides *overrides,
	cl_env_cb env, void *payload)
{
	char *value = NULL, *p;
	int rc;

	if ((rc = cl_push_option(&value, overrides->push_option, env, payload)) <= 0)
		return rc;
	for (p = value; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p) {
		free(value);
		return cl_error_setc(CL_EINVALID,
			"an override needs a reason: git push -o %s=\"why this push may bypass the policy\"",
			overrides->push_option);
	}
	*reason = value;
	return 1;
}

int cl_audit_append(const char *path, const json_t *record)
{
	char *line = NULL;
	size_t len;
	int fd = -1, error = 0;

	line = json_dumps(record, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!line)
		return cl_error_set("cannot encode audit record");
	len = strlen(line);
	line[len++] = '\n';   /* json_dumps leaves room: we overwrite its NUL */

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		error = cl_error_set("cannot open audit log '%s': %s", path, strerror(errno));
		goto done;
	}
	/* O_APPEND makes one write atomic on local files; the lock covers NFS and
	 * short writes, so two concurrent pushes never interleave their lines. */
	if (flock(fd, LOCK_EX) < 0) {
		error = cl_error_set("cannot lock audit log '%s': %s", path, strerror(errno));
		goto done;
	}
	if ((error = cl_write_all(fd, line, len, path)) < 0)
		goto done;
	if (fsync(fd) < 0) {
		error = cl_error_set("cannot flush audit log '%s': %s", path, strerror(errno));
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	free(line);
	return error;
}
