/* Store: migrations, reopen, newer schema refused, rollback, records. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

struct fx {
	char *dir;
	char *path;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "t.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	tmpdir_remove(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t v = -1;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static struct store *create(struct fx *f)
{
	struct xj_error err;
	struct store *st;

	assert_int_equal(
	    store_open(f->path, STORE_CREATE | STORE_EXCL, &st, &err), XJ_OK);
	return st;
}

static int64_t add_campaign(struct store *st)
{
	struct campaign c = { 0, "测试活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_campaign_insert(st, &c, &id, &err), XJ_OK);
	return id;
}

static int64_t add_org(struct store *st, int64_t parent, const char *code,
                       enum org_type type)
{
	struct org o = {
		.parent_id = parent, .type = type, .name = code, .code = code
	};
	struct xj_error err;
	int64_t id = 0;

	assert_int_equal(store_org_insert(st, &o, &id, &err), XJ_OK);
	return id;
}

static void test_migrate_from_empty(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);

	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
	assert_int_equal(raw_int(f->path, "SELECT max(version) FROM "
	                                  "schema_migrations"),
	                 store_schema_latest());
	assert_int_equal(raw_int(f->path, "PRAGMA foreign_keys"), 0);
	/* WAL is a property of the file, so it persists. */
	assert_int_equal(raw_int(f->path, "SELECT journal_mode = 'wal' FROM "
	                                  "pragma_journal_mode"),
	                 1);
}

static void test_reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct xj_error err;
	int64_t n;

	add_campaign(st);
	store_close(st);
	assert_int_equal(store_open(f->path, 0, &st, &err), XJ_OK);
	assert_int_equal(store_schema_version(st), store_schema_latest());
	store_close(st);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM campaigns"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	                                  "schema_migrations"),
	                 store_schema_latest());
	assert_int_equal(store_open(f->path, 0, &st, &err), XJ_OK);
	assert_int_equal(store_count(st, COUNT_ORGS, &n, &err), XJ_OK);
	assert_int_equal(n, 0);
	store_close(st);
}

static void test_create_excl_refuses_existing(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct xj_error err;

	store_close(st);
	xj_error_clear(&err);
	assert_int_equal(
	    store_open(f->path, STORE_CREATE | STORE_EXCL, &st, &err),
	    XJ_EEXIST);
	assert_null(st);
	assert_non_null(strstr(err.msg, "已存在"));
	/* and the existing file was not touched */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM "
	                                  "schema_migrations"),
	                 store_schema_latest());
}

static void test_missing_file(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	struct store *st;

	assert_int_equal(store_open(f->path, 0, &st, &err), XJ_ENOTFOUND);
	assert_non_null(strstr(err.msg, "不存在"));
	assert_int_equal(access(f->path, F_OK), -1);
}

static void test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct xj_error err;

	store_close(st);
	raw_exec(f->path, "INSERT INTO schema_migrations VALUES (999, "
	                  "'future', '2030-01-01T00:00:00Z')");
	xj_error_clear(&err);
	assert_int_equal(store_open(f->path, 0, &st, &err), XJ_ESCHEMA);
	assert_null(st);
	assert_non_null(strstr(err.msg, "999"));
	assert_non_null(strstr(err.msg, "高于"));
}

static void test_not_a_database(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	struct store *st;
	FILE *fp = fopen(f->path, "w");

	assert_non_null(fp);
	fputs("姓名,性别\n这不是数据库文件，而是一份花名册。\n", fp);
	for (int i = 0; i < 200; i++)
		fputs("0123456789abcdef0123456789abcdef\n", fp);
	fclose(fp);
	xj_error_clear(&err);
	assert_int_not_equal(store_open(f->path, 0, &st, &err), XJ_OK);
	assert_null(st);
	assert_true(err.msg[0] != '\0');
}

/* A failing migration leaves the database exactly as it was. */
static void test_failed_migration_rolls_back(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	struct store *st;

	raw_exec(f->path, "CREATE TABLE orgs (x); INSERT INTO orgs VALUES (7)");
	xj_error_clear(&err);
	assert_int_equal(store_open(f->path, 0, &st, &err), XJ_ESTORE);
	assert_null(st);
	assert_non_null(strstr(err.msg, "版本 1"));
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master "
	                                  "WHERE name IN ('schema_migrations',"
	                                  " 'campaigns')"),
	                 0);
	assert_int_equal(raw_int(f->path, "SELECT x FROM orgs"), 7);
}

