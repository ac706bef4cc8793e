#include <pthread.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "xianjiao/hash.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <=
                   sizeof(((struct sha256_ctx *)0)->state),
               "sha256_ctx too small");

enum xj_err hash_init(struct xj_error *err)
{
	if (sodium_init() < 0)
		return xj_error_set(err, XJ_EINTERNAL,
		                    "无法初始化加密库 (libsodium)");
	return XJ_OK;
}

void sha256_hex(const void *data, size_t len, char *hex)
{
	unsigned char h[SHA256_LEN];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, SHA256_HEX_LEN, h, sizeof(h));
}

void sha256_begin(struct sha256_ctx *c)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)c->state);
}

void sha256_add(struct sha256_ctx *c, const void *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)c->state,
	                          data, len);
}

void sha256_end_hex(struct sha256_ctx *c, char *hex)
{
	unsigned char h[SHA256_LEN];

	crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)c->state,
	                         h);
	sodium_bin2hex(hex, SHA256_HEX_LEN, h, sizeof(h));
}

_Static_assert(sizeof(crypto_generichash_state) <=
                   sizeof(((struct digest_ctx *)0)->state),
               "digest_ctx too small");

void digest_begin(struct digest_ctx *c)
{
	crypto_generichash_init((crypto_generichash_state *)(void *)c->state,
	                        NULL, 0, 32);
}

void digest_add(struct digest_ctx *c, const void *data, size_t len)
{
	crypto_generichash_update((crypto_generichash_state *)(void *)c->state,
	                          data, len);
}

void digest_end_hex(struct digest_ctx *c, char *hex)
{
	unsigned char h[32];

	crypto_generichash_final((crypto_generichash_state *)(void *)c->state,
	                         h, sizeof(h));
	sodium_bin2hex(hex, SHA256_HEX_LEN, h, sizeof(h));
}

void random_hex(char *hex, size_t n)
{
	unsigned char buf[64];

	while (n > 0) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		randombytes_buf(buf, k);
		sodium_bin2hex(hex, 2 * k + 1, buf, k);
		hex += 2 * k;
		n -= k;
	}
	sodium_memzero(buf, sizeof(buf));
}

int secret_compare(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return 1;
	return sodium_memcmp(a, b, la) != 0;
}

enum xj_err password_hash(const char *password, char *out, size_t size,
                          struct xj_error *err)
{
	size_t len = strlen(password);

	if (len == 0)
		return xj_error_field(err, XJ_EINVAL, "password",
		                      "密码不能为空");
	if (len > PASSWORD_MAX)
		return xj_error_field(err, XJ_EINVAL, "password",
		                      "密码不能超过 %d 字节", PASSWORD_MAX);
	if (size < crypto_pwhash_STRBYTES)
		return xj_error_set(err, XJ_EINTERNAL, "密码哈希缓冲区过小");
	if (crypto_pwhash_str(out, password, len,
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return xj_error_set(err, XJ_EINTERNAL,
		                    "内存不足，无法计算密码哈希");
	return XJ_OK;
}

enum xj_err password_verify(const char *encoded, const char *password)
{
	size_t len = strlen(password);

	if (len == 0 || len > PASSWORD_MAX || encoded == NULL)
		return XJ_EUNAUTH;
	return crypto_pwhash_str_verify(encoded, password, len) == 0
	           ? XJ_OK
	           : XJ_EUNAUTH;
}

/* A fixed hash with the same parameters as password_hash(). */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (crypto_pwhash_str(dummy, "xianjiao", 8,
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';
}

void password_burn(const char *password)
{
	pthread_once(&dummy_once, make_dummy);
	if (dummy[0] != '\0')
		(void)password_verify(dummy, password);
}
