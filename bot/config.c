/*
 * config.c - bot.yml: a table of known keys per section, the YAML walked as
 * a document, each problem reported at its place with a hint.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "buf.h"
#include "error.h"

/* A configuration file, and a secret read from a file, are small. */
#define CONFIG_MAX_BYTES (1024 * 1024)
#define SECRET_MAX_BYTES 16384

enum kind {
	K_STRING,     /* char * */
	K_UINT,       /* unsigned int within [min, max] */
	K_SIZE,       /* size_t within [min, max] */
	K_LLONG,      /* long long within [min, max] */
	K_LISTEN,     /* "host:port" into listen_address and port */
	K_DURABILITY, /* process | power */
	K_SECRET_FILE, /* a path; the file's content goes to `off` */
	K_STRINGS     /* a list of strings: char **, NULL-terminated */
};

struct key {
	const char *section;   /* "" for the top level */
	const char *name;
	enum kind kind;
	size_t off;
	unsigned long long min, max;
	const char *hint;
};

#define CFG(m) offsetof(struct cl_bot_config, m)
#define GH(m) (offsetof(struct cl_bot_config, github) + offsetof(struct cl_bot_forge_config, m))
#define GT(m) (offsetof(struct cl_bot_config, gitea) + offsetof(struct cl_bot_forge_config, m))

#define DASHBOARD_TOKEN_HINT "16 to 256 characters of A-Z a-z 0-9 - . _ ~ + / =, such as the output of " \
	"openssl rand -hex 32"
#define URL_HINT "write the API root, such as https://api.github.com or https://gitea.example.com/api/v1"

