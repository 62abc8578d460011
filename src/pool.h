/*
 * pool.h -- the master: preforks workers on one listening socket and
 * keeps them alive.
 *
 * A worker that dies is logged with its exit status and replaced, after a
 * growing delay if it keeps dying young (any exit status but 0 counts as
 * dying; 0 is a planned recycle after max_requests).
 *
 * SIGTERM/SIGINT (stop): the master removes the unix socket file it made
 * (new connections are refused from then on), closes its own descriptor
 * and tells every worker to drain: finish the request in flight, then
 * serve what already waits in the listen queue until it is empty, within
 * shutdown_timeout (SIGKILL after that). Then the master exits.
 *
 * SIGHUP (reload): the config file is read again (a bad file is refused
 * and the running config kept). `workers` and `max_requests` take effect
 * unless the command line set them; `listen` and `fcgi_allowed_addrs`
 * cannot change without a restart (a warning says so). The workers are
 * then replaced one at a time: a new one is started, and once it is ready
 * (or after 2 s) one old worker is told to stop after its request in
 * flight. At most one extra worker (and database connection) exists at
 * a time; no request is refused or dropped.
 */
#ifndef METAPIC_POOL_H
#define METAPIC_POOL_H

#include <stdbool.h>
#include <sys/types.h>

struct conf;

struct pool_opts {
	int listen_fd;
	const char *listen_spec;	/* as opened; NULL when handed over */
	bool listen_from_conf;	/* listen_spec came from the config's `listen` */
	bool addrs_from_conf;	/* fcgi_allowed_addrs is in force (not the env) */
	/* The unix socket file made at start, removed on stop; NULL: none. */
	const char *unix_path;
	dev_t unix_dev;		/* its identity, so another's file is kept */
	ino_t unix_ino;
	int workers;		/* -1: the config's, reloads included */
	long max_requests;	/* -1: the config's, reloads included */
	const char *pid_file;	/* NULL or "": none */
};

/*
 * Runs the pool until told to stop. *confp is replaced on reload (the old
 * one is freed). Returns the exit status for main().
 */
int pool_run(struct conf **confp, const struct pool_opts *o);

#endif
