/*
 * test_demo.c - the demonstration campaign generator (src/demo/demo.c)
 * and the `xianjiao demo` command (src/cli/cmd-demo.c).
 *
 * One generation with the default seed is shared by the read-only checks
 * (group setup); tests that write make their own databases. The checks
 * read the database back through the store API and with direct SQL, so
 * they see what was stored, not what the generator meant to store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/harness.h"
#include "xianjiao/core.h"
#include "xianjiao/demo.h"
#include "xianjiao/store.h"

struct fixture {
	char *dir;
	char *path;
	struct store *st;
	sqlite3 *db; /* a second connection for direct queries */
	struct demo_summary sum;
};

/* --- helpers ------------------------------------------------------ */

static struct store *open_new(const char *path)
{
	struct store *st = NULL;
	struct xj_error err;

	xj_error_clear(&err);
	if (store_open(path, STORE_CREATE | STORE_EXCL, &st, &err) != XJ_OK)
		fail_msg("store_open %s: %s", path, err.msg);
	return st;
}

static sqlite3 *sql_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		fail_msg("sqlite3_open_v2 %s: %s", path,
		         db ? sqlite3_errmsg(db) : "?");
	return db;
}

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
	}
}

/* The single integer a query returns. */
static int64_t q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("no row: %s", sql);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* FNV-1a over every column of every row, with separators, so that any
 * difference in any value or in the row order changes the hash. */
static uint64_t q_hash(sqlite3 *db, const char *sql, int64_t *rows)
{
	uint64_t h = 0xcbf29ce484222325u;
	sqlite3_stmt *s = NULL;
	int i, n, rc;

	*rows = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	n = sqlite3_column_count(s);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			const unsigned char *p =
			    t ? t : (const unsigned char *)"\x01NULL";

			for (; *p; p++)
				h = (h ^ *p) * 0x100000001b3u;
			h = (h ^ 0x1f) * 0x100000001b3u;
		}
		h = (h ^ 0x1e) * 0x100000001b3u;
		(*rows)++;
	}
	if (rc != SQLITE_DONE)
		fail_msg("step %s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return h;
}

static int64_t count(struct store *st, enum store_count what)
{
	struct xj_error err;
	int64_t n = -1;

	xj_error_clear(&err);
	if (store_count(st, what, &n, &err) != XJ_OK)
		fail_msg("store_count: %s", err.msg);
	return n;
}

/* Everything the generator writes, without the created_at timestamps. */
static const char *const dumps[] = {
	"SELECT id, name, start_date, end_date FROM campaigns ORDER BY id",
	"SELECT * FROM batches ORDER BY id",
	"SELECT * FROM systems ORDER BY id",
	"SELECT id, parent_id, type, name, code, system_id, batch_id,"
	" is_unit, weak, depth FROM orgs ORDER BY id",
	"SELECT * FROM org_tree ORDER BY ancestor, descendant",
	"SELECT id, org_id, name, gender, birth_date, id_number, phone,"
	" joined_date, status, categories, mobile_dest, absence_start,"
	" absence_months FROM members ORDER BY id",
	"SELECT * FROM body_seats ORDER BY body_id, member_id",
};
#define NDUMPS (sizeof(dumps) / sizeof(dumps[0]))
#define DUMP_MEMBERS 5

static void hash_all(sqlite3 *db, uint64_t *h)
{
	size_t i;
	int64_t rows;

	for (i = 0; i < NDUMPS; i++) {
		h[i] = q_hash(db, dumps[i], &rows);
		assert_true(rows > 0);
	}
}

/* --- the shared generation ---------------------------------------- */

