/*
 * Accounts: users, role grants, sessions, API tokens and the scope checks
 * the HTTP router runs before any handler (store.h).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/hash.h"
#include "xianjiao/text.h"

enum xj_err login_validate(const char *login, struct xj_error *err)
{
	const unsigned char *p = (const unsigned char *)login;
	size_t len, i = 0, n;
	uint32_t cp;
	enum xj_err e;

	if (login == NULL || login[0] == '\0')
		return xj_error_field(err, XJ_EINVAL, "login",
		                      "用户名不能为空");
	len = strlen(login);
	e = utf8_validate(login, len, "login", err);
	if (e != XJ_OK)
		return e;
	if (utf8_length(login, len) > LOGIN_MAX)
		return xj_error_field(err, XJ_EINVAL, "login",
		                      "用户名不能超过 %d 个字符", LOGIN_MAX);
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (!((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		      (cp >= '0' && cp <= '9') || cp == '.' || cp == '_' ||
		      cp == '-' || text_is_cjk(cp)))
			return xj_error_field(
			    err, XJ_EINVAL, "login",
			    "用户名只能包含字母、数字、汉字和 . _ -");
		i += n;
	}
	return XJ_OK;
}

static int take_user(void *ctx, const struct st_row *r)
{
	struct user *u = ctx;

	u->id = st_row_int(r, 0);
	snprintf(u->login, sizeof(u->login), "%s", st_row_text(r, 1));
	snprintf(u->display_name, sizeof(u->display_name), "%s",
	         st_row_text(r, 2));
	snprintf(u->password_hash, sizeof(u->password_hash), "%s",
	         st_row_text(r, 3));
	u->member_id = st_row_int(r, 4);
	u->disabled = (int)st_row_int(r, 5);
	return 1;
}

enum xj_err store_user_insert(struct store *st, const char *login,
                              const char *display_name,
                              const char *password_hash, int64_t member_id,
                              int64_t *id, struct xj_error *err)
{
	struct sval p[4];
	enum xj_err e;
	int64_t newid;

	e = login_validate(login, err);
	if (e == XJ_OK)
		e = name_validate(display_name, "display_name", err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_TEXT(login);
	p[1] = SV_TEXT(display_name);
	p[2] = SV_TEXT(password_hash);
	p[3] = SV_ID(member_id);
	e = st_exec(st, STMT_USER_INSERT, p, 4, err);
	if (e == XJ_EEXIST)
		return xj_error_field(err, XJ_EEXIST, "login",
		                      "用户名已存在: %s", login);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	e = audit_append(st, "user.create", "user", newid, err,
	                 "login=%s\nname=%s\nmember=%lld", login, display_name,
	                 (long long)member_id);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_user_by_login(struct store *st, const char *login,
                                struct user *u, int *found,
                                struct xj_error *err)
{
	struct sval p[1] = { SV_TEXT(login) };
	enum xj_err e;

	memset(u, 0, sizeof(*u));
	e = st_each(st, STMT_USER_BY_LOGIN, p, 1, take_user, u, err);
	*found = e == XJ_OK && u->id != 0;
	return e;
}

enum xj_err store_user_by_id(struct store *st, int64_t id, struct user *u,
                             int *found, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	enum xj_err e;

	memset(u, 0, sizeof(*u));
	e = st_each(st, STMT_USER_BY_ID, p, 1, take_user, u, err);
	*found = e == XJ_OK && u->id != 0;
	return e;
}

static enum xj_err update_user(struct store *st, enum stmt_id stmt, int64_t id,
                               struct sval v, const char *action,
                               const char *state, struct xj_error *err)
{
	struct sval p[2] = { SV_INT(id), v };
	enum xj_err e;

	e = st_exec(st, stmt, p, 2, err);
	if (e != XJ_OK)
		return e;
	if (st_changes(st) == 0)
		return xj_error_set(err, XJ_ENOTFOUND, "用户不存在 (id %lld)",
		                    (long long)id);
	return audit_append(st, action, "user", id, err, "%s", state);
}

enum xj_err store_user_set_disabled(struct store *st, int64_t id, int disabled,
                                    struct xj_error *err)
{
	return update_user(st, STMT_USER_SET_DISABLED, id,
	                   SV_INT(disabled ? 1 : 0),
	                   disabled ? "user.disable" : "user.enable",
	                   disabled ? "disabled=1" : "disabled=0", err);
}

enum xj_err store_user_set_password(struct store *st, int64_t id,
                                    const char *password_hash,
                                    struct xj_error *err)
{
	/* The audit entry records that the password changed, never the
	 * password or its hash. */
	return update_user(st, STMT_USER_SET_PASSWORD, id,
	                   SV_TEXT(password_hash), "user.password",
	                   "password changed", err);
}

