/*
 * session.h - who is asking: logins, sessions, API tokens, the principal
 * a request runs as, and the throttle on failed logins. Independent of
 * libmicrohttpd so it can be tested alone.
 */
#ifndef XJ_HTTP_SESSION_H
#define XJ_HTTP_SESSION_H

#include <pthread.h>
#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"

#define SESSION_TTL (12 * 3600) /* absolute lifetime of a session, s */
#define SESSION_IDLE (30 * 60)  /* idle timeout, s */
#define SESSION_TOUCH_EVERY 60  /* record activity at most this often */
#define PRINCIPAL_GRANTS_MAX 32
#define SESSION_COOKIE "xj_session"
#define TOKEN_HEX 64

struct principal {
	int64_t user_id;
	int64_t member_id;
	char login[LOGIN_MAX * 4 + 1];
	char display_name[NAME_MAX_CHARS * 4 + 1];
	unsigned roles; /* ROLE_BIT of every role held */
	struct grant grants[PRINCIPAL_GRANTS_MAX];
	int ngrants;
	int64_t session_id; /* 0 when authenticated by an API token */
	char csrf[SHA256_HEX_LEN];
};

/*
 * Failed-login throttle, per account name and per client address: after
 * THROTTLE_LOGIN_MAX failures for one name (THROTTLE_ADDR_MAX for one
 * address) within THROTTLE_WINDOW seconds, further attempts are refused
 * until the window since the last failure has passed. Kept in memory: a
 * restart forgets it, which only gives an attacker one more window.
 */
#define THROTTLE_SLOTS 4096
#define THROTTLE_WINDOW (15 * 60)
#define THROTTLE_LOGIN_MAX 5
#define THROTTLE_ADDR_MAX 20

struct throttle_slot {
	char key[SHA256_HEX_LEN]; /* SHA-256 of "l:" login or "a:" address */
	int64_t last;             /* time of the last failure */
	int failures;
};

struct throttle {
	pthread_mutex_t lock;
	struct throttle_slot slot[THROTTLE_SLOTS];
};

void throttle_init(struct throttle *t);
void throttle_release(struct throttle *t);
/* Seconds until kind:key may try again, 0 if it may now. */
int64_t throttle_wait(struct throttle *t, char kind, const char *key,
                      int64_t now);
void throttle_fail(struct throttle *t, char kind, const char *key, int64_t now);
void throttle_clear(struct throttle *t, char kind, const char *key);

/*
 * Log in. On success writes the new session token (TOKEN_HEX + 1 bytes)
 * to token and fills p. Wrong name and wrong password give the same
 * XJ_EUNAUTH answer and take the same time; too many failures give
 * XJ_ELIMIT. The caller holds the store.
 */
enum xj_err auth_login(struct store *st, struct throttle *t, const char *login,
                       const char *password, const char *addr, int64_t now,
                       char *token, struct principal *p, struct xj_error *err);

/* The principal of a session cookie value, or *found = 0. */
enum xj_err auth_session(struct store *st, const char *token, int64_t now,
                         struct principal *p, int *found, struct xj_error *err);
/* The principal of an "xjt_..." API token, or *found = 0. */
enum xj_err auth_bearer(struct store *st, const char *token,
                        struct principal *p, int *found, struct xj_error *err);
enum xj_err auth_logout(struct store *st, const struct principal *p,
                        struct xj_error *err);

/* Fill p's user fields and grants for user_id. */
enum xj_err principal_load(struct store *st, int64_t user_id,
                           struct principal *p, int *found,
                           struct xj_error *err);

#endif