static const struct key keys[] = {
	{ "", "listen", K_LISTEN, 0, 0, 0, "write ADDRESS:PORT, such as 127.0.0.1:8080 or [::1]:8080; port 0 picks a free one" },
	{ "", "data_dir", K_STRING, CFG(data_dir), 0, 0, "a directory path; it is created when missing" },
	{ "", "policy", K_STRING, CFG(policy_path), 0, 0,
	  "the server's default policy file; a repository's .clearance.yml is merged over it" },
	{ "", "bot_login", K_STRING, CFG(bot_login), 0, 0,
	  "the forge login the bot posts as; its own comments are never taken as commands" },
	{ "", "durability", K_DURABILITY, CFG(durability), 0, 0,
	  "write process (a commit survives a crash of the bot) or power (it also survives a power loss; slower)" },
	{ "limits", "max_body_bytes", K_SIZE, CFG(max_body_bytes), 1024, 1024ULL * 1024 * 1024, NULL },
	{ "limits", "connections", K_UINT, CFG(connections), 4, 100000, NULL },
	{ "limits", "connections_per_ip", K_UINT, CFG(connections_per_ip), 0, 100000, NULL },
	{ "limits", "connection_timeout", K_UINT, CFG(connection_timeout), 1, 3600, NULL },
	{ "limits", "request_timeout", K_UINT, CFG(request_timeout), 1, 3600, NULL },
	{ "limits", "http_threads", K_UINT, CFG(http_threads), 1, 64, NULL },
	{ "limits", "connection_memory", K_SIZE, CFG(connection_memory), 8192, 16 * 1024 * 1024, NULL },
	{ "workers", "count", K_UINT, CFG(workers), 0, 64, NULL },
	{ "workers", "max_attempts", K_UINT, CFG(max_attempts), 1, 100, NULL },
	{ "workers", "retry_base_ms", K_UINT, CFG(retry_base_ms), 1, 86400000, NULL },
	{ "workers", "retry_max_ms", K_UINT, CFG(retry_max_ms), 1, 86400000, NULL },
	{ "workers", "lease_seconds", K_UINT, CFG(lease_seconds), 5, 86400, NULL },
	{ "", "events_secret", K_STRING, CFG(events_secret), 0, 0,
	  "the secret hosted repositories sign their push events with (install-hooks --bot)" },
	{ "", "events_secret_file", K_SECRET_FILE, CFG(events_secret), 0, 0, NULL },
	{ "", "tracker", K_STRING, CFG(tracker), 0, 0,
	  "OWNER/REPO of the OSPO tracker where hosted repositories' issues are opened" },
	{ "", "tracker_forge", K_STRING, CFG(tracker_forge), 0, 0, "write github or gitea" },
	{ "", "labels", K_STRINGS, CFG(labels), 0, 0, "a list of label names, such as [ospo]" },
	{ "", "assignees", K_STRINGS, CFG(assignees), 0, 0, "a list of forge logins" },
	{ "", "dashboard_token", K_STRING, CFG(dashboard_token), 0, 0, DASHBOARD_TOKEN_HINT },
	{ "", "dashboard_token_file", K_SECRET_FILE, CFG(dashboard_token), 0, 0, NULL },
	{ "github", "webhook_secret", K_STRING, GH(webhook_secret), 0, 0, NULL },
	{ "github", "webhook_secret_file", K_SECRET_FILE, GH(webhook_secret), 0, 0, NULL },
	{ "github", "base_url", K_STRING, GH(base_url), 0, 0, URL_HINT },
	{ "github", "token", K_STRING, GH(token), 0, 0, NULL },
	{ "github", "token_file", K_SECRET_FILE, GH(token), 0, 0, NULL },
	{ "github", "app_id", K_LLONG, GH(app_id), 1, LLONG_MAX, NULL },
	{ "github", "private_key_path", K_STRING, GH(private_key_path), 0, 0, NULL },
	{ "github", "installation_id", K_LLONG, GH(installation_id), 1, LLONG_MAX, NULL },
	{ "github", "team_cache_seconds", K_UINT, GH(team_cache_seconds), 0, 86400, NULL },
	{ "gitea", "kind", K_STRING, GT(kind), 0, 0, "write gitea or forgejo" },
	{ "gitea", "webhook_secret", K_STRING, GT(webhook_secret), 0, 0, NULL },
	{ "gitea", "webhook_secret_file", K_SECRET_FILE, GT(webhook_secret), 0, 0, NULL },
	{ "gitea", "base_url", K_STRING, GT(base_url), 0, 0, URL_HINT },
	{ "gitea", "token", K_STRING, GT(token), 0, 0, NULL },
	{ "gitea", "token_file", K_SECRET_FILE, GT(token), 0, 0, NULL },
	{ "gitea", "team_cache_seconds", K_UINT, GT(team_cache_seconds), 0, 86400, NULL },
};

static const char *sections[] = { "limits", "workers", "github", "gitea" };

/* Environment variables that override a secret, and where it goes. */
static const struct { const char *var; size_t off; } env_secrets[] = {
	{ "CLEARANCE_GITHUB_WEBHOOK_SECRET", GH(webhook_secret) },
	{ "CLEARANCE_GITHUB_TOKEN", GH(token) },
	{ "CLEARANCE_GITEA_WEBHOOK_SECRET", GT(webhook_secret) },
	{ "CLEARANCE_GITEA_TOKEN", GT(token) },
	{ "CLEARANCE_EVENTS_SECRET", CFG(events_secret) },
	{ "CLEARANCE_DASHBOARD_TOKEN", CFG(dashboard_token) },
};

struct loader {
	const char *name;
	yaml_document_t doc;
	struct cl_bot_config *cfg;
	unsigned char seen[sizeof(keys) / sizeof(keys[0])];
};

static int config_error(const struct loader *ld, const yaml_mark_t *mark, const char *hint,
	const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int config_error(const struct loader *ld, const yaml_mark_t *mark, const char *hint,
	const char *fmt, ...)
{
	char problem[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	if (hint)
		return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s (hint: %s)", ld->name,
			mark->line + 1, mark->column + 1, problem, hint);
	return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s", ld->name, mark->line + 1,
		mark->column + 1, problem);
}

static int set_string(char **slot, const char *value, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return cl_error_set("out of memory");
	memcpy(copy, value, len);
	copy[len] = '\0';
	free(*slot);
	*slot = copy;
	return 0;
}