struct users_ctx {
	int (*fn)(void *ctx, const struct user *u);
	void *ctx;
};

static int each_user(void *ctx, const struct st_row *r)
{
	struct users_ctx *c = ctx;
	struct user u;

	take_user(&u, r);
	return c->fn(c->ctx, &u);
}

enum xj_err store_users_each(struct store *st,
                             int (*fn)(void *ctx, const struct user *u),
                             void *ctx, struct xj_error *err)
{
	struct users_ctx c = { fn, ctx };

	return st_each(st, STMT_USERS_ALL, NULL, 0, each_user, &c, err);
}

/* The scope a role needs: DESIGN.md "Who uses it". */
static enum xj_err grant_check(const struct grant *g, struct xj_error *err)
{
	int want_org, want_system;

	if ((int)g->role < 0 || g->role >= ROLE__MAX)
		return xj_error_field(err, XJ_EINVAL, "role", "角色不正确");
	want_system = g->role == ROLE_SUPERVISOR;
	want_org = g->role == ROLE_UNIT || g->role == ROLE_SECRETARY;
	if (want_system != (g->system_id != 0))
		return xj_error_field(err, XJ_EINVAL, "system",
		                      want_system ? "督导组角色须指定系统"
		                                  : "只有督导组角色可指定系统");
	if (want_org != (g->org_id != 0))
		return xj_error_field(err, XJ_EINVAL, "org",
		                      want_org ? "%s角色须指定组织"
		                               : "%s角色不能指定组织",
		                      role_name(g->role));
	return XJ_OK;
}

/* The bound parameters of a grant: user, role, org, 系统. */
static void grant_params(const struct grant *g, struct sval p[4])
{
	p[0] = SV_INT(g->user_id);
	p[1] = SV_INT(g->role);
	p[2] = SV_ID(g->org_id);
	p[3] = SV_ID(g->system_id);
}

