/*
 * test_auth.c -- JWT verification: what is accepted and what never is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <jwt.h>

#include "auth.h"
#include "conf.h"
#include "util.h"

#define SECRET "0123456789abcdef0123456789abcdef-test-secret"
#define NOW 1800000000L

static struct conf hs;

static void
setup_hs(void)
{
	memset(&hs, 0, sizeof(hs));
	hs.jwt_alg = CONF_JWT_HS256;
	hs.jwt_key = (unsigned char *)SECRET;
	hs.jwt_key_len = strlen(SECRET);
	hs.jwt_leeway = 30;
}

/* Signs claims (a JSON object text) with alg and key. */
static char *
sign(jwt_alg_t alg, const char *key, size_t klen, const char *claims)
{
	jwt_t *jwt = NULL;
	char *out;

	cr_assert_eq(jwt_new(&jwt), 0);
	cr_assert_eq(jwt_add_grants_json(jwt, claims), 0, "claims %s", claims);
	cr_assert_eq(jwt_set_alg(jwt, alg, (const unsigned char *)key, (int)klen), 0);
	out = jwt_encode_str(jwt);
	jwt_free(jwt);
	return out;
}

static char *
b64url(const char *s)
{
	char *b = util_base64(s, strlen(s));
	size_t n = strlen(b);

	for (size_t i = 0; i < n; i++) {
		if (b[i] == '+')
			b[i] = '-';
		else if (b[i] == '/')
			b[i] = '_';
	}
	while (n > 0 && b[n - 1] == '=')
		b[--n] = '\0';
	return b;
}

static enum api_err
verify(const struct conf *c, const char *header, int64_t *sub)
{
	return auth_verify(c, header, (time_t)NOW, sub);
}

Test(auth, accepts_good_hs256, .init = setup_hs)
{
	char claims[128], hdr[1024];
	int64_t sub = 0;

	snprintf(claims, sizeof(claims), "{\"sub\":\"3\",\"exp\":%ld}", NOW + 60);
	char *t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
	cr_expect_eq(verify(&hs, t, &sub), API_OK, "bare token");
	cr_expect_eq(sub, 3);
	snprintf(hdr, sizeof(hdr), "Bearer %s", t);
	cr_expect_eq(verify(&hs, hdr, &sub), API_OK, "Bearer token");
	free(t);

	snprintf(claims, sizeof(claims), "{\"sub\":5,\"exp\":%ld}", NOW + 60);
	t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
	cr_expect_eq(verify(&hs, t, &sub), API_OK, "numeric sub");
	cr_expect_eq(sub, 5);
	free(t);
}

/* Each case: claims, and whether the token must be accepted. */
static const struct {
	const char *claims;
	bool ok;
	const char *why;
} claim_cases[] = {
	{ "{\"sub\":\"1\"}", false, "missing exp" },
	{ "{\"sub\":\"1\",\"exp\":1799999000}", false, "expired" },
	{ "{\"sub\":\"1\",\"exp\":1799999990}", true, "expired within leeway" },
	{ "{\"sub\":\"1\",\"exp\":\"1800000100\"}", false, "exp as a string" },
	{ "{\"sub\":\"1\",\"exp\":1800000100,\"nbf\":1800000500}", false, "nbf in the future" },
	{ "{\"sub\":\"1\",\"exp\":1800000100,\"nbf\":1800000010}", true, "nbf within leeway" },
	{ "{\"sub\":\"1\",\"exp\":1800000100,\"nbf\":\"soon\"}", false, "nbf not a number" },
	{ "{\"exp\":1800000100}", false, "missing sub" },
	{ "{\"sub\":\"abc\",\"exp\":1800000100}", false, "non-numeric sub" },
	{ "{\"sub\":\"0\",\"exp\":1800000100}", false, "zero sub" },
	{ "{\"sub\":\"-3\",\"exp\":1800000100}", false, "negative sub" },
	{ "{\"sub\":\"3 \",\"exp\":1800000100}", false, "sub with a space" },
	{ "{\"sub\":1.5,\"exp\":1800000100}", false, "fractional sub" },
};

Test(auth, claims_table, .init = setup_hs)
{
	for (size_t i = 0; i < sizeof(claim_cases) / sizeof(claim_cases[0]); i++) {
		int64_t sub = 0;
		char *t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claim_cases[i].claims);
		cr_expect_eq(verify(&hs, t, &sub), claim_cases[i].ok ? API_OK : API_UNAUTHENTICATED,
		    "%s", claim_cases[i].why);
		free(t);
	}
}