/* The secret is the file's content up to a trailing newline (how `echo` writes it). */
static int read_secret(char **slot, const char *path)
{
	struct cl_buf buf = CL_BUF_INIT;
	int error;

	cl_buf_init(&buf, SECRET_MAX_BYTES);
	if ((error = cl_buf_read_path(&buf, path)) < 0)
		goto done;
	while (buf.size > 0 && (buf.ptr[buf.size - 1] == '\n' || buf.ptr[buf.size - 1] == '\r'))
		buf.ptr[--buf.size] = '\0';
	if (buf.size == 0 || strlen(buf.ptr) != buf.size) {
		error = cl_error_setc(CL_EINVALID, "secret file '%s' is empty or holds a NUL byte", path);
		goto done;
	}
	error = set_string(slot, buf.ptr, buf.size);
done:
	cl_buf_dispose(&buf);
	return error;
}

static int parse_number(unsigned long long *out, const char *s)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int set_listen(struct loader *ld, const yaml_mark_t *mark, const char *value, const char *hint)
{
	const char *colon, *host = value;
	size_t hlen;
	unsigned long long port;

	if (value[0] == '[') {
		const char *close = strchr(value, ']');
		if (!close || close[1] != ':')
			return config_error(ld, mark, hint, "invalid listen address '%s'", value);
		host = value + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
	} else {
		colon = strrchr(value, ':');
		if (!colon || strchr(value, ':') != colon)
			return config_error(ld, mark, hint, "invalid listen address '%s'", value);
		hlen = (size_t)(colon - value);
	}
	if (hlen == 0 || parse_number(&port, colon + 1) < 0 || port > 65535)
		return config_error(ld, mark, hint, "invalid listen address '%s'", value);
	ld->cfg->port = (unsigned int)port;
	return set_string(&ld->cfg->listen_address, host, hlen);
}

static void strings_free(char **items)
{
	size_t i;
	for (i = 0; items && items[i]; i++)
		free(items[i]);
	free(items);
}

/* A YAML sequence of non-empty scalars (at most 64) into a NULL-terminated array. */
static int set_strings(struct loader *ld, const struct key *k, char ***slot, yaml_node_t *node)
{
	yaml_node_item_t *item;
	char **items;
	size_t n = 0;
	int error;

	if (node->type != YAML_SEQUENCE_NODE)
		return config_error(ld, &node->start_mark, k->hint, "expected a list for '%s'", k->name);
	if (node->data.sequence.items.top - node->data.sequence.items.start > 64)
		return config_error(ld, &node->start_mark, NULL, "more than 64 entries in '%s'", k->name);
	if (!(items = calloc((size_t)(node->data.sequence.items.top - node->data.sequence.items.start) + 1,
			sizeof(*items))))
		return cl_error_set("out of memory");
	for (item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
		yaml_node_t *v = yaml_document_get_node(&ld->doc, *item);
		if (!v || v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0 ||
		    strlen((const char *)v->data.scalar.value) != v->data.scalar.length) {
			error = config_error(ld, v ? &v->start_mark : &node->start_mark, k->hint,
				"entries of '%s' are non-empty strings", k->name);
			strings_free(items);
			return error;
		}
		if ((error = set_string(&items[n], (const char *)v->data.scalar.value,
				v->data.scalar.length)) < 0) {
			strings_free(items);
			return error;
		}
		n++;
	}
	strings_free(*slot);
	*slot = items;
	return 0;
}

