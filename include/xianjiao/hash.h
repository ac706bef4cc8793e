/*
 * hash.h - hashing, randomness and secrets, over libsodium.
 *
 * hash_init() must be called once before anything else here (it is safe
 * to call again); it fails only if the system has no usable randomness.
 */
#ifndef XJ_HASH_H
#define XJ_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/error.h"

#define SHA256_LEN 32
#define SHA256_HEX_LEN 65 /* 64 hex digits + NUL */

enum xj_err hash_init(struct xj_error *err);

/* SHA-256 of data as 64 lowercase hex digits in hex (SHA256_HEX_LEN). */
void sha256_hex(const void *data, size_t len, char *hex);

/* Incremental SHA-256, for digests over several fields. */
struct sha256_ctx {
	unsigned char state[128]; /* crypto_hash_sha256_state, opaque */
};
void sha256_begin(struct sha256_ctx *c);
void sha256_add(struct sha256_ctx *c, const void *data, size_t len);
void sha256_end_hex(struct sha256_ctx *c, char *hex);

/* Incremental BLAKE2b-256 (crypto_generichash): five times faster than
 * SHA-256 here, for checking large data such as the engine's snapshot. */
struct digest_ctx {
	_Alignas(64) unsigned char state[512]; /* opaque */
};
void digest_begin(struct digest_ctx *c);
void digest_add(struct digest_ctx *c, const void *data, size_t len);
void digest_end_hex(struct digest_ctx *c, char *hex); /* SHA256_HEX_LEN */

/* n random bytes written as 2n lowercase hex digits plus NUL into hex
 * (at least 2n + 1 bytes). */
void random_hex(char *hex, size_t n);

/* Constant-time comparison of two NUL-terminated strings of equal
 * length; 0 when equal. Different lengths compare unequal. */
int secret_compare(const char *a, const char *b);

/*
 * Passwords: argon2id (crypto_pwhash_str) with libsodium's "interactive"
 * limits. The encoded hash holds its own salt and parameters. A password
 * is 1..PASSWORD_MAX bytes.
 */
#define PASSWORD_MAX 1024
#define PASSWORD_HASH_MAX 128
enum xj_err password_hash(const char *password, char *out, size_t size,
                          struct xj_error *err);
/* XJ_OK if password matches encoded, XJ_EUNAUTH if not. */
enum xj_err password_verify(const char *encoded, const char *password);
/* Spend the time of one verification without a stored hash, so a login
 * for an unknown user answers as slowly as one for a known user. */
void password_burn(const char *password);

#endif
