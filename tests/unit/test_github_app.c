/*
 * test_github_app.c - GitHub App auth: the JWT verifies with the app's
 * public key and carries the claims GitHub requires; installation tokens
 * are cached until shortly before expiry, then refreshed.
 */
#include "forge_test_util.h"

#include "github_app.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

/* A throwaway RSA key as PEM (what GitHub hands out), and the key itself. */
static char *make_key(EVP_PKEY **key_out)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *pem;
	long n;
	assert_non_null(key);
	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	/* BIO memory is not NUL-terminated: copy by length (strndup would read on). */
	pem = malloc((size_t)n + 1);
	assert_non_null(pem);
	memcpy(pem, data, (size_t)n);
	pem[n] = '\0';
	BIO_free(bio);
	*key_out = key;
	return pem;
}

static unsigned char *b64url_decode(const char *s, size_t len, size_t *out_len)
{
	unsigned char *out = malloc(len + 4);
	unsigned long acc = 0;
	size_t i, n = 0;
	int bits = 0;
	assert_non_null(out);
	for (i = 0; i < len; i++) {
		const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		const char *p = strchr(tab, s[i]);
		assert_non_null(p);
		acc = (acc << 6) | (unsigned long)(p - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)((acc >> bits) & 0xFF);
		}
	}
	*out_len = n;
	return out;
}

static void test_jwt_verifies(void **state)
{
	EVP_PKEY *key = NULL;
	char *pem = make_key(&key), *jwt = NULL, *d1, *d2;
	struct cl_github_app *app = NULL;
	unsigned char *hdr, *claims, *sig;
	size_t hl, cl, sl;
	EVP_MD_CTX *md;
	json_t *h, *c;
	time_t now = 1700000000;
	(void)state;

	assert_int_equal(cl_github_app_new(&app, "12345", "678", pem, strlen(pem)), 0);
	assert_int_equal(cl_github_app_jwt(&jwt, app, now), 0);
	d1 = strchr(jwt, '.');
	assert_non_null(d1);
	d2 = strchr(d1 + 1, '.');
	assert_non_null(d2);
	assert_null(strchr(d2 + 1, '.'));
	assert_null(strchr(jwt, '=')); /* no padding */

	hdr = b64url_decode(jwt, (size_t)(d1 - jwt), &hl);
	claims = b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), &cl);
	sig = b64url_decode(d2 + 1, strlen(d2 + 1), &sl);
	h = json_loadb((char *)hdr, hl, 0, NULL);
	c = json_loadb((char *)claims, cl, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(h, "alg")), "RS256");
	assert_string_equal(json_string_value(json_object_get(h, "typ")), "JWT");
	assert_int_equal(json_integer_value(json_object_get(c, "iat")), now - 60);
	assert_true(json_integer_value(json_object_get(c, "exp")) <= now + 600);
	assert_true(json_integer_value(json_object_get(c, "exp")) > now);
	assert_string_equal(json_string_value(json_object_get(c, "iss")), "12345");

	/* RS256 over "header.claims" with the public half */
	md = EVP_MD_CTX_new();
	assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key), 1);
	assert_int_equal(EVP_DigestVerify(md, sig, sl, (unsigned char *)jwt, (size_t)(d2 - jwt)), 1);
	/* and a tampered claim does not verify */
	jwt[d1 - jwt + 3] ^= 1;
	assert_int_not_equal(EVP_DigestVerify(md, sig, sl, (unsigned char *)jwt, (size_t)(d2 - jwt)), 1);

	EVP_MD_CTX_free(md);
	json_decref(h);
	json_decref(c);
	free(hdr);
	free(claims);
	free(sig);
	free(jwt);
	free(pem);
	EVP_PKEY_free(key);
	cl_github_app_free(app);
}

static void test_bad_inputs(void **state)
{
	struct cl_github_app *app = NULL;
	const char junk[] = "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n";
	(void)state;
	assert_int_equal(cl_github_app_new(&app, "12a", "1", junk, sizeof(junk) - 1), CL_EINVALID);
	assert_int_equal(cl_github_app_new(&app, "1", "../2", junk, sizeof(junk) - 1), CL_EINVALID);
	assert_int_equal(cl_github_app_new(&app, "1", "2", junk, sizeof(junk) - 1), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "not an RSA key"));
	assert_int_equal(cl_github_app_new_from_file(&app, "1", "2", "/nonexistent/key.pem"), CL_ENOTFOUND);
	assert_null(app);
}

static void test_token_cache(void **state)
{
	struct standin s;
	struct fake_sys fs;
	struct cl_http_sys sys = { fake_sleep, fake_now, &fs };
	struct cl_http_options ho = CL_HTTP_OPTIONS_INIT;
	struct cl_http_client *http = NULL;
	struct cl_github_app *app = NULL;
	struct cl_buf log = CL_BUF_INIT;
	EVP_PKEY *key = NULL;
	char *pem = make_key(&key), *t1 = NULL, *t2 = NULL, *t3 = NULL;
	time_t exp;
	(void)state;

	memset(&fs, 0, sizeof(fs));
	fs.now = time(NULL);
	cl_buf_init(&log, 0);
	standin_start(&s);
	ho.sys = &sys;
	ho.log = capture_log;
	ho.log_payload = &log;
	assert_int_equal(cl_http_client_new(&http, &ho), 0);
	assert_int_equal(cl_github_app_new(&app, "12345", "678", pem, strlen(pem)), 0);
	assert_int_equal(cl_github_app_token_expiry(app), 0);

	assert_int_equal(cl_github_app_token(&t1, app, http, s.base, fs.now), 0);
	assert_int_equal(cl_github_app_token(&t2, app, http, s.base, fs.now + 60), 0);
	assert_string_equal(t1, t2);
	assert_int_equal(standin_count(&s, "POST", "/app/installations/678/access_tokens"), 1);
	exp = cl_github_app_token_expiry(app);
	assert_true(exp > fs.now + 3000);
	/* four minutes before expiry: inside the margin, a new token */
	assert_int_equal(cl_github_app_token(&t3, app, http, s.base, exp - 240), 0);
	assert_string_not_equal(t1, t3);
	assert_int_equal(standin_count(&s, "POST", "/app/installations/678/access_tokens"), 2);
	/* the tokens and the JWT are secrets: never in the client's log */
	standin_assert_clean(&s, cl_buf_cstr(&log));
	assert_null(strstr(cl_buf_cstr(&log), "eyJ"));

	/* a refusal is an error naming the installation, not the JWT */
	standin_fault(&s, "{\"path\":\"/access_tokens\",\"status\":404,\"count\":1}");
	free(t3);
	t3 = NULL;
	assert_int_equal(cl_github_app_token(&t3, app, http, s.base, exp + 10), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "installation 678"));
	assert_null(strstr(cl_error_last(), "eyJ"));

	standin_stop(&s);
	free(t1);
	free(t2);
	free(t3);
	free(pem);
	EVP_PKEY_free(key);
	cl_github_app_free(app);
	cl_http_client_free(http);
	cl_buf_dispose(&log);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jwt_verifies),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_token_cache),
	};
	(void)argc;
	test_argv0 = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
