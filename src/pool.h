/*
 * pool.h -- the master: preforks workers on one listening socket and
 * keeps them alive.
 *
 * A worker that dies is logged with its exit status and replaced, after a
 * growing delay if it keeps dying young. SIGTERM/SIGINT: workers stop
 * accepting, finish what they serve (up to shutdown_timeout seconds, then
 * SIGKILL) and the master exits. SIGHUP: the config file is read again
 * and each worker is replaced in turn, the new one started before the old
 * one is told to stop, so that no request is refused or dropped.
 */
#ifndef METAPIC_POOL_H
#define METAPIC_POOL_H

struct conf;

/*
 * Runs the pool until told to stop. *confp is replaced on reload (the old
 * one is freed). Returns the exit status for main().
 */
int pool_run(struct conf **confp, int listen_fd, int workers, long max_requests,
    const char *pid_file);

#endif