static int group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct xj_error err;

	xj_error_clear(&err);
	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "demo.db");
	f->st = open_new(f->path);
	if (demo_generate(f->st, DEMO_SEED_DEFAULT, &f->sum, &err) != XJ_OK) {
		fprintf(stderr, "demo_generate: %s\n", err.msg);
		return -1;
	}
	f->db = sql_open(f->path);
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *f = *state;

	sqlite3_close(f->db);
	store_close(f->st);
	tmpdir_remove(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

/* --- the shape of the campaign ------------------------------------ */

static void test_counts(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;

	assert_int_equal(count(f->st, COUNT_UNITS), 107);
	assert_int_equal(count(f->st, COUNT_SYSTEMS), 10);
	assert_int_equal(count(f->st, COUNT_MEMBERS), 3679);
	assert_int_equal(count(f->st, COUNT_ORGS), f->sum.orgs);
	assert_int_equal(count(f->st, COUNT_RECORDS), 0);

	assert_int_equal(f->sum.seed, DEMO_SEED_DEFAULT);
	assert_int_equal(f->sum.units, 107);
	assert_int_equal(f->sum.systems, 10);
	assert_int_equal(f->sum.members, 3679);
	assert_int_equal(f->sum.batches, 3);
	assert_int_equal(f->sum.leadership_bodies, 107);
	/* The root, then per unit itself and its 领导班子, 党总支, 党支部. */
	assert_int_equal(f->sum.orgs, 1 + 2 * 107 + f->sum.general_branches +
	                                  f->sum.branches);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE type = 4"),
	                 f->sum.branches);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE type = 3"),
	                 f->sum.general_branches);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE weak = 1"),
	                 f->sum.weak_orgs);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE name"
	                           " LIKE '%离退休党支部'"),
	                 f->sum.retiree_branches);
	assert_true(f->sum.retiree_branches > 0);
	assert_true(f->sum.new_org_branches > 0);

	/* The campaign and its batches (DOMAIN.md §3.2, §16). */
	assert_int_equal(q_int(db, "SELECT count(*) FROM campaigns WHERE"
	                           " name = '示范市保持共产党员先进性教育活动'"
	                           " AND start_date = '2005-01-06'"
	                           " AND end_date = '2005-12-31'"),
	                 1);
	assert_int_equal(q_int(db, "SELECT count(*) FROM batches WHERE"
	                           " (ordinal = 1 AND name = '第一批' AND"
	                           " start_date = '2005-01-06' AND"
	                           " end_date = '2005-06-30') OR"
	                           " (ordinal = 2 AND name = '第二批' AND"
	                           " start_date = '2005-07-01' AND"
	                           " end_date = '2005-12-31') OR"
	                           " (ordinal = 3 AND name = '第三批' AND"
	                           " start_date IS NULL AND"
	                           " end_date IS NULL)"),
	                 3);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT name) FROM systems"
	                           " WHERE name LIKE '%系统'"),
	                 10);
	/* Every 系统 has units; every unit is in 第一批. */
	assert_int_equal(q_int(db, "SELECT count(DISTINCT system_id) FROM orgs"
	                           " WHERE is_unit = 1"),
	                 10);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs u JOIN batches b"
	                           " ON b.id = u.batch_id WHERE u.is_unit = 1"
	                           " AND b.ordinal = 1"),
	                 107);
}

