/*
 * run_cases - the one runner of tests/cases/caseNNNN (STYLE.md 5, "Tests as
 * data"). A case file describes one scenario: a server repository with the
 * hooks installed, a work repository, a push, and what must be seen after
 * it. tests/cases/README.md is the reference of the format; this program
 * knows nothing about any particular case.
 *
 *   CLEARANCE_BIN=build/clearance build/tests/run_cases tests/cases [caseNNNN...]
 *
 * Environment: CASES (keywords/ids to select, "!word" to exclude),
 * TRANSPORTS ("file daemon http"), JOBS (parallel cases), KEEP=1 (keep
 * every scratch directory), CASE_TIMEOUT (seconds per phase, default 60).
 *
 * Each (case, transport) pair is one cmocka test. The pairs run in child
 * processes, JOBS at a time, and are reported in file order as each one
 * finishes: a case spends most of its life waiting on git processes, so the
 * pool, not cmocka, is what keeps the suite short. A job never calls cmocka;
 * it writes a report file and exits 0 (pass) or 1 (fail). The git daemon
 * and the HTTP server (smart HTTP through `git http-backend`) are started
 * once, before the first test, and stopped after the last.
 *
 * Divisions: strings; case files; processes; variables; verification;
 * one job; the git daemon; the http server; the pool and cmocka; main.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <git2.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cmocka.h>

#define DEFAULT_TIMEOUT 60
#define MAX_SECTIONS 32
#define ZERO_OID "0000000000000000000000000000000000000000"
#define SHORT_LEN 10  /* CL_REPORT_SHORT_ID: what reports print */

/* ------------------------------------------------------------------ strings */

struct sbuf {
	char *ptr;
	size_t len, cap;
};

#define SBUF_INIT { NULL, 0, 0 }

static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("run_cases: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* A test tool has nothing sensible to do without memory: stop loudly. */
static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die("out of memory");
	return q;
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = xrealloc(NULL, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->ptr = xrealloc(b->ptr, cap);
		b->cap = cap;
	}
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char small[256];

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf failed");
	if ((size_t)n < sizeof(small)) {
		sb_add(b, small, (size_t)n);
		return;
	}
	{
		char *big = xrealloc(NULL, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		sb_add(b, big, (size_t)n);
		free(big);
	}
}

static const char *sb_str(const struct sbuf *b)
{
	return b->ptr ? b->ptr : "";
}

static char *sb_detach(struct sbuf *b)
{
	char *p = b->ptr ? b->ptr : xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

static void sb_free(struct sbuf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

/* A string split into lines; the strings point into one owned copy. */
struct lines {
	char *storage;
	char **v;
	size_t n;
};

/* Split at LF; trailing CR and spaces of each line are dropped (git pads sideband lines). */
static void lines_split(struct lines *out, const char *text)
{
	char *p;
	size_t cap = 0;

	out->storage = xstrdup(text ? text : "");
	out->v = NULL;
	out->n = 0;
	p = out->storage;
	if (!*p)
		return;
	for (;;) {
		char *nl = strchr(p, '\n');
		char *end = nl ? nl : p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n++] = p;
		if (!nl) {
			*end = '\0';
			break;
		}
		*end = '\0';
		p = nl + 1;
		if (!*p)
			break;
	}
}

static void lines_free(struct lines *l)
{
	free(l->storage);
	free(l->v);
	l->storage = NULL;
	l->v = NULL;
	l->n = 0;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int read_file(char **out, const char *path)
{
	struct sbuf b = SBUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sb_add(&b, chunk, n);
	fclose(fp);
	*out = sb_detach(&b);
	return 0;
}

static int write_file(const char *path, const char *data, mode_t mode)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return close(fd);
}

/* A positive number from the environment, or `fallback` (STYLE.md: no atoi). */
static int env_positive(const char *name, int fallback)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return fallback;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n <= 0 || n > 100000)
		die("%s='%s' is not a positive number", name, v);
	return (int)n;
}

/* --------------------------------------------------------------- case files */

/*
 * A section is <name attrs>content</name>. Sections are found by scanning,
 * not by a full XML parser: the content is shell, YAML and expected output,
 * full of '<' and '>' (e-mail addresses, redirections), and only the exact
 * closing tag ends a section.
 */
struct section {
	char name[32];
	char *attrs;    /* what follows the name in the opening tag, e.g. ` mode="exact"` */
	char *content;  /* one leading newline removed */
};

struct sections {
	struct section v[MAX_SECTIONS];
	size_t n;
};

static void sections_free(struct sections *s)
{
	size_t i;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].attrs);
		free(s->v[i].content);
	}
	s->n = 0;
}

/* Parse the sections of `text`; text outside sections is commentary. */
static int sections_parse(struct sections *out, const char *text, struct sbuf *err)
{
	const char *p = text;

	out->n = 0;
	while ((p = strchr(p, '<')) != NULL) {
		const char *name = p + 1, *name_end = name, *open_end, *close;
		char closing[40];
		struct section *s;

		while ((*name_end >= 'a' && *name_end <= 'z') || *name_end == '-' ||
		       (*name_end >= '0' && *name_end <= '9'))
			name_end++;
		if (name_end == name || (*name_end != '>' && *name_end != ' ')) {
			p++;
			continue;
		}
		if ((size_t)(name_end - name) >= sizeof(s->name)) {
			sb_printf(err, "section name too long near '%.20s'", p);
			return -1;
		}
		if ((open_end = strchr(name_end, '>')) == NULL) {
			sb_printf(err, "unterminated opening tag <%.*s", (int)(name_end - name), name);
			return -1;
		}
		snprintf(closing, sizeof(closing), "</%.*s>", (int)(name_end - name), name);
		if ((close = strstr(open_end + 1, closing)) == NULL) {
			sb_printf(err, "<%.*s> has no %s", (int)(name_end - name), name, closing);
			return -1;
		}
		if (out->n == MAX_SECTIONS) {
			sb_printf(err, "more than %d sections", MAX_SECTIONS);
			return -1;
		}
		s = &out->v[out->n++];
		memcpy(s->name, name, (size_t)(name_end - name));
		s->name[name_end - name] = '\0';
		s->attrs = xstrndup(name_end, (size_t)(open_end - name_end));
		open_end++;
		if (*open_end == '\n')
			open_end++;
		else if (*open_end == '\r' && open_end[1] == '\n')
			open_end += 2;
		s->content = xstrndup(open_end, (size_t)(close - open_end));
		p = close + strlen(closing);
	}
	return 0;
}

static const struct section *section_get(const struct sections *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

/* Is every section name one of `known` (NULL-terminated)? */
static int sections_check(const struct sections *s, const char *const *known, const char *where,
	struct sbuf *err)
{
	size_t i, k;
	for (i = 0; i < s->n; i++) {
		int ok = 0;
		for (k = 0; known[k]; k++)
			ok |= !strcmp(s->v[i].name, known[k]);
		if (!ok) {
			sb_printf(err, "unknown section <%s> in %s (known:", s->v[i].name, where);
			for (k = 0; known[k]; k++)
				sb_printf(err, " %s", known[k]);
			sb_puts(err, ")");
			return -1;
		}
	}
	return 0;
}

/* The value of attribute `name` in `attrs` (name="value"), malloc'd, or NULL. */
static char *attr_get(const char *attrs, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = attrs;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == attrs || p[-1] == ' ') && p[nlen] == '=' && p[nlen + 1] == '"') {
			const char *v = p + nlen + 2, *e = strchr(v, '"');
			if (e)
				return xstrndup(v, (size_t)(e - v));
		}
		p += nlen;
	}
	return NULL;
}

struct tcase {
	char *id;        /* file name, "case0001" */
	char *path;
	char *name;
	char *keywords;  /* space separated */
	char *http_user; /* <http-user>: who the web server says pushes, or NULL */
	int timeout;
	struct sections top;
	struct sections verify;
	char *parse_error;  /* the case fails with this when set */
};

static const char *const top_sections[] = {
	"info", "policy", "setup", "install", "stdin", "push", "verify", NULL
};
static const char *const info_sections[] = { "name", "keywords", "timeout", "http-user", NULL };
static const char *const verify_sections[] = {
	"exit", "stdout", "stdout-not", "stderr", "stderr-not", "strip", "refs", "audit",
	"stdout-json", NULL
};

