/*
 * responder.c -- the benchmark's FastCGI baselines, bare libfcgi:
 *
 *   responder fixed SOCKET WORKERS
 *       writes a fixed JSON body: the ceiling of the FastCGI hop.
 *   responder query SOCKET WORKERS DB_SOCKET DB_USER DB_PASSWORD_FILE DB_NAME
 *       runs one prepared point select (prepared once per process) and
 *       writes the row as JSON: the ceiling of "one query per request".
 *
 * WORKERS processes accept on one unix socket, as the real pool does. No
 * routing, no auth, no validation: only what every request must pay.
 */
#include <err.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <mysql.h>

static MYSQL *db;
static MYSQL_STMT *st;
static long long id_param = 1, id_out;
static char name_out[256];
static unsigned long name_len;

static void
prepare(const char *sock, const char *user, const char *pwfile, const char *name)
{
	static const char q[] = "SELECT id, name FROM store_categories WHERE id = ?";
	MYSQL_BIND in[1], out[2];
	char pw[256] = "";
	FILE *f;

	if ((f = fopen(pwfile, "r")) != NULL) {
		if (fgets(pw, sizeof(pw), f) == NULL)
			pw[0] = '\0';
		pw[strcspn(pw, "\r\n")] = '\0';
		fclose(f);
	}
	if ((db = mysql_init(NULL)) == NULL ||
	    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
	    mysql_real_connect(db, NULL, user, pw, name, 0, sock, 0) == NULL)
		errx(1, "connect: %s", db ? mysql_error(db) : "mysql_init");
	if ((st = mysql_stmt_init(db)) == NULL ||
	    mysql_stmt_prepare(st, q, sizeof(q) - 1) != 0)
		errx(1, "prepare: %s", mysql_error(db));
	memset(in, 0, sizeof(in));
	in[0].buffer_type = MYSQL_TYPE_LONGLONG;
	in[0].buffer = &id_param;
	memset(out, 0, sizeof(out));
	out[0].buffer_type = MYSQL_TYPE_LONGLONG;
	out[0].buffer = &id_out;
	out[1].buffer_type = MYSQL_TYPE_STRING;
	out[1].buffer = name_out;
	out[1].buffer_length = sizeof(name_out) - 1;
	out[1].length = &name_len;
	if (mysql_stmt_bind_param(st, in) != 0 || mysql_stmt_bind_result(st, out) != 0)
		errx(1, "bind: %s", mysql_stmt_error(st));
}

static int
serve(int fd, int query)
{
	FCGX_Request r;
	char body[512];
	int n;

	FCGX_InitRequest(&r, fd, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		if (!query)
			n = snprintf(body, sizeof(body), "{\"id\":1,\"name\":\"Beauty\"}");
		else {
			if (mysql_stmt_execute(st) != 0 || mysql_stmt_fetch(st) != 0) {
				FCGX_FPrintF(r.out, "Status: 503 Service Unavailable\r\n\r\n");
				FCGX_Finish_r(&r);
				continue;
			}
			mysql_stmt_free_result(st);
			name_out[name_len] = '\0';
			n = snprintf(body, sizeof(body), "{\"id\":%lld,\"name\":\"%s\"}", id_out,
			    name_out);
		}
		FCGX_FPrintF(r.out, "Status: 200 OK\r\nContent-Type: application/json\r\n"
		    "Content-Length: %d\r\n\r\n%s", n, body);
		FCGX_Finish_r(&r);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun;
	int fd, workers, query;

	if (argc < 4 || (strcmp(argv[1], "fixed") != 0 && strcmp(argv[1], "query") != 0) ||
	    (strcmp(argv[1], "query") == 0 && argc != 8))
		errx(2, "usage: responder fixed|query SOCKET WORKERS [DB_SOCKET DB_USER "
		    "DB_PASSWORD_FILE DB_NAME]");
	query = strcmp(argv[1], "query") == 0;
	workers = atoi(argv[3]);
	FCGX_Init();
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[2]);
	unlink(argv[2]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 || listen(fd, 1024) == -1)
		err(1, "%s", argv[2]);
	chmod(argv[2], 0666);
	for (int i = 0; i < workers; i++) {
		pid_t pid = fork();
		if (pid == -1)
			err(1, "fork");
		if (pid == 0) {
			if (query)
				prepare(argv[4], argv[5], argv[6], argv[7]);
			return serve(fd, query);
		}
	}
	/* The parent waits; SIGTERM to the group stops everyone. */
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0 || errno == EINTR)
		continue;
	return 0;
}