static void test_tree(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;

	/* The root: the 市委, a 党委 that is not a unit. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE"
	                           " parent_id IS NULL"),
	                 1);
	assert_int_equal(q_int(db, "SELECT id FROM orgs WHERE code = 'CITY'"
	                           " AND type = 0 AND is_unit = 0 AND"
	                           " parent_id IS NULL AND depth = 0"),
	                 f->sum.root_org_id);
	/* Units: 党委, 党工委 or 党组, right under the root, coded U001.. */
	assert_int_equal(q_int(db,
	                       "SELECT count(*) FROM orgs WHERE"
	                       " is_unit = 1 AND type IN (0, 1, 2) AND"
	                       " depth = 1 AND code GLOB 'U[0-9][0-9][0-9]'"
	                       " AND (name LIKE '%党委' OR name LIKE '%党组'"
	                       " OR name LIKE '%党工委')"),
	                 107);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs WHERE"
	                           " code = 'U001' OR code = 'U107'"),
	                 2);
	/* Every node under a unit is coded after it and shares its 系统. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs o JOIN org_tree t"
	                           " ON t.descendant = o.id JOIN orgs u ON"
	                           " u.id = t.ancestor AND u.is_unit = 1 WHERE"
	                           " o.id != u.id AND (substr(o.code, 1, 5) !="
	                           " u.code || '-' OR o.system_id IS NOT"
	                           " u.system_id)"),
	                 0);
	/* Each unit: one 领导班子, 2..6 党支部. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs u WHERE is_unit"
	                           " = 1 AND (SELECT count(*) FROM orgs b"
	                           " WHERE b.parent_id = u.id AND b.type = 5)"
	                           " != 1"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs u WHERE is_unit"
	                           " = 1 AND (SELECT count(*) FROM org_tree t"
	                           " JOIN orgs b ON b.id = t.descendant WHERE"
	                           " t.ancestor = u.id AND b.type = 4)"
	                           " NOT BETWEEN 2 AND 6"),
	                 0);
	/* A 党总支 holds only 党支部; a 领导班子 holds nothing. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs c JOIN orgs p ON"
	                           " p.id = c.parent_id WHERE (p.type = 3 AND"
	                           " c.type != 4) OR p.type IN (4, 5)"),
	                 0);
	/* The closure table agrees with parent_id and depth. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM org_tree"),
	                 q_int(db, "SELECT sum(depth + 1) FROM orgs"));
}

static void test_members_in_branches(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;
	struct xj_error err;
	sqlite3_stmt *s = NULL;
	int64_t n, total = 0, units = 0;

	xj_error_clear(&err);
	/* Members belong to 党支部 only, and every 党支部 has 3 or more. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members m JOIN orgs o"
	                           " ON o.id = m.org_id WHERE o.type = 4"),
	                 3679);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs b WHERE type = 4"
	                           " AND (SELECT count(*) FROM members m WHERE"
	                           " m.org_id = b.id) < 3"),
	                 0);
	assert_int_equal(
	    store_subtree_members(f->st, f->sum.root_org_id, &n, &err), XJ_OK);
	assert_int_equal(n, 3679);

	/* The units' subtrees partition the members. */
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id FROM orgs WHERE"
	                                    " is_unit = 1 ORDER BY id",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_int_equal(
		    store_subtree_members(f->st, sqlite3_column_int64(s, 0), &n,
		                          &err),
		    XJ_OK);
		assert_true(n >= 6); /* two branches of at least three */
		total += n;
		units++;
	}
	sqlite3_finalize(s);
	assert_int_equal(units, 107);
	assert_int_equal(total, 3679);
}

