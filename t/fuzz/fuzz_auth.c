/*
 * Fuzz target: the Authorization header and token verification, HS256 and
 * ES256 (the first byte picks). Nothing the fuzzer makes may be accepted:
 * it does not know the secret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jwt.h>

#include "auth.h"
#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* t/data/test-ec.pub.pem: a real key, so that the ES256 path runs. */
static const char ec_pub[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE0ZQIhKBqtl75kCRjX9OjqtPbe2qc\n"
    "8CsEtAhKEa/s4g/u5gL8Ny01tbqI8DRToFhd5j8ZRLsxQaGsKHq/F7UJXA==\n"
    "-----END PUBLIC KEY-----\n";

/*
 * Mode 2: the input is claims JSON, signed with the right secret, so that
 * the checks of exp, nbf, iss, aud and sub run on anything the fuzzer
 * makes. An accepted token must carry a positive sub and a numeric exp.
 */
static int
signed_claims(const uint8_t *data, size_t size)
{
	static const char secret[] = "fuzz-secret-fuzz-secret-fuzz-secret-0123";
	struct conf c;
	jwt_t *jwt = NULL;
	char *claims, *tok;
	int64_t sub = 0;

	memset(&c, 0, sizeof(c));
	c.jwt_alg = CONF_JWT_HS256;
	c.jwt_key = (unsigned char *)secret;
	c.jwt_key_len = sizeof(secret) - 1;
	c.jwt_leeway = 30;
	c.jwt_issuer = (char *)"iss-x";
	c.jwt_audience = (char *)"aud-x";
	claims = malloc(size + 1);
	memcpy(claims, data, size);
	claims[size] = '\0';
	if (jwt_new(&jwt) == 0 && jwt_add_grants_json(jwt, claims) == 0 &&
	    jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)secret,
	    (int)sizeof(secret) - 1) == 0 && (tok = jwt_encode_str(jwt)) != NULL) {
		if (auth_verify(&c, tok, (time_t)1800000000, &sub) == API_OK && sub <= 0)
			abort();
		free(tok);
	}
	jwt_free(jwt);
	free(claims);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char secret[] = "fuzz-secret-fuzz-secret-fuzz-secret-0123";
	struct conf c;
	char *hdr;
	int64_t sub;

	if (size == 0)
		return 0;
	if ((data[0] & 3) == 2)
		return signed_claims(data + 1, size - 1);
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