enum xj_err store_grant_add(struct store *st, const struct grant *g,
                            int64_t *id, struct xj_error *err)
{
	struct sval p[4];
	enum xj_err e;
	int64_t newid;

	e = grant_check(g, err);
	if (e != XJ_OK)
		return e;
	grant_params(g, p);
	e = st_exec(st, STMT_GRANT_INSERT, p, 4, err);
	if (e == XJ_EEXIST)
		return xj_error_field(err, XJ_EEXIST, "role",
		                      "该用户已有此角色");
	if (e == XJ_EINVAL)
		return xj_error_set(err, XJ_EINVAL, "用户、组织或系统不存在");
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	e = audit_append(st, "grant.add", "user", g->user_id, err,
	                 "grant=%lld\nrole=%s\norg=%lld\nsystem=%lld",
	                 (long long)newid, role_code(g->role),
	                 (long long)g->org_id, (long long)g->system_id);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_grant_remove(struct store *st, const struct grant *g,
                               struct xj_error *err)
{
	struct sval p[4];
	int64_t gid;
	enum xj_err e;
	int found;

	e = grant_check(g, err);
	if (e != XJ_OK)
		return e;
	grant_params(g, p);
	e = st_int(st, STMT_GRANT_FIND, p, 4, &gid, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_ENOTFOUND, "role",
		                      "该用户没有此角色");
	p[0] = SV_INT(gid);
	e = st_exec(st, STMT_GRANT_DELETE, p, 1, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "grant.remove", "user", g->user_id, err,
	                    "grant=%lld\nrole=%s\norg=%lld\nsystem=%lld",
	                    (long long)gid, role_code(g->role),
	                    (long long)g->org_id, (long long)g->system_id);
}

struct grants_ctx {
	struct grant *out;
	int max, n;
};

static int take_grant(void *ctx, const struct st_row *r)
{
	struct grants_ctx *c = ctx;
	struct grant *g;

	if (c->n >= c->max)
		return 1;
	g = &c->out[c->n++];
	g->id = st_row_int(r, 0);
	g->user_id = st_row_int(r, 1);
	g->role = (enum role)st_row_int(r, 2);
	g->org_id = st_row_int(r, 3);
	g->system_id = st_row_int(r, 4);
	return 0;
}

enum xj_err store_grants_of(struct store *st, int64_t user_id,
                            struct grant *out, int max, int *n,
                            struct xj_error *err)
{
	struct grants_ctx c = { out, max, 0 };
	struct sval p[1] = { SV_INT(user_id) };
	enum xj_err e;

	e = st_each(st, STMT_GRANTS_OF, p, 1, take_grant, &c, err);
	*n = c.n;
	return e;
}

enum xj_err store_session_create(struct store *st, int64_t user_id,
                                 const char *token_hash, const char *csrf,
                                 int64_t now, int64_t expires_at, int64_t *id,
                                 struct xj_error *err)
{
	struct sval p[5];
	enum xj_err e;
	int64_t newid;

	p[0] = SV_INT(user_id);
	p[1] = SV_TEXT(token_hash);
	p[2] = SV_TEXT(csrf);
	p[3] = SV_INT(now);
	p[4] = SV_INT(expires_at);
	e = st_exec(st, STMT_SESSION_INSERT, p, 5, err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	e = audit_append(st, "session.login", "user", user_id, err,
	                 "session=%lld\nexpires=%lld", (long long)newid,
	                 (long long)expires_at);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

static int take_session(void *ctx, const struct st_row *r)
{
	struct session *s = ctx;

	s->id = st_row_int(r, 0);
	s->user_id = st_row_int(r, 1);
	snprintf(s->csrf_token, sizeof(s->csrf_token), "%s", st_row_text(r, 2));
	s->created_at = st_row_int(r, 3);
	s->last_seen = st_row_int(r, 4);
	s->expires_at = st_row_int(r, 5);
	return 1;
}

enum xj_err store_session_lookup(struct store *st, const char *token_hash,
                                 int64_t now, int64_t idle_seconds,
                                 struct session *s, int *found,
                                 struct xj_error *err)
{
	struct sval p[3] = { SV_TEXT(token_hash), SV_INT(now),
		             SV_INT(idle_seconds) };
	enum xj_err e;

	memset(s, 0, sizeof(*s));
	e = st_each(st, STMT_SESSION_LOOKUP, p, 3, take_session, s, err);
	*found = e == XJ_OK && s->id != 0;
	return e;
}

enum xj_err store_session_touch(struct store *st, int64_t id, int64_t now,
                                struct xj_error *err)
{
	struct sval p[2] = { SV_INT(id), SV_INT(now) };

	/* Bookkeeping of activity for the idle timeout: not a change of
	 * anything a user entered, so not audited. */
	return st_exec(st, STMT_SESSION_TOUCH, p, 2, err);
}

enum xj_err store_session_delete(struct store *st, int64_t id,
                                 struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	enum xj_err e;

	e = st_exec(st, STMT_SESSION_DELETE, p, 1, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "session.logout", "session", id, err,
	                    "deleted");
}

enum xj_err store_token_create(struct store *st, int64_t user_id,
                               const char *name, const char *token_hash,
                               int64_t *id, struct xj_error *err)
{
	struct sval p[3];
	enum xj_err e;
	int64_t newid;

	e = name_validate(name, "name", err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_INT(user_id);
	p[1] = SV_TEXT(name);
	p[2] = SV_TEXT(token_hash);
	e = st_exec(st, STMT_TOKEN_INSERT, p, 3, err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	e = audit_append(st, "token.create", "token", newid, err,
	                 "user=%lld\nname=%s", (long long)user_id, name);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_token_lookup(struct store *st, const char *token_hash,
                               int64_t *user_id, int *found,
                               struct xj_error *err)
{
	struct sval p[1] = { SV_TEXT(token_hash) };

	return st_int(st, STMT_TOKEN_LOOKUP, p, 1, user_id, found, err);
}

enum xj_err store_token_revoke(struct store *st, int64_t id,
                               struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	enum xj_err e;

	e = st_exec(st, STMT_TOKEN_REVOKE, p, 1, err);
	if (e != XJ_OK)
		return e;
	if (st_changes(st) == 0)
		return xj_error_field(err, XJ_ENOTFOUND, "id",
		                      "令牌不存在或已撤销 (id %lld)",
		                      (long long)id);
	return audit_append(st, "token.revoke", "token", id, err, "revoked");
}

static enum xj_err scope(struct store *st, enum stmt_id stmt, int64_t user_id,
                         unsigned role_mask, int64_t id, int *in,
                         struct xj_error *err)
{
	struct sval p[3] = { SV_INT(user_id), SV_INT(role_mask), SV_INT(id) };
	int64_t v = 0;
	enum xj_err e;

	e = st_int(st, stmt, p, 3, &v, NULL, err);
	*in = e == XJ_OK && v != 0;
	return e;
}

enum xj_err store_scope_org(struct store *st, int64_t user_id,
                            unsigned role_mask, int64_t org_id, int *in,
                            struct xj_error *err)
{
	return scope(st, STMT_SCOPE_ORG, user_id, role_mask, org_id, in, err);
}

enum xj_err store_scope_member(struct store *st, int64_t user_id,
                               unsigned role_mask, int64_t member_id, int *in,
                               struct xj_error *err)
{
	return scope(st, STMT_SCOPE_MEMBER, user_id, role_mask, member_id, in,
	             err);
}

struct tokens_ctx {
	int (*fn)(void *ctx, const struct api_token *t);
	void *ctx;
};

static int each_token(void *ctx, const struct st_row *r)
{
	struct tokens_ctx *c = ctx;
	struct api_token t;

	t.id = st_row_int(r, 0);
	t.user_id = st_row_int(r, 1);
	t.login = st_row_text(r, 2);
	t.name = st_row_text(r, 3);
	t.created_at = st_row_text(r, 4);
	t.revoked_at = st_row_text(r, 5);
	return c->fn(c->ctx, &t);
}

enum xj_err store_tokens_each(struct store *st, int64_t user_id,
                              int (*fn)(void *ctx, const struct api_token *t),
                              void *ctx, struct xj_error *err)
{
	struct tokens_ctx c = { fn, ctx };
	struct sval p[1] = { SV_ID(user_id) };

	return st_each(st, STMT_TOKENS_OF, p, 1, each_token, &c, err);
}

static enum xj_err id_by_key(struct store *st, enum stmt_id stmt,
                             const char *key, int64_t *id, struct xj_error *err)
{
	struct sval p[1] = { SV_TEXT(key) };
	int found;
	enum xj_err e;

	*id = 0;
	e = st_int(st, stmt, p, 1, id, &found, err);
	if (e == XJ_OK && !found)
		*id = 0;
	return e;
}

enum xj_err store_org_by_code(struct store *st, const char *code, int64_t *id,
                              struct xj_error *err)
{
	return id_by_key(st, STMT_ORG_BY_CODE, code, id, err);
}

enum xj_err store_system_by_name(struct store *st, const char *name,
                                 int64_t *id, struct xj_error *err)
{
	return id_by_key(st, STMT_SYSTEM_BY_NAME, name, id, err);
}