static void test_categories(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;
	struct xj_error err;
	int64_t n;
	int c;

	xj_error_clear(&err);
	for (c = 0; c < MCAT__MAX; c++) {
		assert_int_equal(store_category_members(f->st, c, &n, &err),
		                 XJ_OK);
		if (n <= 0)
			fail_msg("no member in category %s",
			         member_category_name((enum member_category)c));
		assert_int_equal(n, f->sum.category[c]);
	}
	assert_int_equal(store_category_members(f->st, MCAT__MAX, &n, &err),
	                 XJ_EINVAL);
	/* Mostly 在职 (DOMAIN.md §16: a first batch of organs). */
	assert_true(f->sum.category[MCAT_ACTIVE] * 10 > 3679 * 7);
	assert_true(f->sum.category[MCAT_RETIRED] * 20 > 3679);

	/* 离退休 members are exactly the members of 离退休党支部. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members m JOIN orgs o"
	                           " ON o.id = m.org_id WHERE"
	                           " ((m.categories & 2) != 0) !="
	                           " (o.name LIKE '%离退休党支部')"),
	                 0);
	/* 年老体弱 retirees are clearly older than the other retirees: by
	 * more than three years on average. */
	assert_true(q_int(db, "SELECT count(*) FROM members WHERE"
	                      " categories & 6 = 6") > 0);
	assert_true(q_int(db, "SELECT avg(julianday(birth_date)) + 3 * 365 <"
	                      " (SELECT avg(julianday(birth_date)) FROM"
	                      " members WHERE categories & 6 = 2) FROM members"
	                      " WHERE categories & 6 = 6"));
	/* 两新组织 members are in the 两新 branches and only there. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members m JOIN orgs o"
	                           " ON o.id = m.org_id WHERE"
	                           " ((m.categories & 64) != 0) !="
	                           " (o.name LIKE '%企业联合党支部')"),
	                 0);
	/* 流动党员: where to, since when, for how long; both sides of the
	 * half-year line (DOMAIN.md §3.3); others carry none of it. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " (categories & 8) != 0 AND"
	                           " (mobile_dest IS NULL OR absence_start IS"
	                           " NULL OR absence_months IS NULL OR"
	                           " absence_start >= '2005-01-06')"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " (categories & 8) = 0 AND"
	                           " (mobile_dest IS NOT NULL OR absence_start"
	                           " IS NOT NULL OR absence_months IS NOT"
	                           " NULL)"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " absence_months < 6"),
	                 f->sum.mobile_short);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " absence_months > 6"),
	                 f->sum.mobile_long);
	assert_true(f->sum.mobile_short > 0);
	assert_true(f->sum.mobile_long > 0);
	assert_int_equal(f->sum.mobile_short + f->sum.mobile_long,
	                 f->sum.category[MCAT_MOBILE]);
	/* 失去联系: no number to call. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " (categories & 16) != 0 AND phone IS NOT"
	                           " NULL"),
	                 0);
	/* 预备党员 joined in 2004; full members earlier. */
	assert_true(f->sum.probationary > 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " status = 1 AND joined_date BETWEEN"
	                           " '2004-01-01' AND '2004-12-31'"),
	                 f->sum.probationary);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " status = 0 AND joined_date >="
	                           " '2004-01-01'"),
	                 0);
	/* Every member is in at least one category. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " categories = 0 OR categories >= 256"),
	                 0);
}

static void test_people(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;
	sqlite3_stmt *s = NULL;
	struct xj_error err;
	int64_t rows = 0;

	xj_error_clear(&err);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT id_number) FROM"
	                           " members"),
	                 3679);
	/* Joined at 18 or older. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM members WHERE"
	                           " joined_date <= date(birth_date,"
	                           " '+18 years') OR joined_date >="
	                           " '2005-01-06'"),
	                 0);
	assert_int_equal(sqlite3_prepare_v2(
	                     db,
	                     "SELECT id_number, birth_date, gender, name, phone"
	                     " FROM members",
	                     -1, &s, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		const char *birth = (const char *)sqlite3_column_text(s, 1);
		int gender = sqlite3_column_int(s, 2);
		const char *name = (const char *)sqlite3_column_text(s, 3);
		const char *phone = (const char *)sqlite3_column_text(s, 4);
		char ymd[9];

		assert_non_null(id);
		assert_non_null(birth);
		if (idnum_validate(id, "id_number", &err) != XJ_OK)
			fail_msg("%s: %s", id, err.msg);
		/* A fictional region, the birth date, the gender digit. */
		assert_memory_equal(id, "4399", 4);
		memcpy(ymd, birth, 4);
		memcpy(ymd + 4, birth + 5, 2);
		memcpy(ymd + 6, birth + 8, 2);
		ymd[8] = '\0';
		assert_memory_equal(id + 6, ymd, 8);
		assert_int_equal((id[16] - '0') % 2,
		                 gender == GENDER_MALE ? 1 : 0);
		assert_int_equal(name_validate(name, "name", &err), XJ_OK);
		assert_true(strlen(name) >= 6 && strlen(name) <= 12);
		if (phone != NULL) {
			assert_int_equal(strlen(phone), 11);
			assert_memory_equal(phone, "13", 2);
			assert_int_equal(strspn(phone, "0123456789"), 11);
		}
		rows++;
	}
	sqlite3_finalize(s);
	assert_int_equal(rows, 3679);
}