/* A failing statement rolls the whole transaction back. */
static void test_transaction_rollback(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct org dup = { .type = ORG_COMMITTEE, .name = "重复", .code = "A" };
	struct xj_error err;
	int64_t n, id;

	assert_int_equal(store_begin(st, &err), XJ_OK);
	add_campaign(st);
	add_org(st, 0, "A", ORG_COMMITTEE);
	add_org(st, 0, "B", ORG_COMMITTEE);
	xj_error_clear(&err);
	assert_int_equal(store_org_insert(st, &dup, &id, &err), XJ_EEXIST);
	assert_string_equal(err.field, "code");
	assert_non_null(strstr(err.msg, "重复"));
	store_rollback(st);
	assert_int_equal(store_count(st, COUNT_ORGS, &n, &err), XJ_OK);
	assert_int_equal(n, 0);
	store_close(st);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM campaigns"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM org_tree"), 0);
}

static void test_commit_persists(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct xj_error err;

	assert_int_equal(store_begin(st, &err), XJ_OK);
	assert_int_equal(store_begin(st, &err), XJ_EINTERNAL);
	add_org(st, 0, "A", ORG_COMMITTEE);
	assert_int_equal(store_commit(st, &err), XJ_OK);
	assert_int_equal(store_commit(st, &err), XJ_EINTERNAL);
	store_close(st);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM orgs"), 1);
}

static void test_org_tree_and_subtree(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct member m = { .name = "张三", .gender = GENDER_MALE };
	struct org bad = { .parent_id = 999,
		           .type = ORG_BRANCH,
		           .name = "孤儿",
		           .code = "X" };
	struct xj_error err;
	int64_t root, unit, gb, b1, b2, other, n, id, prev;
	int i;

	root = add_org(st, 0, "R", ORG_COMMITTEE);
	unit = add_org(st, root, "U", ORG_PARTY_GROUP);
	gb = add_org(st, unit, "G", ORG_GENERAL_BRANCH);
	b1 = add_org(st, gb, "B1", ORG_BRANCH);
	b2 = add_org(st, unit, "B2", ORG_BRANCH);
	other = add_org(st, root, "O", ORG_BRANCH);
	m.org_id = b1;
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	m.org_id = b2;
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	m.org_id = other;
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	assert_int_equal(store_subtree_members(st, unit, &n, &err), XJ_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_subtree_members(st, gb, &n, &err), XJ_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_subtree_members(st, root, &n, &err), XJ_OK);
	assert_int_equal(n, 3);

	xj_error_clear(&err);
	assert_int_equal(store_org_insert(st, &bad, &id, &err), XJ_EINVAL);
	assert_string_equal(err.field, "parent_id");

	/* depth limit */
	prev = root;
	for (i = 1; i < ORG_DEPTH_MAX; i++) {
		char code[16];

		snprintf(code, sizeof(code), "D%d", i);
		prev = add_org(st, prev, code, ORG_GENERAL_BRANCH);
	}
	bad.parent_id = prev;
	bad.code = "TOO-DEEP";
	assert_int_equal(store_org_insert(st, &bad, &id, &err), XJ_ETOOLARGE);
	store_close(st);
	/* closure rows: root has itself and all descendants */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM org_tree "
	                                  "WHERE ancestor = 1"),
	                 6 + ORG_DEPTH_MAX - 1);
}

static void test_member_validation(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct member m = { .name = "李四",
		            .gender = GENDER_FEMALE,
		            .id_number = "11010519491231002X",
		            .birth_date = date_from_ymd(1949, 12, 31),
		            .joined_date = date_from_ymd(1975, 7, 1) };
	struct xj_error err;
	int64_t n;

	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	xj_error_clear(&err);
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EEXIST);
	assert_string_equal(err.field, "id_number");
	m.id_number = "110105194912310021";
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "id_number");
	m.id_number = NULL;
	m.joined_date = date_from_ymd(1940, 1, 1);
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "joined_date");
	m.joined_date = 0;
	m.name = "";
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "name");
	m.name = "王五";
	m.org_id = 12345; /* no such branch: the foreign key refuses */
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EINVAL);
	assert_int_equal(store_count(st, COUNT_MEMBERS, &n, &err), XJ_OK);
	assert_int_equal(n, 1);
	store_close(st);
}

