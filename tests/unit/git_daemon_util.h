/*
 * git_daemon_util.h - a real `git daemon` on 127.0.0.1 for tests that fetch
 * over git:// (the forge's git side). Included by one test program at a
 * time (static functions).
 */
#ifndef GIT_DAEMON_UTIL_H
#define GIT_DAEMON_UTIL_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

struct git_daemon {
	pid_t pid;
	int port;
};

/*
 * Serve every repository under `base` (git://127.0.0.1:PORT/<path under
 * base>). git daemon cannot bind port 0, so a few ports from a
 * per-process base are tried until one accepts `probe` (a repository path
 * under base, for ls-remote). @return 0, or -1 when none worked.
 */
static __attribute__((unused)) int git_daemon_start(struct git_daemon *d, const char *base,
	const char *probe)
{
	int i;

	d->pid = -1;
	d->port = 0;
	for (i = 0; i < 20 && !d->port; i++) {
		int candidate = 20000 + (int)(getpid() % 20000) + i * 7, tries, st;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (pid == 0) {
			char portarg[32], basearg[512];
#ifdef __linux__
			prctl(PR_SET_PDEATHSIG, SIGTERM);   /* a crashed test leaves no daemon */
#endif
			snprintf(portarg, sizeof(portarg), "--port=%d", candidate);
			snprintf(basearg, sizeof(basearg), "--base-path=%s", base);
			if (!freopen("/dev/null", "w", stderr))
				_exit(127);
			execlp("git", "git", "daemon", "--listen=127.0.0.1", portarg, basearg,
				"--export-all", "--reuseaddr", "--enable=receive-pack", base, (char *)NULL);
			_exit(127);
		}
		for (tries = 0; tries < 200; tries++) {
			char cmd[1024];
			snprintf(cmd, sizeof(cmd), "git ls-remote git://127.0.0.1:%d/%s >/dev/null 2>&1",
				candidate, probe);
			if (system(cmd) == 0) {
				d->pid = pid;
				d->port = candidate;
				break;
			}
			if (waitpid(pid, &st, WNOHANG) == pid)
				break;
			usleep(50000);
		}
		if (!d->port) {
			kill(pid, SIGTERM);
			waitpid(pid, NULL, 0);
		}
	}
	return d->port ? 0 : -1;
}

static __attribute__((unused)) void git_daemon_stop(struct git_daemon *d)
{
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		waitpid(d->pid, NULL, 0);
	}
	d->pid = -1;
}

#endif