Test(auth, forged_tokens, .init = setup_hs)
{
	char claims[128], tok[1024];
	int64_t sub;

	snprintf(claims, sizeof(claims), "{\"sub\":\"1\",\"exp\":%ld}", NOW + 60);

	/* Signed with another secret. */
	const char *other = "another-secret-another-secret-another-secret";
	char *t = sign(JWT_ALG_HS256, other, strlen(other), claims);
	cr_expect_eq(verify(&hs, t, &sub), API_UNAUTHENTICATED, "wrong secret");
	/* A flipped signature byte. */
	t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
	cr_expect_eq(verify(&hs, t, &sub), API_UNAUTHENTICATED, "tampered");
	free(t);

	/* alg: none, with and without a trailing dot. */
	char *h = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}"), *p = b64url(claims);
	snprintf(tok, sizeof(tok), "%s.%s.", h, p);
	cr_expect_eq(verify(&hs, tok, &sub), API_UNAUTHENTICATED, "alg none");
	snprintf(tok, sizeof(tok), "%s.%s", h, p);
	cr_expect_eq(verify(&hs, tok, &sub), API_UNAUTHENTICATED, "alg none, 2 parts");
	free(h);

	/* HS384/HS512 with the right secret: not the configured algorithm. */
	t = sign(JWT_ALG_HS512, SECRET, strlen(SECRET), claims);
	cr_expect_eq(verify(&hs, t, &sub), API_UNAUTHENTICATED, "HS512");
	free(t);
	free(p);

	/* Empty segments once made libjwt touch a byte past an allocation. */
	static const char *const junk[] = { "", "Bearer ", "Bearer", "x.y.z", "...",
		"Basic dXNlcjpwYXNz", "Bearer a.b", ".y.z", "x..z", "x.y.",
		"eyJhbGciOiJIUzI1NiJ9..c2ln", "x.y.z.w", "x.y z.z", "x.y.z\n" };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		cr_expect_eq(verify(&hs, junk[i], &sub), API_UNAUTHENTICATED, "junk %s", junk[i]);
	cr_expect_eq(verify(&hs, NULL, &sub), API_UNAUTHENTICATED, "no header");
}

