/*
 * Fuzz target: the Authorization header and token verification, HS256 and
 * ES256 (the first byte picks). Nothing the fuzzer makes may be accepted:
 * it does not know the secret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* t/data/test-ec.pub.pem: a real key, so that the ES256 path runs. */
static const char ec_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0ZQIhKBqtl75kCRjX9OjqtPbe2qc\n"
    "8CsEtAhKEa/s4g/u5gL8Ny01tbqI8DRToFhd5j8ZRLsxQaGsKHq/F7UJXA==\n"
    "-----END PUBLIC KEY-----\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char secret[] = "fuzz-secret-fuzz-secret-fuzz-secret-0123";
	struct conf c;
	char *hdr;
	int64_t sub;

	if (size == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	if (data[0] & 1) {
		c.jwt_alg = CONF_JWT_ES256;
		c.jwt_key = (unsigned char *)ec_pub;
		c.jwt_key_len = sizeof(ec_pub) - 1;
	} else {
		c.jwt_alg = CONF_JWT_HS256;
		c.jwt_key = (unsigned char *)secret;
		c.jwt_key_len = sizeof(secret) - 1;
	}
	c.jwt_leeway = 30;
	hdr = malloc(size);
	memcpy(hdr, data + 1, size - 1);
	hdr[size - 1] = '\0';
	if (auth_verify(&c, hdr, (time_t)1800000000, &sub) == API_OK)
		abort();	/* a forged token was accepted */
	free(hdr);
	return 0;
}