static int apply(struct loader *ld, size_t index, yaml_node_t *node)
{
	const struct key *k = &keys[index];
	char *base = (char *)ld->cfg;
	const char *value;
	unsigned long long n;
	const char *kind_text = k->kind == K_STRING || k->kind == K_SECRET_FILE ||
		k->kind == K_LISTEN || k->kind == K_DURABILITY ? "a string" : "a whole number";
	char hint[128];

	if (k->kind == K_STRINGS)
		return set_strings(ld, k, (char ***)(void *)(base + k->off), node);
	if (node->type != YAML_SCALAR_NODE)
		return config_error(ld, &node->start_mark, k->hint, "expected %s for '%s%s%s'",
			kind_text, k->section, *k->section ? "." : "", k->name);
	value = (const char *)node->data.scalar.value;
	if (strlen(value) != node->data.scalar.length)
		return config_error(ld, &node->start_mark, NULL, "NUL byte in the value of '%s'", k->name);

	switch (k->kind) {
	case K_STRING:
		if (!*value)
			return config_error(ld, &node->start_mark, k->hint, "empty value for '%s'", k->name);
		return set_string((char **)(void *)(base + k->off), value, node->data.scalar.length);
	case K_SECRET_FILE: {
		int error = read_secret((char **)(void *)(base + k->off), value);
		if (error < 0)
			return config_error(ld, &node->start_mark, "the file holds the secret alone, "
				"readable by the bot's user", "cannot use '%s': %s", k->name, cl_error_last());
		return 0;
	}
	case K_LISTEN:
		return set_listen(ld, &node->start_mark, value, k->hint);
	case K_DURABILITY:
		if (!strcmp(value, "process"))
			ld->cfg->durability = CL_DB_SYNC_NORMAL;
		else if (!strcmp(value, "power"))
			ld->cfg->durability = CL_DB_SYNC_FULL;
		else
			return config_error(ld, &node->start_mark, k->hint,
				"invalid value '%s' for 'durability'", value);
		return 0;
	case K_STRINGS:
		break;   /* handled above: not a scalar */
	case K_UINT:
	case K_SIZE:
	case K_LLONG:
		snprintf(hint, sizeof(hint), "write a whole number from %llu to %llu, without a unit",
			k->min, k->max);
		if (parse_number(&n, value) < 0 || n < k->min || n > k->max)
			return config_error(ld, &node->start_mark, hint, "invalid value '%s' for '%s'",
				value, k->name);
		if (k->kind == K_UINT)
			*(unsigned int *)(void *)(base + k->off) = (unsigned int)n;
		else if (k->kind == K_SIZE)
			*(size_t *)(void *)(base + k->off) = (size_t)n;
		else
			*(long long *)(void *)(base + k->off) = (long long)n;
		return 0;
	}
	CL_BUG("unknown config key kind");
}

static int known_keys(char *dst, size_t size, const char *section)
{
	size_t i, o = 0;
	dst[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int n;
		if (strcmp(keys[i].section, section) != 0)
			continue;
		n = snprintf(dst + o, size - o, "%s%s", o ? ", " : "known keys: ", keys[i].name);
		if (n < 0 || (size_t)n >= size - o)
			break;
		o += (size_t)n;
	}
	if (!*section) {
		for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
			int n = snprintf(dst + o, size - o, ", %s", sections[i]);
			if (n < 0 || (size_t)n >= size - o)
				break;
			o += (size_t)n;
		}
	}
	return 0;
}

static int walk(struct loader *ld, yaml_node_t *map, const char *section)
{
	yaml_node_pair_t *pair;
	char hint[512];
	int error;

	if (map->type != YAML_MAPPING_NODE)
		return config_error(ld, &map->start_mark, "write 'key: value' lines",
			"expected a mapping for '%s'", *section ? section : "the file");
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&ld->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(&ld->doc, pair->value);
		const char *name;
		size_t i;
		int found = 0;

		if (!k || !v || k->type != YAML_SCALAR_NODE)
			return config_error(ld, k ? &k->start_mark : &map->start_mark, NULL,
				"keys are plain words");
		name = (const char *)k->data.scalar.value;
		if (!*section) {
			for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
				if (!strcmp(name, sections[i])) {
					if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
						found = 1;   /* "github:" with nothing under it */
					else if ((error = walk(ld, v, sections[i])) < 0)
						return error;
					found = 1;
				}
			if (found)
				continue;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(keys[i].section, section) != 0 || strcmp(keys[i].name, name) != 0)
				continue;
			if (ld->seen[i])
				return config_error(ld, &k->start_mark, "remove one of them",
					"'%s' is given twice", name);
			ld->seen[i] = 1;
			if ((error = apply(ld, i, v)) < 0)
				return error;
			found = 1;
		}
		if (!found) {
			known_keys(hint, sizeof(hint), section);
			return config_error(ld, &k->start_mark, hint, "unknown key '%s%s%s'",
				section, *section ? "." : "", name);
		}
	}
	return 0;
}

