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
 * request: it ends the loop once the request in flight is answered. The
 * loop also ends when stop_fd (-1: none) becomes readable or hangs up
 * (the master closed it or died), or after max_requests (0: no limit).
 * Returns the process exit status.
 */
int app_worker(const struct conf *c, int listen_fd, int stop_fd, long max_requests);

/* Serves the one request of a plain CGI invocation. Returns exit status. */
int app_cgi(const struct conf *c);

#endif