static void test_leadership(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db = f->db;

	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats"),
	                 f->sum.seats);
	/* 3..7 seats per 领导班子, one 书记 each. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs b WHERE type = 5"
	                           " AND (SELECT count(*) FROM body_seats s"
	                           " WHERE s.body_id = b.id) NOT BETWEEN 3"
	                           " AND 7"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM orgs b WHERE type = 5"
	                           " AND (SELECT count(*) FROM body_seats s"
	                           " WHERE s.body_id = b.id AND s.title ="
	                           " '书记') != 1"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats WHERE"
	                           " title NOT IN ('书记', '副书记', '委员',"
	                           " '成员')"),
	                 0);
	/* 双重组织生活: each seated member is in a branch of the body's own
	 * unit, found through the closure table. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats s JOIN"
	                           " orgs b ON b.id = s.body_id JOIN members m"
	                           " ON m.id = s.member_id WHERE NOT EXISTS"
	                           " (SELECT 1 FROM org_tree t WHERE"
	                           " t.ancestor = b.parent_id AND"
	                           " t.descendant = m.org_id)"),
	                 0);
	/* They are 在职|党员领导干部, and every 党员领导干部 is seated once. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats s JOIN"
	                           " members m ON m.id = s.member_id WHERE"
	                           " m.categories != 129"),
	                 0);
	assert_int_equal(q_int(db, "SELECT count(DISTINCT member_id) FROM"
	                           " body_seats"),
	                 f->sum.category[MCAT_LEADER]);
	assert_int_equal(f->sum.seats, f->sum.category[MCAT_LEADER]);
	/* Not in a 离退休 or 两新 branch. */
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats s JOIN"
	                           " members m ON m.id = s.member_id JOIN orgs"
	                           " o ON o.id = m.org_id WHERE o.name LIKE"
	                           " '%离退休党支部' OR o.name LIKE"
	                           " '%企业联合党支部'"),
	                 0);
}

/* --- determinism -------------------------------------------------- */

static void test_same_seed_same_data(void **state)
{
	struct fixture *f = *state;
	char *dir = tmpdir_make();
	char *pa = path_join(dir, "a.db"), *pb = path_join(dir, "b.db");
	uint64_t h0[NDUMPS], ha[NDUMPS], hb[NDUMPS];
	struct demo_summary sa, sb;
	struct store *a = open_new(pa), *b = open_new(pb);
	struct xj_error err;
	sqlite3 *da, *dbb;
	size_t i;

	xj_error_clear(&err);
	assert_int_equal(demo_generate(a, 42, &sa, &err), XJ_OK);
	assert_int_equal(demo_generate(b, 42, &sb, &err), XJ_OK);
	assert_memory_equal(&sa, &sb, sizeof(sa));
	da = sql_open(pa);
	dbb = sql_open(pb);
	hash_all(da, ha);
	hash_all(dbb, hb);
	hash_all(f->db, h0);
	for (i = 0; i < NDUMPS; i++)
		if (ha[i] != hb[i])
			fail_msg("seed 42 twice differs in: %s", dumps[i]);
	/* Another seed: other members, other tree below the units. */
	assert_true(ha[DUMP_MEMBERS] != h0[DUMP_MEMBERS]);
	assert_true(ha[3] != h0[3]);
	/* The fixed parts stay: campaign, batches, 系统. */
	for (i = 0; i < 3; i++)
		assert_true(ha[i] == h0[i]);
	sqlite3_close(da);
	sqlite3_close(dbb);
	store_close(a);
	store_close(b);
	tmpdir_remove(dir);
	free(pa);
	free(pb);
	free(dir);
}

