/*
 * app.h -- one request through the pipeline, and the loops that feed it.
 *
 * The pipeline: read the head; match the route (404, 405 with Allow,
 * OPTIONS preflight); authenticate (401); load the caller's rights; rate
 * limit (429); check the route's access (403); 501 for routes not built;
 * read the body (400, 413); validate (422); run the handler.
 */
#ifndef METAPIC_APP_H
#define METAPIC_APP_H

#include "http.h"

struct conf;

/* Prepares a process that will serve requests: logging, database, limits. */
void app_process_init(const struct conf *c);

/* Serves one request over io; returns the HTTP status sent. */
int app_handle(const struct conf *c, const struct http_io *io);

/*
 * The worker loop on a listening FastCGI socket. Waits in ppoll() with
 * SIGTERM/SIGINT unblocked only there, so a signal never interrupts a
 * request. Ways out:
 * - stop_fd (-1: none) yields the byte APP_STOP_DRAIN, or SIGTERM/SIGINT
 *   arrives: drain. Connections already waiting in the listen queue are
 *   served until accept() finds it empty (or half of shutdown_timeout has
 *   passed), then listen_fd is closed and the loop ends.
 * - stop_fd reaches EOF (the master closed it, or died): the loop ends
 *   after the request in flight; others keep serving the queue.
 * - after max_requests requests (0: no limit).
 * Returns the process exit status: 0 for these planned ends, non-zero
 * when the socket or ppoll() failed.
 */
#define APP_STOP_DRAIN 'd'
int app_worker(const struct conf *c, int listen_fd, int stop_fd, long max_requests);

/* Serves the one request of a plain CGI invocation. Returns exit status. */
int app_cgi(const struct conf *c);

#endif