Test(auth, issuer_and_audience, .init = setup_hs)
{
	char claims[256];
	int64_t sub;

	hs.jwt_issuer = "https://auth.metapic.test";
	hs.jwt_audience = "metapic-api";
	static const struct {
		const char *extra;
		bool ok;
	} cases[] = {
		{ ",\"iss\":\"https://auth.metapic.test\",\"aud\":\"metapic-api\"", true },
		{ ",\"iss\":\"https://auth.metapic.test\",\"aud\":[\"x\",\"metapic-api\"]", true },
		{ ",\"iss\":\"https://evil.test\",\"aud\":\"metapic-api\"", false },
		{ ",\"iss\":\"https://auth.metapic.test\",\"aud\":\"other\"", false },
		{ ",\"aud\":\"metapic-api\"", false },
		{ ",\"iss\":\"https://auth.metapic.test\"", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(claims, sizeof(claims), "{\"sub\":\"1\",\"exp\":%ld%s}", NOW + 60,
		    cases[i].extra);
		char *t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
		cr_expect_eq(verify(&hs, t, &sub), cases[i].ok ? API_OK : API_UNAUTHENTICATED,
		    "%s", cases[i].extra);
		free(t);
	}
}

Test(auth, rs256_and_algorithm_confusion)
{
	const char *top = getenv("top_srcdir");
	char path[1024], claims[128];
	unsigned char *pub, *priv;
	size_t publen, privlen;
	struct conf rs;
	int64_t sub = 0;

	snprintf(path, sizeof(path), "%s/t/data/test-rsa.pub.pem", top ? top : ".");
	cr_assert_not_null(pub = conf_read_file(path, &publen));
	snprintf(path, sizeof(path), "%s/t/data/test-rsa.pem", top ? top : ".");
	cr_assert_not_null(priv = conf_read_file(path, &privlen));
	memset(&rs, 0, sizeof(rs));
	rs.jwt_alg = CONF_JWT_RS256;
	rs.jwt_key = pub;
	rs.jwt_key_len = publen;

	snprintf(claims, sizeof(claims), "{\"sub\":\"4\",\"exp\":%ld}", NOW + 60);
	char *t = sign(JWT_ALG_RS256, (const char *)priv, privlen, claims);
	cr_expect_eq(verify(&rs, t, &sub), API_OK, "RS256 signed with the private key");
	cr_expect_eq(sub, 4);
	free(t);

	/* HS256 keyed with the public key PEM: the classic confusion attack. */
	t = sign(JWT_ALG_HS256, (const char *)pub, publen, claims);
	cr_expect_eq(verify(&rs, t, &sub), API_UNAUTHENTICATED, "HS256 with the public key");
	free(t);
	free(pub);
	free(priv);
}

Test(auth, es256)
{
	const char *top = getenv("top_srcdir");
	char path[1024], claims[128];
	unsigned char *pub, *priv, *rsapub;
	size_t publen, privlen, rsalen;
	struct conf ec;
	int64_t sub = 0;

	snprintf(path, sizeof(path), "%s/t/data/test-ec.pub.pem", top ? top : ".");
	cr_assert_not_null(pub = conf_read_file(path, &publen));
	snprintf(path, sizeof(path), "%s/t/data/test-ec.pem", top ? top : ".");
	cr_assert_not_null(priv = conf_read_file(path, &privlen));
	snprintf(path, sizeof(path), "%s/t/data/test-rsa.pem", top ? top : ".");
	cr_assert_not_null(rsapub = conf_read_file(path, &rsalen));
	memset(&ec, 0, sizeof(ec));
	ec.jwt_alg = CONF_JWT_ES256;
	ec.jwt_key = pub;
	ec.jwt_key_len = publen;

	snprintf(claims, sizeof(claims), "{\"sub\":\"2\",\"exp\":%ld}", NOW + 60);
	char *t = sign(JWT_ALG_ES256, (const char *)priv, privlen, claims);
	cr_expect_eq(verify(&ec, t, &sub), API_OK, "ES256");
	cr_expect_eq(sub, 2);
	free(t);
	/* RS256 with some other key, and HS256 keyed with the public key. */
	t = sign(JWT_ALG_RS256, (const char *)rsapub, rsalen, claims);
	cr_expect_eq(verify(&ec, t, &sub), API_UNAUTHENTICATED, "RS256 on an ES256 server");
	free(t);
	t = sign(JWT_ALG_HS256, (const char *)pub, publen, claims);
	cr_expect_eq(verify(&ec, t, &sub), API_UNAUTHENTICATED, "HS256 with the public key");
	free(t);
	free(pub);
	free(priv);
	free(rsapub);
}

Test(auth, store_rights)
{
	int64_t stores[] = { 2, 9 };
	struct caller member = { 7, false, 0, stores, 2 }, admin = { 1, true, 0, NULL, 0 },
	    creator = { 3, false, 1, NULL, 0 };

	cr_expect(auth_can_manage_store(&member, 9));
	cr_expect_not(auth_can_manage_store(&member, 1));
	cr_expect(auth_can_manage_store(&admin, 1));
	cr_expect_not(auth_can_manage_store(&creator, 1));
}

/*
 * exp and iat at the ends of the integer range (exp + leeway used to
 * overflow), and the cap on a token's lifetime, jwt_max_ttl.
 */
Test(auth, extreme_claims_and_lifetime_cap, .init = setup_hs)
{
	static const struct {
		long max_ttl;	/* 0: no cap */
		const char *claims;
		bool ok;
		const char *why;
	} cases[] = {
		{ 0, "{\"sub\":\"1\",\"exp\":9223372036854775807}", true, "largest exp, no cap" },
		{ 0, "{\"sub\":\"1\",\"exp\":-9223372036854775808}", false, "smallest exp" },
		{ 0, "{\"sub\":\"1\",\"exp\":9223372036854775807,\"nbf\":-9223372036854775808}",
		  true, "smallest nbf" },
		{ 86400, "{\"sub\":\"1\",\"exp\":9223372036854775807}", false,
		  "largest exp, capped" },
		{ 86400, "{\"sub\":\"1\",\"exp\":1800086400}", true, "exactly the cap from now" },
		{ 86400, "{\"sub\":\"1\",\"exp\":1800086430}", true, "the cap plus the leeway" },
		{ 86400, "{\"sub\":\"1\",\"exp\":1800086431}", false, "past cap plus leeway" },
		{ 86400, "{\"sub\":\"1\",\"iat\":1800000000,\"exp\":1800086400}", true,
		  "lifetime exactly the cap" },
		{ 86400, "{\"sub\":\"1\",\"iat\":1799990000,\"exp\":1800086400}", false,
		  "lifetime from iat over the cap" },
		{ 86400, "{\"sub\":\"1\",\"iat\":-9223372036854775808,\"exp\":1800000100}", false,
		  "smallest iat" },
		{ 86400, "{\"sub\":\"1\",\"iat\":9223372036854775807,\"exp\":1800000100}", true,
		  "largest iat: no lifetime" },
		{ 86400, "{\"sub\":\"1\",\"iat\":\"1800000000\",\"exp\":1800000100}", false,
		  "iat as a string" },
		{ 0, "{\"sub\":\"1\",\"iat\":\"soon\",\"exp\":1800000100}", true,
		  "iat unread without a cap" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t sub = 0;
		char *t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), cases[i].claims);
		hs.jwt_max_ttl = cases[i].max_ttl;
		cr_expect_eq(verify(&hs, t, &sub), cases[i].ok ? API_OK : API_UNAUTHENTICATED,
		    "%s", cases[i].why);
		free(t);
	}
}