static void test_seed_default_reproduced(void **state)
{
	struct fixture *f = *state;
	char *dir = tmpdir_make();
	char *p = path_join(dir, "again.db");
	uint64_t h0[NDUMPS], h1[NDUMPS];
	struct store *st = open_new(p);
	struct xj_error err;
	sqlite3 *db;
	size_t i;

	xj_error_clear(&err);
	/* The summary is optional. */
	assert_int_equal(demo_generate(st, DEMO_SEED_DEFAULT, NULL, &err),
	                 XJ_OK);
	db = sql_open(p);
	hash_all(f->db, h0);
	hash_all(db, h1);
	for (i = 0; i < NDUMPS; i++)
		if (h0[i] != h1[i])
			fail_msg("seed 2005 twice differs in: %s", dumps[i]);
	sqlite3_close(db);
	store_close(st);
	tmpdir_remove(dir);
	free(p);
	free(dir);
}

/* --- refusals and rollback ---------------------------------------- */

static void test_refuses_database_with_data(void **state)
{
	char *dir = tmpdir_make();
	char *p = path_join(dir, "used.db");
	struct store *st = open_new(p);
	struct demo_summary sum;
	struct xj_error err;
	struct org o;
	sqlite3 *db;

	(void)state;
	xj_error_clear(&err);
	memset(&o, 0, sizeof(o));
	o.type = ORG_COMMITTEE;
	o.name = "市教育局党组";
	o.code = "U001";
	o.is_unit = 1;
	assert_int_equal(store_begin(st, &err), XJ_OK);
	assert_int_equal(store_org_insert(st, &o, NULL, &err), XJ_OK);
	assert_int_equal(store_commit(st, &err), XJ_OK);

	memset(&sum, 0xff, sizeof(sum));
	assert_int_equal(demo_generate(st, 1, &sum, &err), XJ_ECONFLICT);
	assert_int_equal(err.code, XJ_ECONFLICT);
	assert_non_null(strstr(err.msg, "新数据库"));
	assert_int_equal(sum.members, 0);
	assert_int_equal(sum.units, 0);
	/* Nothing was added. */
	assert_int_equal(count(st, COUNT_ORGS), 1);
	assert_int_equal(count(st, COUNT_MEMBERS), 0);
	assert_int_equal(count(st, COUNT_SYSTEMS), 0);
	db = sql_open(p);
	assert_int_equal(q_int(db, "SELECT count(*) FROM campaigns"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM batches"), 0);
	sqlite3_close(db);
	/* The store is usable afterwards (no transaction left open). */
	assert_int_equal(store_begin(st, &err), XJ_OK);
	store_rollback(st);
	store_close(st);
	tmpdir_remove(dir);
	free(p);
	free(dir);
}

static void test_refuses_open_transaction(void **state)
{
	char *dir = tmpdir_make();
	char *p = path_join(dir, "tx.db");
	struct store *st = open_new(p);
	struct xj_error err;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(store_begin(st, &err), XJ_OK);
	assert_int_equal(demo_generate(st, 1, NULL, &err), XJ_EINTERNAL);
	assert_true(err.msg[0] != '\0');
	store_rollback(st);
	assert_int_equal(count(st, COUNT_ORGS), 0);
	store_close(st);
	tmpdir_remove(dir);
	free(p);
	free(dir);
}

/* A failure two thousand members in leaves nothing behind. */
static void test_failure_midway_rolls_back(void **state)
{
	char *dir = tmpdir_make();
	char *p = path_join(dir, "fail.db");
	struct store *st = open_new(p);
	struct demo_summary sum;
	struct xj_error err;
	sqlite3 *db = sql_open(p);

	(void)state;
	xj_error_clear(&err);
	sql_exec(db, "CREATE TRIGGER fail_late BEFORE INSERT ON members"
	             " WHEN (SELECT count(*) FROM members) >= 2000 BEGIN"
	             " SELECT RAISE(ABORT, 'injected failure'); END");
	memset(&sum, 0xff, sizeof(sum));
	assert_int_not_equal(demo_generate(st, 7, &sum, &err), XJ_OK);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(sum.members, 0);
	assert_int_equal(count(st, COUNT_ORGS), 0);
	assert_int_equal(count(st, COUNT_MEMBERS), 0);
	assert_int_equal(count(st, COUNT_SYSTEMS), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM campaigns"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM batches"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM org_tree"), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats"), 0);

	/* Without the fault the same store takes the whole campaign. */
	sql_exec(db, "DROP TRIGGER fail_late");
	assert_int_equal(demo_generate(st, 7, &sum, &err), XJ_OK);
	assert_int_equal(count(st, COUNT_MEMBERS), 3679);
	assert_int_equal(sum.members, 3679);
	sqlite3_close(db);
	store_close(st);
	tmpdir_remove(dir);
	free(p);
	free(dir);
}

/* A failure at the very last write (a seat of U107) also leaves nothing. */
static void test_failure_at_end_rolls_back(void **state)
{
	char *dir = tmpdir_make();
	char *p = path_join(dir, "fail2.db");
	struct store *st = open_new(p);
	struct xj_error err;
	sqlite3 *db = sql_open(p);

	(void)state;
	xj_error_clear(&err);
	sql_exec(db, "CREATE TRIGGER fail_last BEFORE INSERT ON body_seats"
	             " WHEN (SELECT code FROM orgs WHERE id = NEW.body_id) ="
	             " 'U107-LB' AND (SELECT count(*) FROM body_seats WHERE"
	             " body_id = NEW.body_id) >= 2 BEGIN"
	             " SELECT RAISE(ABORT, 'injected failure'); END");
	assert_int_not_equal(demo_generate(st, 3, NULL, &err), XJ_OK);
	assert_int_equal(count(st, COUNT_ORGS), 0);
	assert_int_equal(count(st, COUNT_MEMBERS), 0);
	assert_int_equal(q_int(db, "SELECT count(*) FROM body_seats"), 0);
	sqlite3_close(db);
	store_close(st);
	tmpdir_remove(dir);
	free(p);
	free(dir);
}

/* --- the command -------------------------------------------------- */

static void test_cli(void **state)
{
	char *dir = tmpdir_make();
	char *p = path_join(dir, "cli.db");
	struct proc_result r;
	sqlite3 *db;

	(void)state;
	xj_run(&r, "demo", "--db", p, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "已生成示范活动: 10 个系统, 107 个单位,"
	                              " 3679 名党员"));
	assert_non_null(strstr(r.out, "随机种子 2005"));
	assert_non_null(strstr(r.out, "失去联系"));
	proc_result_release(&r);

	/* An existing file is refused without --force. */
	xj_run(&r, "demo", "--db", p, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "已存在"));
	assert_non_null(strstr(r.err, "--force"));
	assert_string_equal(r.out, "");
	proc_result_release(&r);

	xj_run(&r, "demo", "--db", p, "--force", "--seed", "7", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "随机种子 7"));
	proc_result_release(&r);
	db = sql_open(p);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members"), 3679);
	assert_int_equal(q_int(db, "SELECT count(*) FROM campaigns"), 1);
	sqlite3_close(db);

	/* Bad seeds are usage errors, and the database is left alone. */
	xj_run(&r, "demo", "--db", p, "--force", "--seed", "abc", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "seed"));
	assert_non_null(strstr(r.err, "不是整数"));
	proc_result_release(&r);
	xj_run(&r, "demo", "--db", p, "--force", "--seed", "-1", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "超出范围"));
	proc_result_release(&r);
	xj_run(&r, "demo", "--db", p, "--force", "--seed",
	       "9223372036854775808", NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	db = sql_open(p);
	assert_int_equal(q_int(db, "SELECT count(*) FROM members"), 3679);
	sqlite3_close(db);

	xj_run(&r, "demo", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "--db"));
	proc_result_release(&r);

	xj_run(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "demo"));
	proc_result_release(&r);

	tmpdir_remove(dir);
	free(p);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_members_in_branches),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_people),
		cmocka_unit_test(test_leadership),
		cmocka_unit_test(test_same_seed_same_data),
		cmocka_unit_test(test_seed_default_reproduced),
		cmocka_unit_test(test_refuses_database_with_data),
		cmocka_unit_test(test_refuses_open_transaction),
		cmocka_unit_test(test_failure_midway_rolls_back),
		cmocka_unit_test(test_failure_at_end_rolls_back),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