/* A value and its _file twin would leave the reader guessing which wins. */
static int check_pairs(struct loader *ld)
{
	size_t i, j;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (keys[i].kind != K_SECRET_FILE || !ld->seen[i])
			continue;
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
			if (j != i && ld->seen[j] && keys[j].off == keys[i].off)
				return cl_error_setc(CL_EINVALID, "%s: both '%s.%s' and '%s.%s' are set "
					"(hint: keep the secret in one place)", ld->name, keys[i].section,
					keys[i].name, keys[j].section, keys[j].name);
	}
	return 0;
}

static int config_defaults(struct cl_bot_config *cfg)
{
	cfg->listen_address = strdup("127.0.0.1");
	cfg->data_dir = strdup("./clearance-data");
	cfg->github.kind = strdup("github");
	cfg->gitea.kind = strdup("gitea");
	if (!cfg->listen_address || !cfg->data_dir || !cfg->github.kind || !cfg->gitea.kind)
		return cl_error_set("out of memory");
	cfg->port = 8080;
	cfg->durability = CL_DB_SYNC_NORMAL;
	cfg->max_body_bytes = 25 * 1024 * 1024;
	cfg->connections = 1024;
	cfg->connections_per_ip = 0;
	cfg->connection_timeout = 10;
	cfg->request_timeout = 30;
	cfg->http_threads = 4;
	cfg->connection_memory = 64 * 1024;
	cfg->workers = 2;
	cfg->max_attempts = 5;
	cfg->retry_base_ms = 1000;
	cfg->retry_max_ms = 300000;
	cfg->lease_seconds = 600;
	/* an approver taken out of a team keeps its powers at most this long */
	cfg->github.team_cache_seconds = 300;
	cfg->gitea.team_cache_seconds = 300;
	return 0;
}

static int load_file(struct cl_bot_config *cfg, const char *path)
{
	struct loader ld;
	struct cl_buf buf = CL_BUF_INIT;
	yaml_parser_t parser;
	yaml_node_t *root;
	int error = 0, have_parser = 0, have_doc = 0;

	memset(&ld, 0, sizeof(ld));
	ld.name = path;
	ld.cfg = cfg;
	cl_buf_init(&buf, CONFIG_MAX_BYTES);
	if ((error = cl_buf_read_path(&buf, path)) < 0)
		goto done;
	if (!yaml_parser_initialize(&parser)) {
		error = cl_error_set("out of memory");
		goto done;
	}
	have_parser = 1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf.ptr, buf.size);
	if (!yaml_parser_load(&parser, &ld.doc)) {
		yaml_mark_t mark = parser.problem_mark;
		error = config_error(&ld, &mark, "check the indentation (spaces, not tabs) and the quoting",
			"invalid YAML: %s", parser.problem ? parser.problem : "unknown error");
		goto done;
	}
	have_doc = 1;
	root = yaml_document_get_root_node(&ld.doc);
	if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
		if ((error = walk(&ld, root, "")) < 0)
			goto done;
		if ((error = check_pairs(&ld)) < 0)
			goto done;
	}
	if (strcmp(cfg->gitea.kind, "gitea") != 0 && strcmp(cfg->gitea.kind, "forgejo") != 0) {
		error = cl_error_setc(CL_EINVALID, "%s: invalid value '%s' for 'gitea.kind' "
			"(hint: write gitea or forgejo)", path, cfg->gitea.kind);
		goto done;
	}
	if (cfg->tracker_forge && strcmp(cfg->tracker_forge, "github") && strcmp(cfg->tracker_forge, "gitea")) {
		error = cl_error_setc(CL_EINVALID, "%s: invalid value '%s' for 'tracker_forge' "
			"(hint: write github or gitea)", path, cfg->tracker_forge);
		goto done;
	}
	if (cfg->tracker) {
		const char *slash = strchr(cfg->tracker, '/');
		if (!slash || slash == cfg->tracker || !slash[1] || strchr(slash + 1, '/')) {
			error = cl_error_setc(CL_EINVALID, "%s: invalid value '%s' for 'tracker' "
				"(hint: write OWNER/REPO, such as acme/ospo)", path, cfg->tracker);
			goto done;
		}
	}
	if (cfg->retry_max_ms < cfg->retry_base_ms) {
		error = cl_error_setc(CL_EINVALID, "%s: 'workers.retry_max_ms' is below 'workers.retry_base_ms'",
			path);
		goto done;
	}