/*
 * The cache of verified tokens: a token that comes back is accepted
 * without decoding only while its times hold and under the configuration
 * it was verified with; refusals are never kept.
 */
Test(auth, verified_tokens_cache_keeps_every_rule, .init = setup_hs)
{
	char claims[256];
	int64_t sub = 0;
	time_t now = (time_t)NOW;

	auth_cache_clear();
	snprintf(claims, sizeof(claims), "{\"sub\":\"7\",\"exp\":%ld,\"nbf\":%ld}", NOW + 600,
	    NOW - 10);
	char *t = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
	cr_expect_eq(auth_verify(&hs, t, now, &sub), API_OK);
	cr_expect_eq(sub, 7);
	sub = 0;
	cr_expect_eq(auth_verify(&hs, t, now + 5, &sub), API_OK, "again, from the cache");
	cr_expect_eq(sub, 7);
	/* Expired later: refused though kept (leeway 30). */
	cr_expect_eq(auth_verify(&hs, t, now + 600 + 31, &sub), API_UNAUTHENTICATED);
	cr_expect_eq(auth_verify(&hs, t, now + 600 + 29, &sub), API_OK);
	/* Earlier than its nbf (a clock that went back): refused. */
	cr_expect_eq(auth_verify(&hs, t, now - 10 - 31, &sub), API_UNAUTHENTICATED);
	/* The lifetime cap, as of an earlier time. */
	hs.jwt_max_ttl = 600;
	cr_expect_eq(auth_verify(&hs, t, now - 20, &sub), API_OK);
	cr_expect_eq(auth_verify(&hs, t, now - 20 - 31, &sub), API_UNAUTHENTICATED);
	hs.jwt_max_ttl = 0;
	/* Another secret, issuer or audience: verified again, and refused. */
	struct conf other = hs;
	other.jwt_key = (unsigned char *)"another-secret-of-at-least-32-bytes!!";
	other.jwt_key_len = strlen((const char *)other.jwt_key);
	cr_expect_eq(auth_verify(&other, t, now, &sub), API_UNAUTHENTICATED);
	other = hs;
	other.jwt_issuer = "https://auth.metapic.test";
	cr_expect_eq(auth_verify(&other, t, now, &sub), API_UNAUTHENTICATED);
	other = hs;
	other.jwt_audience = "metapic-api";
	cr_expect_eq(auth_verify(&other, t, now, &sub), API_UNAUTHENTICATED);
	cr_expect_eq(auth_verify(&hs, t, now, &sub), API_OK, "still good where it was");
	/* A refusal is not kept: a token not yet valid becomes valid in time. */
	char *later;
	snprintf(claims, sizeof(claims), "{\"sub\":\"8\",\"exp\":%ld,\"nbf\":%ld}", NOW + 600,
	    NOW + 100);
	later = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
	cr_expect_eq(auth_verify(&hs, later, now, &sub), API_UNAUTHENTICATED);
	cr_expect_eq(auth_verify(&hs, later, now + 100, &sub), API_OK);
	cr_expect_eq(sub, 8);
	/* A forged copy (one byte of the signature changed) is no hit. */
	size_t n = strlen(t);
	t[n - 2] = t[n - 2] == 'A' ? 'B' : 'A';
	cr_expect_eq(auth_verify(&hs, t, now, &sub), API_UNAUTHENTICATED);
	/* More tokens than the cache holds: each still verified right. */
	for (int i = 1; i <= 100; i++) {
		char *x;
		snprintf(claims, sizeof(claims), "{\"sub\":%d,\"exp\":%ld}", i, NOW + 600);
		x = sign(JWT_ALG_HS256, SECRET, strlen(SECRET), claims);
		cr_expect_eq(auth_verify(&hs, x, now, &sub), API_OK);
		cr_expect_eq(sub, i);
		cr_expect_eq(auth_verify(&hs, x, now, &sub), API_OK);
		cr_expect_eq(sub, i);
		free(x);
	}
	free(later);
	free(t);
	auth_cache_clear();
}
