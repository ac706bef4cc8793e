#include <stdio.h>
#include <string.h>

#include "session.h"

void throttle_init(struct throttle *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

void throttle_release(struct throttle *t)
{
	pthread_mutex_destroy(&t->lock);
}

/* Keys are hashed so the table never holds a typed login name (which may
 * be a mistyped password) in the clear. */
static void throttle_key(char kind, const char *key, char *out)
{
	struct sha256_ctx c;

	sha256_begin(&c);
	sha256_add(&c, &kind, 1);
	sha256_add(&c, ":", 1);
	sha256_add(&c, key, strlen(key));
	sha256_end_hex(&c, out);
}

/* Open addressing over a fixed table; a full probe run evicts the
 * oldest entry it saw. Called with the lock held. */
static struct throttle_slot *slot_for(struct throttle *t, const char *k,
                                      int create)
{
	unsigned h = 0;
	size_t i, idx, oldest = 0;
	const unsigned char *p = (const unsigned char *)k;

	for (i = 0; i < 8; i++)
		h = h * 31 + p[i];
	for (i = 0; i < 16; i++) {
		idx = (h + i) % THROTTLE_SLOTS;
		if (strcmp(t->slot[idx].key, k) == 0)
			return &t->slot[idx];
		if (t->slot[idx].key[0] == '\0') {
			oldest = idx;
			break;
		}
		if (t->slot[idx].last < t->slot[oldest].last || i == 0)
			oldest = idx;
	}
	if (!create)
		return NULL;
	memset(&t->slot[oldest], 0, sizeof(t->slot[oldest]));
	snprintf(t->slot[oldest].key, sizeof(t->slot[oldest].key), "%s", k);
	return &t->slot[oldest];
}

int64_t throttle_wait(struct throttle *t, char kind, const char *key,
                      int64_t now)
{
	char k[SHA256_HEX_LEN];
	struct throttle_slot *s;
	int max = kind == 'a' ? THROTTLE_ADDR_MAX : THROTTLE_LOGIN_MAX;
	int64_t wait = 0;

	throttle_key(kind, key, k);
	pthread_mutex_lock(&t->lock);
	s = slot_for(t, k, 0);
	if (s != NULL && s->failures >= max && now - s->last < THROTTLE_WINDOW)
		wait = THROTTLE_WINDOW - (now - s->last);
	pthread_mutex_unlock(&t->lock);
	return wait;
}

void throttle_fail(struct throttle *t, char kind, const char *key, int64_t now)
{
	char k[SHA256_HEX_LEN];
	struct throttle_slot *s;

	throttle_key(kind, key, k);
	pthread_mutex_lock(&t->lock);
	s = slot_for(t, k, 1);
	if (now - s->last >= THROTTLE_WINDOW)
		s->failures = 0;
	s->failures++;
	s->last = now;
	pthread_mutex_unlock(&t->lock);
}

void throttle_clear(struct throttle *t, char kind, const char *key)
{
	char k[SHA256_HEX_LEN];
	struct throttle_slot *s;

	throttle_key(kind, key, k);
	pthread_mutex_lock(&t->lock);
	s = slot_for(t, k, 0);
	if (s != NULL)
		s->failures = 0;
	pthread_mutex_unlock(&t->lock);
}

enum xj_err principal_load(struct store *st, int64_t user_id,
                           struct principal *p, int *found,
                           struct xj_error *err)
{
	struct user u;
	enum xj_err e;
	int i;

	memset(p, 0, sizeof(*p));
	e = store_user_by_id(st, user_id, &u, found, err);
	if (e != XJ_OK || !*found)
		return e;
	if (u.disabled) {
		*found = 0;
		return XJ_OK;
	}
	p->user_id = u.id;
	p->member_id = u.member_id;
	snprintf(p->login, sizeof(p->login), "%s", u.login);
	snprintf(p->display_name, sizeof(p->display_name), "%s",
	         u.display_name);
	e = store_grants_of(st, u.id, p->grants, PRINCIPAL_GRANTS_MAX,
	                    &p->ngrants, err);
	for (i = 0; i < p->ngrants; i++)
		p->roles |= ROLE_BIT(p->grants[i].role);
	return e;
}

static enum xj_err unauth(struct xj_error *err)
{
	return xj_error_field(err, XJ_EUNAUTH, "password", "用户名或密码错误");
}

enum xj_err auth_login(struct store *st, struct throttle *t, const char *login,
                       const char *password, const char *addr, int64_t now,
                       char *token, struct principal *p, struct xj_error *err)
{
	char hash[SHA256_HEX_LEN], csrf[SHA256_HEX_LEN];
	int64_t wait, wait2, sid;
	struct user u;
	int found = 0;
	enum xj_err e;

	wait = throttle_wait(t, 'l', login, now);
	wait2 = throttle_wait(t, 'a', addr, now);
	if (wait2 > wait)
		wait = wait2;
	if (wait > 0)
		return xj_error_set(err, XJ_ELIMIT,
		                    "登录失败次数过多，请 %lld 分钟后再试",
		                    (long long)(wait + 59) / 60);
	if (login_validate(login, NULL) == XJ_OK) {
		e = store_user_by_login(st, login, &u, &found, err);
		if (e != XJ_OK)
			return e;
	}
	if (!found || u.password_hash[0] == '\0') {
		password_burn(password);
		goto fail;
	}
	if (password_verify(u.password_hash, password) != XJ_OK)
		goto fail;
	if (u.disabled)
		return xj_error_set(err, XJ_EUNAUTH,
		                    "账户已停用，请联系先教办");
	throttle_clear(t, 'l', login);
	random_hex(token, TOKEN_HEX / 2);
	random_hex(csrf, TOKEN_HEX / 2);
	sha256_hex(token, strlen(token), hash);
	e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	store_set_actor(st, u.id);
	e = store_session_create(st, u.id, hash, csrf, now, now + SESSION_TTL,
	                         &sid, err);
	if (e == XJ_OK)
		e = store_commit(st, err);
	store_set_actor(st, 0);
	if (e != XJ_OK) {
		store_rollback(st);
		return e;
	}
	e = principal_load(st, u.id, p, &found, err);
	if (e == XJ_OK && !found)
		return unauth(err);
	p->session_id = sid;
	snprintf(p->csrf, sizeof(p->csrf), "%s", csrf);
	return e;
fail:
	throttle_fail(t, 'l', login, now);
	throttle_fail(t, 'a', addr, now);
	return unauth(err);
}

static int is_hex_token(const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

enum xj_err auth_session(struct store *st, const char *token, int64_t now,
                         struct principal *p, int *found, struct xj_error *err)
{
	char hash[SHA256_HEX_LEN];
	struct session s;
	enum xj_err e;

	*found = 0;
	if (!is_hex_token(token, TOKEN_HEX))
		return XJ_OK;
	sha256_hex(token, TOKEN_HEX, hash);
	e = store_session_lookup(st, hash, now, SESSION_IDLE, &s, found, err);
	if (e != XJ_OK || !*found)
		return e;
	if (now - s.last_seen >= SESSION_TOUCH_EVERY) {
		e = store_session_touch(st, s.id, now, err);
		if (e != XJ_OK)
			return e;
	}
	e = principal_load(st, s.user_id, p, found, err);
	if (e != XJ_OK || !*found)
		return e;
	p->session_id = s.id;
	snprintf(p->csrf, sizeof(p->csrf), "%s", s.csrf_token);
	return XJ_OK;
}

enum xj_err auth_bearer(struct store *st, const char *token,
                        struct principal *p, int *found, struct xj_error *err)
{
	char hash[SHA256_HEX_LEN];
	int64_t uid;
	enum xj_err e;

	*found = 0;
	if (strncmp(token, "xjt_", 4) != 0 || !is_hex_token(token + 4, 64))
		return XJ_OK;
	sha256_hex(token, strlen(token), hash);
	e = store_token_lookup(st, hash, &uid, found, err);
	if (e != XJ_OK || !*found)
		return e;
	return principal_load(st, uid, p, found, err);
}

enum xj_err auth_logout(struct store *st, const struct principal *p,
                        struct xj_error *err)
{
	enum xj_err e;

	if (p->session_id == 0)
		return xj_error_set(err, XJ_EINVAL,
		                    "API 令牌无需注销；如需停用请撤销令牌");
	e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	store_set_actor(st, p->user_id);
	e = store_session_delete(st, p->session_id, err);
	if (e == XJ_OK)
		e = store_commit(st, err);
	store_set_actor(st, 0);
	if (e != XJ_OK)
		store_rollback(st);
	return e;
}