static char *trimmed(const char *s)
{
	const char *e;
	s = skip_space(s);
	while (*s == '\n' || *s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

static int has_keyword(const struct tcase *c, const char *word)
{
	const char *p = c->keywords;
	size_t n = strlen(word);
	if (!p)
		return 0;  /* case_load has not read <keywords> (yet) */
	while ((p = strstr(p, word)) != NULL) {
		if ((p == c->keywords || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

/* The keywords that pin a case to one transport; at most one may be given. */
static const char *const only_keywords[][2] = {
	{ "local", "local" }, { "file-only", "file" }, { "daemon-only", "daemon" }, { "http-only", "http" },
};

/* The one transport the case is pinned to, or NULL (it runs over every transport). */
static const char *case_only(const struct tcase *c)
{
	size_t i;
	for (i = 0; i < sizeof(only_keywords) / sizeof(only_keywords[0]); i++)
		if (has_keyword(c, only_keywords[i][0]))
			return only_keywords[i][1];
	return NULL;
}

/*
 * The name goes into the remote URL as http://NAME:secret@..., so only
 * characters that need no escaping there are allowed.
 */
static int http_user_valid(const char *name)
{
	const char *p;
	if (!*name)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

static void case_load(struct tcase *c, const char *dir, const char *id)
{
	struct sbuf path = SBUF_INIT, err = SBUF_INIT;
	struct sections info = { .n = 0 };
	const struct section *s;
	char *text = NULL;

	memset(c, 0, sizeof(*c));
	c->id = xstrdup(id);
	sb_printf(&path, "%s/%s", dir, id);
	c->path = sb_detach(&path);
	c->timeout = DEFAULT_TIMEOUT;
	c->timeout = env_positive("CASE_TIMEOUT", DEFAULT_TIMEOUT);
	if (read_file(&text, c->path) < 0) {
		sb_printf(&err, "cannot read '%s': %s", c->path, strerror(errno));
		goto done;
	}
	if (sections_parse(&c->top, text, &err) < 0 ||
	    sections_check(&c->top, top_sections, "the case", &err) < 0)
		goto done;
	if ((s = section_get(&c->top, "info")) != NULL) {
		const struct section *x;
		if (sections_parse(&info, s->content, &err) < 0 ||
		    sections_check(&info, info_sections, "<info>", &err) < 0)
			goto done;
		if ((x = section_get(&info, "name")) != NULL)
			c->name = trimmed(x->content);
		if ((x = section_get(&info, "keywords")) != NULL)
			c->keywords = trimmed(x->content);
		if ((x = section_get(&info, "timeout")) != NULL) {
			char *end;
			long t = strtol(x->content, &end, 10);
			if (end == x->content || t <= 0 || t > 3600) {
				sb_printf(&err, "<timeout> must be 1..3600 seconds");
				goto done;
			}
			c->timeout = (int)t;
		}
		if ((x = section_get(&info, "http-user")) != NULL)
			c->http_user = trimmed(x->content);
	}
	{
		size_t i, pins = 0;
		for (i = 0; i < sizeof(only_keywords) / sizeof(only_keywords[0]); i++)
			pins += (size_t)has_keyword(c, only_keywords[i][0]);
		if (pins > 1) {
			sb_puts(&err, "at most one of the keywords local, file-only, daemon-only, http-only");
			goto done;
		}
	}
	if (c->http_user && !http_user_valid(c->http_user)) {
		sb_printf(&err, "<http-user> '%s' must be letters, digits, '.', '_' or '-'", c->http_user);
		goto done;
	}
	/* Elsewhere nobody would authenticate it: the case would silently test an anonymous push. */
	if (c->http_user && !has_keyword(c, "http-only")) {
		sb_puts(&err, "<http-user> needs the keyword http-only (only the http transport has a web "
			"server that authenticates the pusher)");
		goto done;
	}
	if (!section_get(&c->top, "push")) {
		sb_puts(&err, "a case needs a <push> section (what is being tested)");
		goto done;
	}
	if ((s = section_get(&c->top, "verify")) != NULL &&
	    (sections_parse(&c->verify, s->content, &err) < 0 ||
	     sections_check(&c->verify, verify_sections, "<verify>", &err) < 0))
		goto done;
done:
	if (!c->name)
		c->name = xstrdup("(no name)");
	if (!c->keywords)
		c->keywords = xstrdup("");
	if (err.len)
		c->parse_error = sb_detach(&err);
	sections_free(&info);
	sb_free(&err);
	free(text);
}

static void case_free(struct tcase *c)
{
	free(c->id);
	free(c->path);
	free(c->name);
	free(c->keywords);
	free(c->http_user);
	free(c->parse_error);
	sections_free(&c->top);
	sections_free(&c->verify);
}

/* Does `pattern` (fnmatch) match the case id or one of its keywords? */
static int case_matches(const struct tcase *c, const char *pattern)
{
	char *kw = xstrdup(c->keywords), *save = NULL, *w;
	int hit = fnmatch(pattern, c->id, 0) == 0;
	for (w = strtok_r(kw, " \t\n", &save); w && !hit; w = strtok_r(NULL, " \t\n", &save))
		hit = fnmatch(pattern, w, 0) == 0;
	free(kw);
	return hit;
}

/* CASES="dco override !slow": any positive word selects, any "!word" excludes. */
static int case_selected(const struct tcase *c, const char *filter)
{
	char *copy, *save = NULL, *w;
	int positives = 0, in = 0, out = 0;

	if (!filter || !*filter)
		return 1;
	copy = xstrdup(filter);
	for (w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
		if (*w == '!') {
			out |= case_matches(c, w + 1);
		} else {
			positives++;
			in |= case_matches(c, w);
		}
	}
	free(copy);
	return !out && (positives == 0 || in);
}

/* ---------------------------------------------------------------- processes */

/*
 * Run `argv` with stdin/stdout/stderr from/to the given files (NULL:
 * /dev/null), in its own process group so that a timeout kills everything
 * it started. Returns the exit status, 128+signal, or -1 on timeout.
 */
static int run_process(char *const argv[], const char *dir, const char *in, const char *out,
	const char *err, int timeout)
{
	struct timespec start, now, nap;
	long delay_ns = 1000000;
	pid_t pid;
	int status;

	fflush(NULL);
	if ((pid = fork()) < 0)
		return 127;
	if (pid == 0) {
		int fd;
		setpgid(0, 0);
		if ((fd = open(in ? in : "/dev/null", O_RDONLY)) < 0 || dup2(fd, 0) < 0)
			_exit(126);
		close(fd);
		if ((fd = open(out ? out : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
		    dup2(fd, 1) < 0)
			_exit(126);
		close(fd);
		if ((fd = open(err ? err : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
		    dup2(fd, 2) < 0)
			_exit(126);
		close(fd);
		if (dir && chdir(dir) < 0)
			_exit(126);
		execvp(argv[0], argv);
		fprintf(stderr, "run_cases: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			return 127;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= timeout) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		/* Poll quickly at first: most phases are over in milliseconds. */
		nap.tv_sec = 0;
		nap.tv_nsec = delay_ns;
		nanosleep(&nap, NULL);
		if (delay_ns < 20000000)
			delay_ns *= 2;
	}
	/* Whatever the phase left behind (a stuck background job) goes too. */
	kill(-pid, SIGKILL);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---------------------------------------------------------------- variables */

/* What a job knows while it expands %VARIABLES. */
struct job_ctx {
	const struct tcase *c;
	const char *transport;
	char *dir;       /* scratch directory of this job */
	char *bare;      /* the server repository */
	char *work;      /* the work repository */
	char *url;       /* the remote URL for this transport */
	char *policy;    /* where <policy> is written */
	char *user;      /* the Unix user the hooks run as */
	git_repository *work_repo, *bare_repo;
};

static int resolve_rev(struct job_ctx *j, const char *spec, git_object **out, struct sbuf *err)
{
	git_repository **repo = &j->work_repo;
	const char *path = j->work;

	if (!strncmp(spec, "bare:", 5)) {
		repo = &j->bare_repo;
		path = j->bare;
		spec += 5;
	}
	if (!*repo && git_repository_open(repo, path) < 0) {
		sb_printf(err, "cannot open '%s': %s", path, git_error_last() ? git_error_last()->message : "?");
		return -1;
	}
	if (git_revparse_single(out, *repo, spec) < 0) {
		sb_printf(err, "cannot resolve '%s' in %s: %s", spec, repo == &j->bare_repo ? "the bare repository" :
			"the work repository", git_error_last() ? git_error_last()->message : "?");
		return -1;
	}
	return 0;
}

/*
 * Expand %ZERO, %OID[rev], %SHORT[rev], %SUBJECT[rev], %BARE, %WORK, %URL,
 * %POLICY, %USER, %TRANSPORT, %CASEDIR and %% in `text`. Revisions are
 * resolved in the work repository, or in the bare one with a "bare:" prefix.
 * A '%' not followed by a capital letter is kept as it is.
 */
static int expand(char **out, struct job_ctx *j, const char *text, struct sbuf *err)
{
	struct sbuf b = SBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *pct = strchr(p, '%'), *name, *name_end;
		char var[32];
		char *arg = NULL;

		if (!pct) {
			sb_puts(&b, p);
			break;
		}
		sb_add(&b, p, (size_t)(pct - p));
		if (pct[1] == '%') {
			sb_puts(&b, "%");
			p = pct + 2;
			continue;
		}
		name = name_end = pct + 1;
		while ((*name_end >= 'A' && *name_end <= 'Z') || *name_end == '_')
			name_end++;
		if (name_end == name || (size_t)(name_end - name) >= sizeof(var)) {
			sb_puts(&b, "%");
			p = pct + 1;
			continue;
		}
		memcpy(var, name, (size_t)(name_end - name));
		var[name_end - name] = '\0';
		p = name_end;
		if (*p == '[') {
			const char *close = strchr(p, ']');
			if (!close) {
				sb_printf(err, "%%%s[ has no closing ]", var);
				goto fail;
			}
			arg = xstrndup(p + 1, (size_t)(close - p - 1));
			p = close + 1;
		}
		if (!strcmp(var, "OID") || !strcmp(var, "SHORT") || !strcmp(var, "SUBJECT")) {
			git_object *obj = NULL;
			char hex[GIT_OID_HEXSZ + 1];
			if (!arg) {
				sb_printf(err, "%%%s needs a revision: %%%s[rev]", var, var);
				goto fail;
			}
			if (resolve_rev(j, arg, &obj, err) < 0)
				goto fail;
			if (!strcmp(var, "SUBJECT")) {
				git_object *commit = NULL;
				const char *subject;
				if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
					git_object_free(obj);
					sb_printf(err, "'%s' is not a commit", arg);
					goto fail;
				}
				subject = git_commit_summary((git_commit *)commit);
				sb_puts(&b, subject ? subject : "");
				git_object_free(commit);
			} else {
				git_oid_tostr(hex, sizeof(hex), git_object_id(obj));
				sb_add(&b, hex, strcmp(var, "SHORT") ? strlen(hex) : SHORT_LEN);
			}
			git_object_free(obj);
		} else if (arg) {
			sb_printf(err, "%%%s takes no [argument]", var);
			goto fail;
		} else if (!strcmp(var, "ZERO")) {
			sb_puts(&b, ZERO_OID);
		} else if (!strcmp(var, "BARE")) {
			sb_puts(&b, j->bare);
		} else if (!strcmp(var, "WORK")) {
			sb_puts(&b, j->work);
		} else if (!strcmp(var, "URL")) {
			sb_puts(&b, j->url);
		} else if (!strcmp(var, "POLICY")) {
			sb_puts(&b, j->policy);
		} else if (!strcmp(var, "USER")) {
			sb_puts(&b, j->user);
		} else if (!strcmp(var, "TRANSPORT")) {
			sb_puts(&b, j->transport);
		} else if (!strcmp(var, "CASEDIR")) {
			sb_puts(&b, j->dir);
		} else {
			sb_printf(err, "unknown variable %%%s", var);
			goto fail;
		}
		free(arg);
		continue;
fail:
		free(arg);
		sb_free(&b);
		return -1;
	}
	*out = sb_detach(&b);
	return 0;
}

/* ------------------------------------------------------------- verification */

/* Drop the lines matching any <strip> regular expression. */
static int strip_lines(struct lines *l, const char *strip, struct sbuf *err)
{
	struct lines pats;
	size_t i, k, kept = 0;
	int rc = 0;

	lines_split(&pats, strip);
	for (i = 0; i < pats.n && rc == 0; i++) {
		regex_t re;
		const char *pat = skip_space(pats.v[i]);
		if (!*pat)
			continue;
		if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB) != 0) {
			sb_printf(err, "bad <strip> expression '%s'", pat);
			rc = -1;
			break;
		}
		for (k = 0, kept = 0; k < l->n; k++)
			if (regexec(&re, l->v[k], 0, NULL, 0) != 0)
				l->v[kept++] = l->v[k];
		l->n = kept;
		regfree(&re);
	}
	lines_free(&pats);
	return rc;
}

static void quote_lines(struct sbuf *rep, const char *title, const struct lines *l)
{
	size_t i;
	sb_printf(rep, "  --- %s (%zu line%s) ---\n", title, l->n, l->n == 1 ? "" : "s");
	for (i = 0; i < l->n; i++)
		sb_printf(rep, "  | %s\n", l->v[i]);
}

/*
 * Expected lines must each be found as substrings, in order through the
 * output: after the end of the previous match, on the same line or a later
 * one. mode="exact" wants the same lines exactly (trailing spaces aside).
 * Returns the number of failures reported into `rep`.
 */
static int verify_output(struct sbuf *rep, const char *stream, const struct lines *actual,
	const char *expected_text, const char *mode)
{
	struct lines exp;
	size_t i, at = 0;
	int failures = 0;

	lines_split(&exp, expected_text);
	if (mode && !strcmp(mode, "exact")) {
		size_t n = exp.n;
		while (n > 0 && !*exp.v[n - 1])
			n--;
		for (i = 0; i < n || i < actual->n; i++) {
			const char *e = i < n ? exp.v[i] : NULL, *a = i < actual->n ? actual->v[i] : NULL;
			if (!e || !a || strcmp(e, a) != 0) {
				sb_printf(rep, "FAILED: %s differs at line %zu:\n  expected: %s%s%s\n  actual:   %s%s%s\n",
					stream, i + 1, e ? "\"" : "", e ? e : "(nothing)", e ? "\"" : "",
					a ? "\"" : "", a ? a : "(nothing)", a ? "\"" : "");
				failures++;
				break;
			}
		}
	} else {
		/* (at, col): where the previous match ended; the next may follow on that line. */
		size_t col = 0;
		for (i = 0; i < exp.n; i++) {
			const char *e = skip_space(exp.v[i]), *hit = NULL;
			size_t k;
			if (!*e)
				continue;
			for (k = at; k < actual->n && !hit; k++)
				hit = strstr(actual->v[k] + (k == at ? col : 0), e);
			if (!hit) {
				int elsewhere = 0;
				for (k = 0; k < actual->n && !elsewhere; k++)
					elsewhere = strstr(actual->v[k], e) != NULL;
				sb_printf(rep, "FAILED: %s lacks expected line %zu%s:\n  \"%s\"\n", stream, i + 1,
					elsewhere ? " (it appears, but before the previous expected line)" : "", e);
				failures++;
				continue;
			}
			at = k - 1;
			col = (size_t)(hit - actual->v[at]) + strlen(e);
		}
	}
	if (failures) {
		sb_printf(rep, "  --- expected %s lines%s ---\n", stream,
			mode && !strcmp(mode, "exact") ? " (exact)" : " (in order, substrings)");
		for (i = 0; i < exp.n; i++)
			sb_printf(rep, "  > %s\n", exp.v[i]);
	}
	lines_free(&exp);
	return failures;
}

static int verify_absent(struct sbuf *rep, const char *stream, const struct lines *actual,
	const char *forbidden_text)
{
	struct lines bad;
	size_t i, k;
	int failures = 0;

	lines_split(&bad, forbidden_text);
	for (i = 0; i < bad.n; i++) {
		const char *e = skip_space(bad.v[i]);
		if (!*e)
			continue;
		for (k = 0; k < actual->n; k++) {
			if (strstr(actual->v[k], e)) {
				sb_printf(rep, "FAILED: %s line %zu contains forbidden \"%s\":\n  \"%s\"\n",
					stream, k + 1, e, actual->v[k]);
				failures++;
				break;
			}
		}
	}
	lines_free(&bad);
	return failures;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The bare repository's refs must be exactly the expected "refname value" lines. */
static int verify_refs(struct sbuf *rep, struct job_ctx *j, const char *expected_text)
{
	struct lines exp;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char **actual = NULL, **want = NULL;
	size_t na = 0, nw = 0, i, k;
	int failures = 0;

	lines_split(&exp, expected_text);
	if (!j->bare_repo && git_repository_open(&j->bare_repo, j->bare) < 0) {
		sb_printf(rep, "FAILED: cannot open '%s'\n", j->bare);
		lines_free(&exp);
		return 1;
	}
	if (git_reference_iterator_new(&it, j->bare_repo) < 0) {
		sb_printf(rep, "FAILED: cannot list the refs of '%s'\n", j->bare);
		lines_free(&exp);
		return 1;
	}
	while (git_reference_next(&ref, it) == 0) {
		char hex[GIT_OID_HEXSZ + 1];
		struct sbuf line = SBUF_INIT;
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			git_oid_tostr(hex, sizeof(hex), git_reference_target(ref));
			sb_printf(&line, "%s %s", git_reference_name(ref), hex);
		} else {
			sb_printf(&line, "%s -> %s", git_reference_name(ref), git_reference_symbolic_target(ref));
		}
		actual = xrealloc(actual, (na + 1) * sizeof(*actual));
		actual[na++] = sb_detach(&line);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	for (i = 0; i < exp.n; i++) {
		const char *e = skip_space(exp.v[i]);
		struct sbuf norm = SBUF_INIT;
		const char *sp;
		if (!*e)
			continue;
		/* One space between name and value, whatever the case file aligned. */
		sp = strpbrk(e, " \t");
		if (sp) {
			sb_add(&norm, e, (size_t)(sp - e));
			sb_printf(&norm, " %s", skip_space(sp));
		} else {
			sb_puts(&norm, e);
		}
		want = xrealloc(want, (nw + 1) * sizeof(*want));
		want[nw++] = sb_detach(&norm);
	}
	if (na)
		qsort(actual, na, sizeof(*actual), cmp_str);
	if (nw)
		qsort(want, nw, sizeof(*want), cmp_str);
	for (i = 0, k = 0; i < nw || k < na;) {
		int c = i == nw ? 1 : k == na ? -1 : strcmp(want[i], actual[k]);
		if (c == 0) {
			i++;
			k++;
		} else if (c < 0) {
			sb_printf(rep, "FAILED: ref missing or different in the bare repository: %s\n", want[i++]);
			failures++;
		} else {
			sb_printf(rep, "FAILED: unexpected ref in the bare repository: %s\n", actual[k++]);
			failures++;
		}
	}
	if (failures) {
		sb_puts(rep, "  --- refs of the bare repository ---\n");
		for (k = 0; k < na; k++)
			sb_printf(rep, "  | %s\n", actual[k]);
	}
	for (i = 0; i < na; i++)
		free(actual[i]);
	for (i = 0; i < nw; i++)
		free(want[i]);
	free(actual);
	free(want);
	lines_free(&exp);
	return failures;
}

/* Walk "a.b.0.c" into a JSON document; NULL when absent. */
static json_t *json_at(json_t *doc, const char *path)
{
	char *copy = xstrdup(path), *save = NULL, *w;
	json_t *cur = doc;
	for (w = strtok_r(copy, ".", &save); w && cur; w = strtok_r(NULL, ".", &save)) {
		if (json_is_array(cur)) {
			char *end;
			long idx = strtol(w, &end, 10);
			if (*end || end == w)
				cur = NULL;
			else
				cur = json_array_get(cur, (size_t)(idx < 0 ? (long)json_array_size(cur) + idx : idx));
		} else if (json_is_object(cur)) {
			cur = json_object_get(cur, w);
		} else {
			cur = NULL;
		}
	}
	free(copy);
	return cur;
}

/*
 * One JSON assertion: "has PATH", "field PATH VALUE", "length PATH N",
 * "contains PATH TEXT" (a string value containing TEXT). Returns failures.
 */
static int verify_json_line(struct sbuf *rep, const char *what, json_t *doc, const char *line)
{
	char op[16], path[256];
	const char *rest;
	json_t *v;
	int n = 0;

	if (sscanf(line, "%15s %255s %n", op, path, &n) < 2) {
		sb_printf(rep, "FAILED: cannot understand %s assertion '%s'\n", what, line);
		return 1;
	}
	rest = line + n;
	v = json_at(doc, path);
	if (!strcmp(op, "has")) {
		if (!v) {
			sb_printf(rep, "FAILED: %s has no '%s'\n", what, path);
			return 1;
		}
		return 0;
	}
	if (!v) {
		sb_printf(rep, "FAILED: %s has no '%s' (wanted: %s)\n", what, path, line);
		return 1;
	}
	if (!strcmp(op, "field") || !strcmp(op, "contains")) {
		char *dump = json_is_string(v) ? xstrdup(json_string_value(v)) :
			json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		int ok = dump && (!strcmp(op, "field") ? strcmp(dump, rest) == 0 : strstr(dump, rest) != NULL);
		if (!ok)
			sb_printf(rep, "FAILED: %s '%s' is \"%s\", wanted %s\"%s\"\n", what, path,
				dump ? dump : "?", !strcmp(op, "field") ? "" : "something containing ", rest);
		free(dump);
		return !ok;
	}
	if (!strcmp(op, "length")) {
		size_t want = (size_t)strtoul(rest, NULL, 10);
		size_t have = json_is_array(v) ? json_array_size(v) : json_is_object(v) ? json_object_size(v) : (size_t)-1;
		if (have != want) {
			sb_printf(rep, "FAILED: %s '%s' has %zd elements, wanted %zu\n", what, path, (ssize_t)have, want);
			return 1;
		}
		return 0;
	}
	sb_printf(rep, "FAILED: unknown %s assertion '%s' (has, field, length, contains)\n", what, op);
	return 1;
}

/*
 * The audit log ($BARE/clearance-audit.log, or file="..." relative to
 * $BARE): "count N", then JSON assertions on the last record.
 */
static int verify_audit(struct sbuf *rep, struct job_ctx *j, const char *expected_text, const char *file)
{
	struct sbuf path = SBUF_INIT;
	struct lines exp, log;
	char *text = NULL;
	json_t *last = NULL;
	size_t i, records = 0;
	int failures = 0;

	if (file && file[0] == '/')
		sb_puts(&path, file);
	else
		sb_printf(&path, "%s/%s", j->bare, file ? file : "clearance-audit.log");
	if (read_file(&text, sb_str(&path)) < 0)
		text = xstrdup("");
	lines_split(&log, text);
	for (i = 0; i < log.n; i++) {
		json_error_t jerr;
		json_t *rec;
		if (!*log.v[i])
			continue;
		if ((rec = json_loads(log.v[i], 0, &jerr)) == NULL || !json_is_object(rec)) {
			sb_printf(rep, "FAILED: audit log line %zu is not a JSON object (%s):\n  %s\n",
				i + 1, jerr.text, log.v[i]);
			json_decref(rec);
			failures++;
			continue;
		}
		records++;
		json_decref(last);
		last = rec;
	}
	lines_split(&exp, expected_text);
	for (i = 0; i < exp.n; i++) {
		const char *e = skip_space(exp.v[i]);
		if (!*e)
			continue;
		if (!strncmp(e, "count ", 6)) {
			size_t want = (size_t)strtoul(e + 6, NULL, 10);
			if (want != records) {
				sb_printf(rep, "FAILED: the audit log has %zu record%s, wanted %zu\n", records,
					records == 1 ? "" : "s", want);
				failures++;
			}
		} else if (!last) {
			sb_printf(rep, "FAILED: no audit record to check '%s' against\n", e);
			failures++;
		} else {
			failures += verify_json_line(rep, "the last audit record", last, e);
		}
	}
	if (failures) {
		sb_printf(rep, "  --- %s ---\n", sb_str(&path));
		for (i = 0; i < log.n; i++)
			sb_printf(rep, "  | %s\n", log.v[i]);
	}
	json_decref(last);
	lines_free(&exp);
	lines_free(&log);
	free(text);
	sb_free(&path);
	return failures;
}

static int verify_stdout_json(struct sbuf *rep, const char *stdout_text, const char *expected_text)
{
	json_error_t jerr;
	json_t *doc = json_loads(stdout_text, 0, &jerr);
	struct lines exp;
	size_t i;
	int failures = 0;

	if (!doc) {
		sb_printf(rep, "FAILED: stdout is not one JSON document: line %d column %d: %s\n",
			jerr.line, jerr.column, jerr.text);
		return 1;
	}
	lines_split(&exp, expected_text);
	for (i = 0; i < exp.n; i++) {
		const char *e = skip_space(exp.v[i]);
		if (*e)
			failures += verify_json_line(rep, "the stdout JSON", doc, e);
	}
	lines_free(&exp);
	json_decref(doc);
	return failures;
}

/* ------------------------------------------------------------------ one job */

struct runner;

struct job {
	struct runner *runner;
	struct tcase *c;
	const char *transport;   /* "file", "daemon", "http", "local" */
	char *test_name;
	char *report_path;
	pid_t pid;
	int started, finished, status;
};

/* main's: set up before any job is forked, read-only in jobs. */
struct runner {
	const char *clearance;   /* absolute path of the program under test */
	const char *case_lib;    /* absolute path of tests/lib/case.sh */
	char *root;              /* scratch root; the daemon's base path, GIT_PROJECT_ROOT */
	int daemon_port;
	pid_t daemon_pid;
	int http_port;
	pid_t http_pid;          /* leads the process group of the server and its CGIs */
	int keep;
	int jobs;
	struct job *all;
	size_t count, next, running;
	int failed;
};

static const char *const scrubbed_env[] = {
	/* Who is pushing: a case says it, the runner's caller never does. */
	"GITHUB_USER_LOGIN", "GL_USERNAME", "GL_USER", "GL_ID", "GL_PROTOCOL", "REMOTE_USER",
	"CLEARANCE_VERBOSE", "GIT_PUSH_OPTION_COUNT",
	/* A git that runs us (make check inside a hook, rebase exec) leaks these. */
	"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS",
	"GIT_CONFIG_COUNT", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES", "GIT_PREFIX",
	"XDG_CONFIG_HOME", NULL
};

static void env_common(const char *home)
{
	size_t i;
	for (i = 0; scrubbed_env[i]; i++)
		unsetenv(scrubbed_env[i]);
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("LC_ALL", "C", 1);
	setenv("LANG", "C", 1);
	setenv("TZ", "UTC", 1);
	setenv("GIT_TERMINAL_PROMPT", "0", 1);
	setenv("GIT_PAGER", "cat", 1);
	setenv("PAGER", "cat", 1);
	setenv("GIT_EDITOR", "true", 1);
	setenv("EDITOR", "true", 1);
	unsetenv("TERM");
}

static const char home_gitconfig[] =
	"[user]\n"
	"\tname = A U Thor\n"
	"\temail = author@example.com\n"
	"[init]\n"
	"\tdefaultBranch = main\n"
	"[advice]\n"
	"\tdetachedHead = false\n"
	"\tpushUpdateRejected = false\n"
	"[protocol \"file\"]\n"
	"\tallow = always\n"
	"[gc]\n"
	"\tauto = 0\n"
	"[core]\n"
	"\tpager = cat\n";

static const char *user_name(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

/* Write a phase's script: the helpers, the work directory, the case's text. */
static int write_phase(struct job_ctx *j, const char *phase, const char *body, int strict, char **path)
{
	struct sbuf p = SBUF_INIT, s = SBUF_INIT;
	int rc;

	sb_printf(&p, "%s/%s.sh", j->dir, phase);
	/* Set-up phases stop at the first failure and trace themselves into setup.log. */
	sb_printf(&s, ". \"$CASE_LIB\" || exit 125\ncase_phase_begin\ncd \"$WORK\" || exit 125\n%s",
		strict ? "set -ex\n" : "");
	sb_puts(&s, body);
	sb_puts(&s, "\n");
	rc = write_file(sb_str(&p), sb_str(&s), 0644);
	sb_free(&s);
	*path = sb_detach(&p);
	return rc;
}

static int run_phase(struct job_ctx *j, const char *phase, const char *body, int strict,
	const char *in, const char *out, const char *err, struct sbuf *rep)
{
	char *script = NULL;
	int rc;

	if (write_phase(j, phase, body, strict, &script) < 0) {
		sb_printf(rep, "FAILED: cannot write %s: %s\n", script, strerror(errno));
		free(script);
		return -2;
	}
	{
		char *argv[] = { "/bin/sh", script, NULL };
		rc = run_process(argv, j->work, in, out, err, j->c->timeout);
	}
	if (rc == -1)
		sb_printf(rep, "FAILED: <%s> timed out after %d s (killed)\n", phase, j->c->timeout);
	else if (rc != 0 && strict)
		sb_printf(rep, "FAILED: <%s> exited with %d (its trace is in the set-up output below)\n",
			phase, rc);
	free(script);
	return rc;
}

static void append_file(struct sbuf *rep, const char *title, const char *path)
{
	char *text = NULL;
	struct lines l;
	if (read_file(&text, path) < 0)
		return;
	lines_split(&l, text);
	quote_lines(rep, title, &l);
	lines_free(&l);
	free(text);
}

/* Everything one (case, transport) does; runs in a child process. */
static int job_execute(struct job *job, struct sbuf *rep)
{
	const struct runner *r = job->runner;
	struct job_ctx ctx;
	struct job_ctx *j = &ctx;
	struct sbuf tmp = SBUF_INIT, err = SBUF_INIT;
	const struct tcase *c = job->c;
	const struct section *s;
	char *home = NULL, *setup_log = NULL, *out_path = NULL, *err_path = NULL, *in_path = NULL;
	char *out_text = NULL, *err_text = NULL;
	struct lines out_lines = { 0 }, err_lines = { 0 };
	int failures = 0, rc, exit_code;

	memset(&ctx, 0, sizeof(ctx));
	ctx.c = c;
	ctx.transport = job->transport;
	sb_printf(&tmp, "%s/%s-%s", r->root, c->id, job->transport);
	ctx.dir = sb_detach(&tmp);
	sb_printf(&tmp, "%s/bare.git", ctx.dir);
	ctx.bare = sb_detach(&tmp);
	sb_printf(&tmp, "%s/work", ctx.dir);
	ctx.work = sb_detach(&tmp);
	sb_printf(&tmp, "%s/policy.yml", ctx.dir);
	ctx.policy = sb_detach(&tmp);
	if (!strcmp(job->transport, "daemon"))
		sb_printf(&tmp, "git://127.0.0.1:%d/%s-%s/bare.git", r->daemon_port, c->id, job->transport);
	else if (!strcmp(job->transport, "http") && c->http_user)
		sb_printf(&tmp, "http://%s:secret@127.0.0.1:%d/auth/%s-%s/bare.git", c->http_user,
			r->http_port, c->id, job->transport);
	else if (!strcmp(job->transport, "http"))
		sb_printf(&tmp, "http://127.0.0.1:%d/git/%s-%s/bare.git", r->http_port, c->id, job->transport);
	else
		sb_printf(&tmp, "file://%s", ctx.bare);
	ctx.url = sb_detach(&tmp);
	ctx.user = xstrdup(user_name());
	sb_printf(&tmp, "%s/home", ctx.dir);
	home = sb_detach(&tmp);
	sb_printf(&tmp, "%s/setup.log", ctx.dir);
	setup_log = sb_detach(&tmp);
	sb_printf(&tmp, "%s/stdout", ctx.dir);
	out_path = sb_detach(&tmp);
	sb_printf(&tmp, "%s/stderr", ctx.dir);
	err_path = sb_detach(&tmp);
	sb_printf(&tmp, "%s/stdin", ctx.dir);
	in_path = sb_detach(&tmp);

	sb_printf(rep, "%s [%s]: %s\n  case file: %s\n  scratch:   %s\n", c->id, job->transport, c->name,
		c->path, ctx.dir);
	if (c->parse_error) {
		sb_printf(rep, "FAILED: the case file is malformed: %s\n", c->parse_error);
		failures++;
		goto done;
	}
	rm_rf(ctx.dir);
	if (mkdir(ctx.dir, 0755) < 0 || mkdir(home, 0755) < 0 || mkdir(ctx.work, 0755) < 0) {
		sb_printf(rep, "FAILED: cannot create '%s': %s\n", ctx.dir, strerror(errno));
		failures++;
		goto done;
	}
	sb_printf(&tmp, "%s/.gitconfig", home);
	if (write_file(sb_str(&tmp), home_gitconfig, 0644) < 0) {
		sb_printf(rep, "FAILED: cannot write '%s'\n", sb_str(&tmp));
		failures++;
		goto done;
	}
	sb_free(&tmp);

	env_common(home);
	setenv("CLEARANCE", r->clearance, 1);
	setenv("CASE_LIB", r->case_lib, 1);
	setenv("CASE_DIR", ctx.dir, 1);
	setenv("CASE_ID", c->id, 1);
	setenv("TRANSPORT", job->transport, 1);
	setenv("BARE", ctx.bare, 1);
	setenv("WORK", ctx.work, 1);
	setenv("URL", ctx.url, 1);
	setenv("POLICY", ctx.policy, 1);
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "A U Thor", 1);
	setenv("GIT_COMMITTER_EMAIL", "author@example.com", 1);
	setenv("GIT_AUTHOR_DATE", "1700000000 +0000", 1);
	setenv("GIT_COMMITTER_DATE", "1700000000 +0000", 1);

	if ((s = section_get(&c->top, "policy")) != NULL) {
		char *policy = NULL;
		if (expand(&policy, j, s->content, &err) < 0) {
			sb_printf(rep, "FAILED: <policy>: %s\n", sb_str(&err));
			failures++;
			goto done;
		}
		rc = write_file(ctx.policy, policy, 0644);
		free(policy);
		if (rc < 0) {
			sb_printf(rep, "FAILED: cannot write '%s'\n", ctx.policy);
			failures++;
			goto done;
		}
	}

	/* The server and the clone everything else starts from. */
	rc = run_phase(j, "init", "case_init", 1, NULL, setup_log, setup_log, rep);
	if (rc == 0 && (s = section_get(&c->top, "setup")) != NULL)
		rc = run_phase(j, "setup", s->content, 1, NULL, setup_log, setup_log, rep);
	if (rc == 0) {
		s = section_get(&c->top, "install");
		rc = run_phase(j, "install", s ? s->content : "install_hooks", 1, NULL, setup_log, setup_log, rep);
	}
	if (rc != 0) {
		append_file(rep, "set-up output (init, setup, install)", setup_log);
		failures++;
		goto done;
	}

	if ((s = section_get(&c->top, "stdin")) != NULL) {
		char *text = NULL;
		if (expand(&text, j, s->content, &err) < 0) {
			sb_printf(rep, "FAILED: <stdin>: %s\n", sb_str(&err));
			failures++;
			goto done;
		}
		rc = write_file(in_path, text, 0644);
		free(text);
		if (rc < 0) {
			sb_printf(rep, "FAILED: cannot write '%s'\n", in_path);
			failures++;
			goto done;
		}
	} else {
		free(in_path);
		in_path = NULL;
	}
	s = section_get(&c->top, "push");
	exit_code = run_phase(j, "push", s->content, 0, in_path, out_path, err_path, rep);
	if (exit_code == -1 || exit_code == -2) {
		failures++;
		append_file(rep, "stderr", err_path);
		goto done;
	}

	if (read_file(&out_text, out_path) < 0)
		out_text = xstrdup("");
	if (read_file(&err_text, err_path) < 0)
		err_text = xstrdup("");
	lines_split(&out_lines, out_text);
	lines_split(&err_lines, err_text);

	{
		const struct section *strip = section_get(&c->verify, "strip");
		const struct section *ex = section_get(&c->verify, "exit");
		int want = 0;
		size_t i;

		if (strip && (strip_lines(&out_lines, strip->content, &err) < 0 ||
			      strip_lines(&err_lines, strip->content, &err) < 0)) {
			sb_printf(rep, "FAILED: %s\n", sb_str(&err));
			failures++;
			goto report;
		}
		if (ex) {
			char *end;
			long v = strtol(ex->content, &end, 10);
			if (end == ex->content || (*skip_space(end) && *skip_space(end) != '\n')) {
				sb_printf(rep, "FAILED: <exit> is not a number: '%s'\n", ex->content);
				failures++;
				goto report;
			}
			want = (int)v;
		}
		if (exit_code != want) {
			sb_printf(rep, "FAILED: <push> exited with %d, expected %d\n", exit_code, want);
			failures++;
		}
		for (i = 0; i < c->verify.n; i++) {
			const struct section *v = &c->verify.v[i];
			char *text = NULL, *mode = NULL;

			if (!strcmp(v->name, "exit") || !strcmp(v->name, "strip"))
				continue;
			sb_free(&err);
			if (expand(&text, j, v->content, &err) < 0) {
				sb_printf(rep, "FAILED: <%s>: %s\n", v->name, sb_str(&err));
				failures++;
				continue;
			}
			mode = attr_get(v->attrs, "mode");
			if (!strcmp(v->name, "stderr"))
				failures += verify_output(rep, "stderr", &err_lines, text, mode);
			else if (!strcmp(v->name, "stdout"))
				failures += verify_output(rep, "stdout", &out_lines, text, mode);
			else if (!strcmp(v->name, "stderr-not"))
				failures += verify_absent(rep, "stderr", &err_lines, text);
			else if (!strcmp(v->name, "stdout-not"))
				failures += verify_absent(rep, "stdout", &out_lines, text);
			else if (!strcmp(v->name, "refs"))
				failures += verify_refs(rep, j, text);
			else if (!strcmp(v->name, "audit")) {
				char *file = attr_get(v->attrs, "file");
				failures += verify_audit(rep, j, text, file);
				free(file);
			}
			else if (!strcmp(v->name, "stdout-json"))
				failures += verify_stdout_json(rep, out_text, text);
			free(mode);
			free(text);
		}
	}
report:
	if (failures) {
		struct lines raw;
		lines_split(&raw, err_text);
		quote_lines(rep, "stderr of <push>", &raw);
		lines_free(&raw);
		if (out_text && *out_text) {
			lines_split(&raw, out_text);
			quote_lines(rep, "stdout of <push>", &raw);
			lines_free(&raw);
		}
	}
done:
	lines_free(&out_lines);
	lines_free(&err_lines);
	git_repository_free(ctx.work_repo);
	git_repository_free(ctx.bare_repo);
	if (!failures && !r->keep)
		rm_rf(ctx.dir);
	else
		sb_printf(rep, "  (scratch directory kept: %s)\n", ctx.dir);
	free(out_text);
	free(err_text);
	free(home);
	free(setup_log);
	free(out_path);
	free(err_path);
	free(in_path);
	free(ctx.dir);
	free(ctx.bare);
	free(ctx.work);
	free(ctx.policy);
	free(ctx.url);
	free(ctx.user);
	sb_free(&tmp);
	sb_free(&err);
	return failures ? 1 : 0;
}

static void job_start(struct job *job)
{
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		job->started = job->finished = 1;
		job->status = -1;
		return;
	}
	if (pid == 0) {
		struct sbuf rep = SBUF_INIT;
		int rc;
		git_libgit2_init();
		rc = job_execute(job, &rep);
		write_file(job->report_path, sb_str(&rep), 0644);
		/* _exit: the parent owns the heap we inherited, and its leak check with it. */
		_exit(rc);
	}
	job->pid = pid;
	job->started = 1;
	job->runner->running++;
}

/* ------------------------------------------------------------ the git daemon */

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int port_accepts(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (fd < 0)
		return 0;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static void daemon_stop(struct runner *r)
{
	if (r->daemon_pid > 0) {
		int status;
		kill(r->daemon_pid, SIGTERM);
		waitpid(r->daemon_pid, &status, 0);
		r->daemon_pid = 0;
	}
}

/*
 * git daemon serves every job's bare repository under r->root. Hooks run by
 * the daemon inherit its environment, not the pushing client's, which is
 * why cases that name the pusher through the environment are file-only.
 */
static int daemon_start(struct runner *r)
{
	struct sbuf home = SBUF_INIT, log = SBUF_INIT, base = SBUF_INIT, port_arg = SBUF_INIT;
	int attempt, rc = -1;

	sb_printf(&home, "%s/daemon-home", r->root);
	sb_printf(&log, "%s/daemon.log", r->root);
	sb_printf(&base, "--base-path=%s", r->root);
	mkdir(sb_str(&home), 0755);
	for (attempt = 0; attempt < 5 && rc < 0; attempt++) {
		struct timespec nap = { 0, 10000000 };
		int port = free_port(), tries, status;
		pid_t pid;

		if (port <= 0)
			continue;
		port_arg.len = 0;
		sb_printf(&port_arg, "--port=%d", port);
		fflush(NULL);
		if ((pid = fork()) < 0)
			break;
		if (pid == 0) {
			char *argv[] = { "git", "daemon", "--reuseaddr", "--listen=127.0.0.1",
				port_arg.ptr, base.ptr, "--export-all", "--enable=receive-pack",
				"--informative-errors", NULL };
			int fd = open(sb_str(&log), O_WRONLY | O_CREAT | O_APPEND, 0644);
#ifdef __linux__
			prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
				close(fd);
			}
			env_common(sb_str(&home));
			execvp(argv[0], argv);
			_exit(127);
		}
		for (tries = 0; tries < 1000; tries++) {
			if (port_accepts(port)) {
				r->daemon_pid = pid;
				r->daemon_port = port;
				rc = 0;
				break;
			}
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;  /* port taken meanwhile, or no git daemon: try again */
			nanosleep(&nap, NULL);
		}
		if (rc < 0 && r->daemon_pid != pid) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
	}
	if (rc < 0) {
		char *text = NULL;
		fprintf(stderr, "run_cases: cannot start git daemon\n");
		if (read_file(&text, sb_str(&log)) == 0)
			fprintf(stderr, "%s", text);
		free(text);
	}
	sb_free(&home);
	sb_free(&log);
	sb_free(&base);
	sb_free(&port_arg);
	return rc;
}

/* ---------------------------------------------------------- the http server */

/*
 * Smart HTTP: the real `git http-backend`, run as a CGI program by a small
 * server of our own, one forked process per connection. Python's
 * http.server was the other candidate and was not taken: its CGI handler
 * answers "200 Script output follows" before the script runs, so the
 * Status: 403/404 that http-backend answers with would reach git as
 * success; it cannot read the chunked request bodies git sends for large
 * pushes; and it is deprecated (since Python 3.13, to be removed in 3.15).
 *
 * Paths under http://127.0.0.1:PORT map onto the scratch root, the way the
 * daemon's base path does:
 *   /git/PATH   anonymous: the CGI gets no REMOTE_USER
 *   /auth/PATH  HTTP Basic authentication required (401 without it); the
 *               CGI's REMOTE_USER is the user name the client sent. Every
 *               password is accepted: what is tested is that the name a
 *               web server vouches for reaches the hooks.
 * Receive-pack is enabled for anonymous pushes through the server's global
 * config, so the bare repositories stay the same for every transport.
 *
 * A request body is spooled to a temporary file before the CGI starts, so
 * http-backend always sees a CONTENT_LENGTH, and neither side can block on
 * the other. The answer goes back as it comes, delimited by closing the
 * connection (one request per connection).
 */

#define HTTP_LINE_MAX 8192               /* request line, one header, one chunk size */
#define HTTP_HEADERS_MAX 100             /* header lines of one request */
#define HTTP_BODY_MAX (1ULL << 30)       /* a request body (a pushed pack) */
#define HTTP_CGI_HEAD_MAX 65536          /* the header block of the CGI's answer */
#define HTTP_IDLE_SECONDS 120            /* a peer that stops reading or writing */

static const char http_gitconfig[] =
	"[http]\n"
	"\treceivepack = true\n";

/* Buffered reading of one connection. */
struct http_in {
	int fd;
	char buf[16384];
	size_t pos, len;
};

static ssize_t http_fill(struct http_in *in)
{
	ssize_t n;
	do
		n = read(in->fd, in->buf, sizeof(in->buf));
	while (n < 0 && errno == EINTR);
	if (n > 0) {
		in->pos = 0;
		in->len = (size_t)n;
	}
	return n;
}

/* One line without its CR LF; -1 at EOF, on error, or for a line that does not fit. */
static int http_line(struct http_in *in, char *line, size_t cap)
{
	size_t n = 0;
	for (;;) {
		char ch;
		if (in->pos == in->len && http_fill(in) <= 0)
			return -1;
		ch = in->buf[in->pos++];
		if (ch == '\n')
			break;
		if (n + 1 >= cap)
			return -1;
		line[n++] = ch;
	}
	if (n > 0 && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return 0;
}

/* Copy exactly `n` bytes of the request into `out`. */
static int http_copy(struct http_in *in, FILE *out, unsigned long long n)
{
	while (n > 0) {
		size_t k;
		if (in->pos == in->len && http_fill(in) <= 0)
			return -1;
		k = in->len - in->pos;
		if (k > n)
			k = (size_t)n;
		if (fwrite(in->buf + in->pos, 1, k, out) != k)
			return -1;
		in->pos += k;
		n -= k;
	}
	return 0;
}

/* A "Transfer-Encoding: chunked" body, decoded into `out`; its size is added to *total. */
static int http_chunked(struct http_in *in, FILE *out, unsigned long long *total)
{
	char line[HTTP_LINE_MAX];

	for (;;) {
		unsigned long long size;
		char *end;
		if (http_line(in, line, sizeof(line)) < 0)
			return -1;
		errno = 0;
		size = strtoull(line, &end, 16);
		if (end == line || errno || (*end && *end != ';' && *end != ' ' && *end != '\t'))
			return -1;
		if (size == 0)
			break;
		if (size > HTTP_BODY_MAX - *total)
			return -1;
		if (http_copy(in, out, size) < 0 || http_line(in, line, sizeof(line)) < 0 || *line)
			return -1;
		*total += size;
	}
	do {  /* trailer fields, up to the blank line */
		if (http_line(in, line, sizeof(line)) < 0)
			return -1;
	} while (*line);
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A complete answer of the server's own (errors, the authentication challenge). */
static void http_reply(int fd, const char *status, const char *extra_headers, const char *text)
{
	struct sbuf b = SBUF_INIT;
	sb_printf(&b, "HTTP/1.1 %s\r\n%sContent-Type: text/plain\r\nContent-Length: %zu\r\n"
		"Connection: close\r\n\r\n%s", status, extra_headers, strlen(text), text);
	write_all(fd, b.ptr, b.len);
	sb_free(&b);
}

static int base64_value(int ch)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(alphabet, ch) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* The user name of an "Authorization: Basic base64(user:password)" value, or NULL. */
static char *http_basic_user(const char *value)
{
	struct sbuf plain = SBUF_INIT;
	unsigned int acc = 0;
	int bits = 0;
	const char *p, *colon;
	char *user = NULL;

	if (strncasecmp(value, "Basic", 5) != 0 || (value[5] != ' ' && value[5] != '\t'))
		return NULL;
	for (p = skip_space(value + 5); *p && *p != '='; p++) {
		int v = base64_value((unsigned char)*p);
		if (v < 0)
			goto done;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			char ch = (char)((acc >> (bits - 8)) & 0xff);
			bits -= 8;
			sb_add(&plain, &ch, 1);
		}
	}
	colon = plain.ptr ? strchr(plain.ptr, ':') : NULL;
	if (colon && colon > plain.ptr && memchr(plain.ptr, '\0', plain.len) == NULL)
		user = xstrndup(plain.ptr, (size_t)(colon - plain.ptr));
done:
	sb_free(&plain);
	return user;
}

/* "Git-Protocol" -> "HTTP_GIT_PROTOCOL", as CGI/1.1 passes request headers. */
static void http_header_env(const char *name, const char *value)
{
	struct sbuf var = SBUF_INIT;
	const char *p;
	sb_puts(&var, "HTTP_");
	for (p = name; *p; p++) {
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p == '-' ? '_' : *p;
		sb_add(&var, &ch, 1);
	}
	setenv(var.ptr, value, 1);
	sb_free(&var);
}

/*
 * Run http-backend with the request body on its stdin and relay its answer:
 * the CGI header block becomes the status line (from "Status:", else 200)
 * and the response headers, the rest is copied through.
 */
static void http_run_cgi(int fd, FILE *body)
{
	struct sbuf head = SBUF_INIT, out = SBUF_INIT;
	char chunk[16384], status[128] = "200 OK";
	size_t head_len = 0, body_at = 0;
	int pipefd[2], wstatus;
	ssize_t n;
	pid_t pid;

	if (pipe(pipefd) < 0) {
		http_reply(fd, "500 Internal Server Error", "", "cannot create a pipe\n");
		return;
	}
	if ((pid = fork()) < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		http_reply(fd, "500 Internal Server Error", "", "cannot fork\n");
		return;
	}
	if (pid == 0) {
		int in_fd = body ? fileno(body) : open("/dev/null", O_RDONLY);
		/* The socket must not outlive this process in hooks that linger. */
		close(fd);
		if (in_fd < 0 || dup2(in_fd, 0) < 0 || dup2(pipefd[1], 1) < 0)
			_exit(126);
		if (in_fd != 0)
			close(in_fd);
		close(pipefd[0]);
		if (pipefd[1] != 1)
			close(pipefd[1]);
		execlp("git", "git", "http-backend", (char *)NULL);
		fprintf(stderr, "run_cases: cannot run git http-backend: %s\n", strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	/* The header block ends at the first empty line, LF or CRLF. */
	while (!body_at) {
		char *p;
		do
			n = read(pipefd[0], chunk, sizeof(chunk));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			break;
		sb_add(&head, chunk, (size_t)n);
		for (p = head.ptr; (p = strchr(p, '\n')) != NULL; p++) {
			if (p[1] == '\n' || (p[1] == '\r' && p[2] == '\n')) {
				head_len = (size_t)(p - head.ptr) + 1;
				body_at = head_len + (p[1] == '\n' ? 1 : 2);
				break;
			}
		}
		if (!body_at && head.len > HTTP_CGI_HEAD_MAX)
			break;
	}
	if (!body_at) {
		http_reply(fd, "502 Bad Gateway", "", "git http-backend sent no complete header block\n");
	} else {
		struct lines hl;
		size_t i;
		char *block = xstrndup(head.ptr, head_len);
		lines_split(&hl, block);
		for (i = 0; i < hl.n; i++) {
			if (!strncasecmp(hl.v[i], "Status:", 7))
				snprintf(status, sizeof(status), "%s", skip_space(hl.v[i] + 7));
			else if (*hl.v[i])
				sb_printf(&out, "%s\r\n", hl.v[i]);
		}
		lines_free(&hl);
		free(block);
		{
			struct sbuf all = SBUF_INIT;
			sb_printf(&all, "HTTP/1.1 %s\r\n%sConnection: close\r\n\r\n", status, sb_str(&out));
			sb_add(&all, head.ptr + body_at, head.len - body_at);
			n = write_all(fd, all.ptr, all.len);
			sb_free(&all);
		}
		while (n == 0) {
			ssize_t r;
			do
				r = read(pipefd[0], chunk, sizeof(chunk));
			while (r < 0 && errno == EINTR);
			if (r <= 0 || write_all(fd, chunk, (size_t)r) < 0)
				break;
		}
	}
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	sb_free(&head);
	sb_free(&out);
}

/* Serve the one request of a connection; runs in a child of the server. */
static void http_connection(int fd, int port)
{
	struct http_in in;
	struct timeval idle = { HTTP_IDLE_SECONDS, 0 };
	char line[HTTP_LINE_MAX], method[16], version[16], port_text[16];
	char *target = NULL, *user = NULL, *query, *path;
	unsigned long long length = 0;
	int chunked = 0, has_length = 0, expect = 0, headers = 0, auth;
	FILE *body = NULL;

	memset(&in, 0, sizeof(in));
	in.fd = fd;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof(idle));
	if (http_line(&in, line, sizeof(line)) < 0)
		return;
	{
		int used = 0;
		target = xrealloc(NULL, sizeof(line));
		if (sscanf(line, "%15s %8191s %15s%n", method, target, version, &used) != 3 ||
		    line[used] || strncmp(version, "HTTP/1.", 7)) {
			http_reply(fd, "400 Bad Request", "", "bad request line\n");
			goto done;
		}
	}
	for (;;) {
		char *colon, *value;
		if (http_line(&in, line, sizeof(line)) < 0)
			goto done;
		if (!*line)
			break;
		if (++headers > HTTP_HEADERS_MAX) {
			http_reply(fd, "431 Request Header Fields Too Large", "", "too many header fields\n");
			goto done;
		}
		if ((colon = strchr(line, ':')) == NULL || colon == line) {
			http_reply(fd, "400 Bad Request", "", "bad header field\n");
			goto done;
		}
		*colon = '\0';
		value = (char *)skip_space(colon + 1);
		if (!strcasecmp(line, "Content-Length")) {
			char *end;
			errno = 0;
			length = strtoull(value, &end, 10);
			if (end == value || *end || errno || *value == '-') {
				http_reply(fd, "400 Bad Request", "", "bad Content-Length\n");
				goto done;
			}
			has_length = 1;
		} else if (!strcasecmp(line, "Transfer-Encoding")) {
			if (strcasecmp(value, "chunked") != 0) {
				http_reply(fd, "501 Not Implemented", "", "only chunked transfer coding\n");
				goto done;
			}
			chunked = 1;
		} else if (!strcasecmp(line, "Expect")) {
			expect = !strcasecmp(value, "100-continue");
		} else if (!strcasecmp(line, "Authorization")) {
			free(user);
			user = http_basic_user(value);
		} else if (!strcasecmp(line, "Content-Type")) {
			setenv("CONTENT_TYPE", value, 1);
		} else if (strcasecmp(line, "Proxy") != 0) {
			/* Not "Proxy": as HTTP_PROXY it would redirect the CGI's own requests ("httpoxy"). */
			http_header_env(line, value);
		}
	}
	if (has_length && length > HTTP_BODY_MAX) {
		http_reply(fd, "413 Content Too Large", "", "request body too large\n");
		goto done;
	}
	if (chunked || has_length) {
		unsigned long long total = 0;
		int rc;
		if (expect && write_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) < 0)
			goto done;
		if ((body = tmpfile()) == NULL) {
			http_reply(fd, "500 Internal Server Error", "", "cannot spool the request body\n");
			goto done;
		}
		rc = chunked ? http_chunked(&in, body, &total) : http_copy(&in, body, length);
		if (!chunked)
			total = length;
		if (rc < 0 || fflush(body) != 0 || fseek(body, 0, SEEK_SET) != 0)
			goto done;  /* the client went away or sent garbage: nobody to answer */
		snprintf(line, sizeof(line), "%llu", total);
		setenv("CONTENT_LENGTH", line, 1);
	}

	if (!strncmp(target, "/git/", 5)) {
		auth = 0;
		path = target + 4;
	} else if (!strncmp(target, "/auth/", 6)) {
		auth = 1;
		path = target + 5;
	} else {
		http_reply(fd, "404 Not Found", "", "not under /git/ or /auth/\n");
		goto done;
	}
	if (auth && !user) {
		http_reply(fd, "401 Unauthorized", "WWW-Authenticate: Basic realm=\"clearance tests\"\r\n",
			"authentication required\n");
		goto done;
	}
	if ((query = strchr(path, '?')) != NULL)
		*query++ = '\0';
	snprintf(port_text, sizeof(port_text), "%d", port);
	setenv("GATEWAY_INTERFACE", "CGI/1.1", 1);
	setenv("SERVER_SOFTWARE", "run_cases", 1);
	setenv("SERVER_PROTOCOL", version, 1);
	setenv("SERVER_NAME", "127.0.0.1", 1);
	setenv("SERVER_PORT", port_text, 1);
	setenv("REMOTE_ADDR", "127.0.0.1", 1);
	setenv("REQUEST_METHOD", method, 1);
	setenv("SCRIPT_NAME", auth ? "/auth" : "/git", 1);
	setenv("PATH_INFO", path, 1);
	setenv("QUERY_STRING", query ? query : "", 1);
	/* Only where the server demanded it, as a web server would; /git/ stays anonymous. */
	if (auth) {
		setenv("AUTH_TYPE", "Basic", 1);
		setenv("REMOTE_USER", user, 1);
	}
	http_run_cgi(fd, body);
done:
	if (body)
		fclose(body);
	free(target);
	free(user);
}

/* The server process: accept, fork a child per connection, reap them. Never returns. */
static void http_serve(int listen_fd, int port)
{
	for (;;) {
		struct pollfd pfd;
		pid_t pid;
		int fd;

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		pfd.fd = listen_fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		if ((fd = accept(listen_fd, NULL, NULL)) < 0)
			continue;
		fflush(NULL);
		if ((pid = fork()) == 0) {
			char drain[4096];
			struct timeval linger = { 5, 0 };
			close(listen_fd);
			http_connection(fd, port);
			/*
			 * Half-close, then wait for the client's close: closing with
			 * unread input would reset the connection, and a reset can
			 * destroy the answer before the client has read it.
			 */
			shutdown(fd, SHUT_WR);
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &linger, sizeof(linger));
			while (read(fd, drain, sizeof(drain)) > 0)
				;
			close(fd);
			_exit(0);
		}
		close(fd);
	}
}

static void http_stop(struct runner *r)
{
	if (r->http_pid > 0) {
		int status;
		/* The whole group: connections still open and the CGIs they run. */
		kill(-r->http_pid, SIGTERM);
		waitpid(r->http_pid, &status, 0);
		r->http_pid = 0;
	}
}

/*
 * The listening socket is bound and listening before the server is forked,
 * so it accepts connections from the start (the kernel queues them) and no
 * other process can take the port in between, unlike the daemon's.
 */
static int http_start(struct runner *r)
{
	struct sbuf home = SBUF_INIT, log = SBUF_INIT, cfg = SBUF_INIT;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = -1, rc = -1, port;
	pid_t pid;

	sb_printf(&home, "%s/http-home", r->root);
	sb_printf(&log, "%s/http.log", r->root);
	sb_printf(&cfg, "%s/.gitconfig", sb_str(&home));
	if ((mkdir(sb_str(&home), 0755) < 0 && errno != EEXIST) ||
	    write_file(sb_str(&cfg), http_gitconfig, 0644) < 0) {
		fprintf(stderr, "run_cases: cannot write '%s': %s\n", sb_str(&cfg), strerror(errno));
		goto done;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 128) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		fprintf(stderr, "run_cases: cannot listen on 127.0.0.1: %s\n", strerror(errno));
		goto done;
	}
	port = ntohs(a.sin_port);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fprintf(stderr, "run_cases: cannot fork the http server: %s\n", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		int logfd = open(sb_str(&log), O_WRONLY | O_CREAT | O_APPEND, 0644);
		setpgid(0, 0);
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		if (logfd >= 0) {
			dup2(logfd, 1);
			dup2(logfd, 2);
			close(logfd);
		}
		/* Like the daemon's: the hooks see this environment, never a client's. */
		env_common(sb_str(&home));
		setenv("GIT_PROJECT_ROOT", r->root, 1);
		setenv("GIT_HTTP_EXPORT_ALL", "1", 1);
		http_serve(fd, port);
		_exit(0);
	}
	setpgid(pid, pid);
	r->http_pid = pid;
	r->http_port = port;
	rc = 0;
done:
	if (fd >= 0)
		close(fd);
	sb_free(&home);
	sb_free(&log);
	sb_free(&cfg);
	return rc;
}

/* ------------------------------------------------------ the pool and cmocka */

static void pool_fill(struct runner *r)
{
	while (r->running < (size_t)r->jobs && r->next < r->count)
		job_start(&r->all[r->next++]);
}

static void test_job(void **state)
{
	struct job *job = *state;
	struct runner *r = job->runner;
	char *report = NULL;

	pool_fill(r);
	if (!job->finished && job->pid > 0) {
		int status;
		while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
			;
		job->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		job->finished = 1;
		r->running--;
	}
	pool_fill(r);
	if (job->status == 0)
		return;
	r->failed++;
	if (read_file(&report, job->report_path) < 0)
		report = xstrdup("(the job left no report)\n");
	/* Not print_error: cmocka cuts its messages short, and this one is the point. */
	fflush(stdout);
	fputs(report, stdout);
	if (job->status > 1)
		printf("  the job itself died (status %d)\n", job->status);
	fflush(stdout);
	free(report);
	fail_msg("%s [%s] failed (details above)", job->c->id, job->transport);
}

/* --------------------------------------------------------------------- main */

static int is_case_name(const char *name)
{
	size_t i;
	if (strncmp(name, "case", 4) != 0 || !name[4])
		return 0;
	for (i = 4; name[i]; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return 1;
}

static char *absolute(const char *path)
{
	char *p = realpath(path, NULL);
	if (!p)
		die("cannot find '%s': %s", path, strerror(errno));
	return p;
}

static int transport_wanted(const char *list, const char *t)
{
	char *copy, *save = NULL, *w;
	int hit = 0;
	if (!list || !*list)
		return 1;
	copy = xstrdup(list);
	for (w = strtok_r(copy, " ,", &save); w; w = strtok_r(NULL, " ,", &save))
		hit |= !strcmp(w, t);
	free(copy);
	return hit;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/cases";
	const char *filter = getenv("CASES"), *transports = getenv("TRANSPORTS");
	char tmpl[PATH_MAX], *clearance, *case_lib, *dir_abs;
	struct tcase *cases = NULL;
	struct CMUnitTest *tests = NULL;
	struct dirent **names = NULL;
	struct runner run;
	size_t ncases = 0, i;
	int n, k, rc;
	struct sbuf path = SBUF_INIT;

	if (!getenv("CLEARANCE_BIN"))
		die("set CLEARANCE_BIN to the clearance program under test");
	clearance = absolute(getenv("CLEARANCE_BIN"));
	dir_abs = absolute(dir);
	sb_printf(&path, "%s/../lib/case.sh", dir_abs);
	case_lib = absolute(sb_str(&path));
	sb_free(&path);

	if ((n = scandir(dir_abs, &names, NULL, alphasort)) < 0)
		die("cannot list '%s': %s", dir_abs, strerror(errno));
	cases = xrealloc(NULL, (size_t)n * sizeof(*cases));
	for (k = 0; k < n; k++) {
		int wanted = is_case_name(names[k]->d_name);
		if (wanted && argc > 2) {
			int a;
			wanted = 0;
			for (a = 2; a < argc; a++)
				wanted |= !strcmp(argv[a], names[k]->d_name);
		}
		if (wanted) {
			case_load(&cases[ncases], dir_abs, names[k]->d_name);
			if (case_selected(&cases[ncases], filter))
				ncases++;
			else
				case_free(&cases[ncases]);
		}
		free(names[k]);
	}
	free(names);

	memset(&run, 0, sizeof(run));
	run.clearance = clearance;
	run.case_lib = case_lib;
	run.keep = getenv("KEEP") && *getenv("KEEP") && strcmp(getenv("KEEP"), "0");
	{
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		/* Cases mostly wait on git and the network stack: more jobs than cores pays. */
		run.jobs = (int)(cpus > 0 ? cpus * 2 : 2);
		run.jobs = env_positive("JOBS", run.jobs);
	}
	snprintf(tmpl, sizeof(tmpl), "%s/clearance-cases.XXXXXX",
		getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpl))
		die("cannot create a scratch directory: %s", strerror(errno));
	run.root = absolute(tmpl);

	run.all = xrealloc(NULL, (ncases * 3 + 1) * sizeof(*run.all));
	for (i = 0; i < ncases; i++) {
		static const char *const all_transports[] = { "file", "daemon", "http" };
		const char *only = case_only(&cases[i]);
		size_t t;
		for (t = 0; t < 3; t++) {
			const char *tr = only ? only : all_transports[t];
			struct job *job;
			/* TRANSPORTS chooses how pushes travel; local cases do not push. */
			if ((only && t > 0) || (strcmp(tr, "local") && !transport_wanted(transports, tr)))
				continue;
			job = &run.all[run.count++];
			memset(job, 0, sizeof(*job));
			job->runner = &run;
			job->c = &cases[i];
			job->transport = tr;
			sb_printf(&path, "%s [%s] %s", cases[i].id, tr, cases[i].name);
			job->test_name = sb_detach(&path);
			sb_printf(&path, "%s/%s-%s.report", run.root, cases[i].id, tr);
			job->report_path = sb_detach(&path);
		}
	}
	if (run.count == 0) {
		fprintf(stderr, "run_cases: no case selected in '%s'%s%s\n", dir_abs,
			filter ? " by CASES=" : "", filter ? filter : "");
		rc = 1;
		goto done;
	}
	tests = xrealloc(NULL, run.count * sizeof(*tests));
	for (i = 0; i < run.count; i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = run.all[i].test_name;
		tests[i].test_func = test_job;
		tests[i].initial_state = &run.all[i];
	}
	{
		int want_daemon = 0, want_http = 0;
		for (i = 0; i < run.count; i++) {
			want_daemon |= !strcmp(run.all[i].transport, "daemon");
			want_http |= !strcmp(run.all[i].transport, "http");
		}
		if ((want_daemon && daemon_start(&run) < 0) || (want_http && http_start(&run) < 0)) {
			daemon_stop(&run);
			rc = 1;
			goto done;
		}
	}
	rc = _cmocka_run_group_tests("cases", tests, run.count, NULL, NULL);
	daemon_stop(&run);
	http_stop(&run);

done:
	if (!run.failed && !run.keep && rc == 0)
		rm_rf(run.root);
	else
		fprintf(stderr, "run_cases: scratch directories kept in %s\n", run.root);
	for (i = 0; i < run.count; i++) {
		free(run.all[i].test_name);
		free(run.all[i].report_path);
	}
	free(run.all);
	free(tests);
	for (i = 0; i < ncases; i++)
		case_free(&cases[i]);
	free(cases);
	free(run.root);
	free(clearance);
	free(case_lib);
	free(dir_abs);
	return rc ? 1 : 0;
}
