/*
 * token.c -- metapic-token: prints a signed access token, for development
 * and tests.
 *
 *   metapic-token --config FILE --sub USER_ID [--ttl SECONDS]
 */
#include "config.h"

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"
#include "util.h"

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "sub", required_argument, NULL, 's' },
		{ "ttl", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *subs = NULL;
	long ttl = 3600;
	int64_t sub;
	struct conf *c;
	char errbuf[512], *tok;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:s:t:", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': config = optarg; break;
		case 's': subs = optarg; break;
		case 't': ttl = strtol(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (config == NULL || subs == NULL || optind != argc)
		goto usage;
	if (util_parse_int64(subs, strlen(subs), &sub) == -1 || sub <= 0)
		errx(2, "--sub must be a positive user id");
	if ((c = conf_load(config, errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	if ((tok = auth_make_token(c, sub, ttl, time(NULL), errbuf, sizeof(errbuf))) == NULL)
		errx(1, "%s", errbuf);
	printf("%s\n", tok);
	free(tok);
	conf_free(c);
	return 0;
usage:
	fprintf(stderr, "usage: metapic-token --config FILE --sub USER_ID [--ttl SECONDS]\n");
	return 2;
}