done:
	if (have_doc)
		yaml_document_delete(&ld.doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	cl_buf_dispose(&buf);
	return error;
}

/*
 * The dashboard token travels in a cookie and a header, so it is held to
 * characters both carry unquoted; short ones are refused because the
 * token is the dashboard's only lock. The message never quotes the value:
 * it is a secret, possibly from the environment.
 */
static int check_dashboard_token(const char *token, const char *where)
{
	size_t len = strlen(token);

	if (len >= 16 && len <= 256 &&
	    strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=") == len)
		return 0;
	return cl_error_setc(CL_EINVALID, "%s: invalid value for 'dashboard_token' (hint: %s)",
		where ? where : "bot.yml", DASHBOARD_TOKEN_HINT);
}

int cl_bot_config_load(struct cl_bot_config **out, const char *path)
{
	struct cl_bot_config *cfg = calloc(1, sizeof(*cfg));
	size_t i;
	int error = 0;

	CL_CHECK_ALLOC(cfg);
	if ((error = config_defaults(cfg)) < 0)
		goto done;
	if (path && (error = load_file(cfg, path)) < 0)
		goto done;
	for (i = 0; i < sizeof(env_secrets) / sizeof(env_secrets[0]); i++) {
		const char *v = getenv(env_secrets[i].var);
		if (v && *v && (error = set_string((char **)(void *)((char *)cfg + env_secrets[i].off),
				v, strlen(v))) < 0)
			goto done;
	}
	if (cfg->dashboard_token && (error = check_dashboard_token(cfg->dashboard_token,
			getenv("CLEARANCE_DASHBOARD_TOKEN") && *getenv("CLEARANCE_DASHBOARD_TOKEN") ?
			"CLEARANCE_DASHBOARD_TOKEN" : path)) < 0)
		goto done;
	*out = cfg;
	cfg = NULL;
done:
	cl_bot_config_free(cfg);
	return error;
}

static void forge_dispose(struct cl_bot_forge_config *f)
{
	free(f->kind);
	if (f->webhook_secret) {
		memset(f->webhook_secret, 0, strlen(f->webhook_secret));
		free(f->webhook_secret);
	}
	free(f->base_url);
	if (f->token) {
		memset(f->token, 0, strlen(f->token));
		free(f->token);
	}
	free(f->private_key_path);
}

void cl_bot_config_free(struct cl_bot_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->listen_address);
	free(cfg->data_dir);
	free(cfg->policy_path);
	free(cfg->bot_login);
	forge_dispose(&cfg->github);
	forge_dispose(&cfg->gitea);
	if (cfg->events_secret) {
		memset(cfg->events_secret, 0, strlen(cfg->events_secret));
		free(cfg->events_secret);
	}
	free(cfg->tracker);
	free(cfg->tracker_forge);
	if (cfg->dashboard_token) {
		memset(cfg->dashboard_token, 0, strlen(cfg->dashboard_token));
		free(cfg->dashboard_token);
	}
	strings_free(cfg->labels);
	strings_free(cfg->assignees);
	free(cfg);
}