static void test_body_seat_only_in_leadership(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct member m = { .name = "赵六", .gender = GENDER_MALE };
	struct xj_error err;
	int64_t unit, body, branch, mid;

	unit = add_org(st, 0, "U", ORG_COMMITTEE);
	body = add_org(st, unit, "U-L", ORG_LEADERSHIP);
	branch = add_org(st, unit, "U-B", ORG_BRANCH);
	m.org_id = branch;
	assert_int_equal(store_member_insert(st, &m, &mid, &err), XJ_OK);
	assert_int_equal(store_body_seat(st, body, mid, "书记", &err), XJ_OK);
	assert_int_equal(store_body_seat(st, branch, mid, "书记", &err),
	                 XJ_EINVAL);
	assert_string_equal(err.field, "body_id");
	assert_int_equal(store_body_seat(st, body, mid, "书记", &err),
	                 XJ_EEXIST);
	store_close(st);
}

static void test_records_append_only(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct record r = { 0 };
	struct xj_error err;
	int64_t c, unit, r1, r2, r3, n;

	c = add_campaign(st);
	unit = add_org(st, 0, "U", ORG_COMMITTEE);
	r.campaign_id = c;
	r.kind = "study_session";
	r.org_id = unit;
	r.happened_on = date_from_ymd(2005, 2, 17);
	r.entered_at = 1108684800;
	r.payload = "{\"hours\":4}";
	assert_int_equal(store_record_append(st, &r, &r1, &err), XJ_OK);

	/* a correction supersedes, once */
	r.supersedes = r1;
	r.payload = "{\"hours\":3.5}";
	assert_int_equal(store_record_append(st, &r, &r2, &err), XJ_OK);
	xj_error_clear(&err);
	assert_int_equal(store_record_append(st, &r, &r3, &err), XJ_ECONFLICT);
	assert_string_equal(err.field, "supersedes");
	/* the chain continues from the newest */
	r.supersedes = r2;
	assert_int_equal(store_record_append(st, &r, &r3, &err), XJ_OK);
	/* a correction of another kind, of nothing, or with bad JSON */
	r.supersedes = r3;
	r.kind = "note";
	assert_int_equal(store_record_append(st, &r, NULL, &err), XJ_EINVAL);
	r.kind = "study_session";
	r.supersedes = 4242;
	assert_int_equal(store_record_append(st, &r, NULL, &err), XJ_EINVAL);
	r.supersedes = 0;
	r.payload = "{not json";
	assert_int_equal(store_record_append(st, &r, NULL, &err), XJ_EINVAL);
	r.payload = NULL;
	r.happened_on = 0;
	assert_int_equal(store_record_append(st, &r, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "happened_on");

	assert_int_equal(store_count(st, COUNT_RECORDS, &n, &err), XJ_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_count(st, COUNT_CURRENT_RECORDS, &n, &err),
	                 XJ_OK);
	assert_int_equal(n, 1);
	store_close(st);

	/* the database itself refuses edits and deletions */
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db,
		                                  "UPDATE records SET payload ="
		                                  " '{}' WHERE id = 1",
		                                  NULL, NULL, NULL),
		                     SQLITE_OK);
		assert_int_not_equal(
		    sqlite3_exec(db, "DELETE FROM records", NULL, NULL, NULL),
		    SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM records"), 3);
	assert_int_equal(raw_int(f->path, "SELECT happened_on = '2005-02-17' "
	                                  "AND entered_at = "
	                                  "'2005-02-18T00:00:00Z' FROM records "
	                                  "WHERE id = 1"),
	                 1);
}

static void test_counts_and_categories(void **state)
{
	struct fx *f = *state;
	struct store *st = create(f);
	struct member m = { .name = "钱七", .gender = GENDER_MALE };
	struct xj_error err;
	int64_t unit, b, n;

	unit = add_org(st, 0, "U", ORG_COMMITTEE);
	b = add_org(st, unit, "B", ORG_BRANCH);
	m.org_id = b;
	m.categories = MCAT_BIT(MCAT_RETIRED) | MCAT_BIT(MCAT_FRAIL);
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	m.categories = MCAT_BIT(MCAT_ACTIVE);
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_OK);
	assert_int_equal(store_category_members(st, MCAT_FRAIL, &n, &err),
	                 XJ_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_category_members(st, MCAT_ACTIVE, &n, &err),
	                 XJ_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_category_members(st, MCAT__MAX, &n, &err),
	                 XJ_EINVAL);
	m.categories = 1u << MCAT__MAX;
	assert_int_equal(store_member_insert(st, &m, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "categories");
	assert_int_equal(store_count(st, COUNT_UNITS, &n, &err), XJ_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_count(st, COUNT__MAX, &n, &err), XJ_EINTERNAL);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_from_empty, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		    test_create_excl_refuses_existing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_migration_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transaction_rollback,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_persists, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_org_tree_and_subtree,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_validation, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(
		    test_body_seat_only_in_leadership, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_append_only, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_counts_and_categories,
		                                setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
