/*
 * The SQLite backend's statements and schema. Every statement the store
 * runs is here, indexed by enum stmt_id, with bound parameters only.
 */
#include "internal.h"

/* The coverage statements name these by value. */
_Static_assert(MCAT_BIT(MCAT_MOBILE) == 8 && MCAT_BIT(MCAT_LOST) == 16 &&
                   ORG_BRANCH == 4,
               "coverage SQL uses these values");
/* The statistics count the categories by bit, 0 to 7. */
_Static_assert(MCAT__MAX == 8, "category counts SQL lists 8 bits");

/* The columns of a member row, in the order store/read.c reads them. */
#define MEMBER_COLS                                                            \
	"m.id, coalesce(m.org_id, 0), m.name, m.gender,"                       \
	" coalesce(m.birth_date, ''), coalesce(m.id_number, ''),"              \
	" coalesce(m.phone, ''), coalesce(m.joined_date, ''), m.status,"       \
	" m.categories, coalesce(m.mobile_dest, ''),"                          \
	" coalesce(m.absence_start, ''), coalesce(m.absence_months, 0),"       \
	" coalesce(m.post, ''), coalesce(m.contact_arrangement, ''),"          \
	" coalesce(m.left_on, ''),"                                            \
	" coalesce((SELECT s.title FROM body_seats s WHERE"                    \
	" s.member_id = m.id ORDER BY s.body_id LIMIT 1), '')"

/*
 * Who sees an opinion (DOMAIN.md §6.5, §19 Privacy), for user ?1 through
 * the roles in mask ?2: the command line (?1 = 0) and the office every
 * one; a unit office or a branch secretary those whose home organisation
 * (the target organisation, or the target member's branch) lies in its
 * subtree, except opinions about the user's own person; a member only
 * opinions about themself, and only once feedback was given.
 */
#define OPINION_VISIBLE                                                        \
	"((?1 = 0 OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = ?1"      \
	"  AND g.role = 0 AND (?2 & 1))"                                       \
	"  OR EXISTS (SELECT 1 FROM scope_roots r JOIN org_tree t"             \
	"  ON t.ancestor = r.org_id WHERE r.user_id = ?1 AND r.role IN (2, 3)" \
	"  AND ((?2 >> r.role) & 1) AND t.descendant = o.home_org_id))"        \
	" AND (o.target_member_id IS NULL OR NOT EXISTS (SELECT 1 FROM"        \
	"  users s WHERE s.id = ?1 AND s.member_id = o.target_member_id))"     \
	" OR (((?2 >> 4) & 1) AND EXISTS (SELECT 1 FROM users u JOIN grants g" \
	"  ON g.user_id = u.id AND g.role = 4 WHERE u.id = ?1"                 \
	"  AND u.member_id = o.target_member_id)"                              \
	"  AND EXISTS (SELECT 1 FROM opinion_actions a WHERE"                  \
	"  a.opinion_id = o.id AND a.action = 'feedback')))"

/* The giver of a named opinion is shown only to the command line, the
 * office and the unit office, and never on an opinion about the user
 * (背靠背). */
#define OPINION_GIVER_SHOWN                                                    \
	"(o.anonymous = 0 AND (o.target_member_id IS NULL OR NOT EXISTS"       \
	" (SELECT 1 FROM users s WHERE s.id = ?1"                              \
	" AND s.member_id = o.target_member_id)) AND (?1 = 0 OR EXISTS"        \
	" (SELECT 1 FROM grants g WHERE g.user_id = ?1 AND g.role = 0"         \
	" AND (?2 & 1)) OR EXISTS (SELECT 1 FROM scope_roots r JOIN org_tree"  \
	" t ON t.ancestor = r.org_id WHERE r.user_id = ?1 AND r.role = 2"      \
	" AND ((?2 >> 2) & 1) AND t.descendant = o.home_org_id)))"

/* The columns of an opinion row, in the order store/opinion.c reads
 * them: the newest classification, the first publication, the newest
 * feedback. */
#define OPINION_COLS                                                           \
	"o.id, o.org_id, (SELECT name FROM orgs WHERE id = o.org_id),"         \
	" o.channel, o.target_kind, coalesce(o.target_org_id, 0),"             \
	" coalesce(o.target_member_id, 0), coalesce((SELECT name FROM orgs"    \
	" WHERE id = o.target_org_id), (SELECT name FROM members WHERE"        \
	" id = o.target_member_id), ''), o.anonymous,"                         \
	" CASE WHEN " OPINION_GIVER_SHOWN " THEN o.giver_name END,"            \
	" CASE WHEN " OPINION_GIVER_SHOWN " THEN o.giver_contact END,"         \
	" o.text, o.received_on, o.stage, o.entered_at,"                       \
	" coalesce(o.supersedes, 0),"                                          \
	" coalesce((SELECT a.category FROM opinion_actions a WHERE"            \
	" a.opinion_id = o.id AND a.action = 'classify' ORDER BY a.id DESC"    \
	" LIMIT 1), -1),"                                                      \
	" coalesce((SELECT a.dimension FROM opinion_actions a WHERE"           \
	" a.opinion_id = o.id AND a.action = 'classify' ORDER BY a.id DESC"    \
	" LIMIT 1), -1),"                                                      \
	" (SELECT a.on_date FROM opinion_actions a WHERE a.opinion_id = o.id"  \
	" AND a.action = 'publish' ORDER BY a.id LIMIT 1),"                    \
	" (SELECT a.on_date FROM opinion_actions a WHERE a.opinion_id = o.id"  \
	" AND a.action = 'feedback' ORDER BY a.id DESC LIMIT 1),"              \
	" (SELECT coalesce(u.login, '') FROM opinion_actions a LEFT JOIN"      \
	" users u ON u.id = a.actor_id WHERE a.opinion_id = o.id AND"          \
	" a.action = 'feedback' ORDER BY a.id DESC LIMIT 1)"

const char *const sqlite_sql[STMT__MAX] = {
	[STMT_BEGIN] = "BEGIN IMMEDIATE",
	[STMT_COMMIT] = "COMMIT",
	[STMT_ROLLBACK] = "ROLLBACK",
	[STMT_SCHEMA_TABLE_EXISTS] =
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
	    " AND name = 'schema_migrations'",
	[STMT_SCHEMA_VERSION] =
	    "SELECT coalesce(max(version), 0) FROM schema_migrations",
	[STMT_SCHEMA_RECORD] =
	    "INSERT INTO schema_migrations (version, summary, applied_at)"
	    " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_CAMPAIGN_INSERT] =
	    "INSERT INTO campaigns (name, start_date, end_date, created_at)"
	    " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_BATCH_INSERT] =
	    "INSERT INTO batches (campaign_id, ordinal, name, start_date,"
	    " end_date) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_SYSTEM_INSERT] =
	    "INSERT INTO systems (campaign_id, name) VALUES (?1, ?2)",
	[STMT_ORG_DEPTH] = "SELECT depth FROM orgs WHERE id = ?1",
	[STMT_ORG_TYPE] = "SELECT type FROM orgs WHERE id = ?1",
	[STMT_ORG_INSERT] =
	    "INSERT INTO orgs (parent_id, type, name, code, system_id,"
	    " batch_id, is_unit, weak, depth, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_ORG_TREE_SELF] = "INSERT INTO org_tree (ancestor, descendant,"
	                       " distance) VALUES (?1, ?1, 0)",
	[STMT_ORG_TREE_ANCESTORS] =
	    "INSERT INTO org_tree (ancestor, descendant, distance)"
	    " SELECT ancestor, ?1, distance + 1 FROM org_tree"
	    " WHERE descendant = ?2",
	[STMT_MEMBER_INSERT] =
	    "INSERT INTO members (org_id, name, gender, birth_date,"
	    " id_number, phone, joined_date, status, categories,"
	    " mobile_dest, absence_start, absence_months, post,"
	    " contact_arrangement, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13, ?14, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_BODY_SEAT] = "INSERT INTO body_seats (body_id, member_id, title)"
	                   " VALUES (?1, ?2, ?3)",
	[STMT_RECORD_KIND] = "SELECT kind FROM records WHERE id = ?1",
	[STMT_RECORD_SUPERSEDED_BY] =
	    "SELECT id FROM records WHERE supersedes = ?1",
	[STMT_RECORD_INSERT] =
	    "INSERT INTO records (campaign_id, kind, org_id, member_id,"
	    " happened_on, entered_at, entered_by, supersedes, payload,"
	    " session_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STMT_COUNT_ORGS] = "SELECT count(*) FROM orgs",
	[STMT_COUNT_UNITS] = "SELECT count(*) FROM orgs WHERE is_unit = 1",
	[STMT_COUNT_MEMBERS] = "SELECT count(*) FROM members",
	[STMT_COUNT_SYSTEMS] = "SELECT count(*) FROM systems",
	[STMT_COUNT_RECORDS] = "SELECT count(*) FROM records",
	[STMT_COUNT_CURRENT_RECORDS] =
	    "SELECT count(*) FROM records r WHERE NOT EXISTS"
	    " (SELECT 1 FROM records c WHERE c.supersedes = r.id)",
	[STMT_SUBTREE_MEMBERS] =
	    "SELECT count(*) FROM org_tree t JOIN members m"
	    " ON m.org_id = t.descendant WHERE t.ancestor = ?1",
	[STMT_CATEGORY_MEMBERS] =
	    "SELECT count(*) FROM members WHERE (categories & ?1) != 0",
	[STMT_AUDIT_LAST] =
	    "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
	[STMT_AUDIT_INSERT] =
	    "INSERT INTO audit_log (id, at, actor_id, action, object_type,"
	    " object_id, digest, prev_hash, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[STMT_AUDIT_SELECT] =
	    "SELECT a.id, a.at, a.actor_id, u.login, a.action,"
	    " a.object_type, a.object_id, a.digest, a.prev_hash, a.hash"
	    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
	    " WHERE (?1 IS NULL OR a.object_type = ?1)"
	    " AND (?2 IS NULL OR a.object_id = ?2)"
	    " AND (?3 IS NULL OR a.actor_id = ?3) ORDER BY a.id",
	[STMT_USER_INSERT] =
	    "INSERT INTO users (login, display_name, password_hash,"
	    " member_id, created_at) VALUES (?1, ?2, ?3, ?4,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_USER_BY_LOGIN] =
	    "SELECT id, login, display_name, password_hash, member_id,"
	    " disabled FROM users WHERE login = ?1",
	[STMT_USER_BY_ID] =
	    "SELECT id, login, display_name, password_hash, member_id,"
	    " disabled FROM users WHERE id = ?1",
	[STMT_USER_SET_DISABLED] =
	    "UPDATE users SET disabled = ?2 WHERE id = ?1",
	[STMT_USER_SET_PASSWORD] =
	    "UPDATE users SET password_hash = ?2 WHERE id = ?1",
	[STMT_USERS_ALL] =
	    "SELECT id, login, display_name, '', member_id, disabled"
	    " FROM users ORDER BY id",
	[STMT_GRANT_INSERT] =
	    "INSERT INTO grants (user_id, role, org_id, system_id,"
	    " created_at) VALUES (?1, ?2, ?3, ?4,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_GRANT_FIND] =
	    "SELECT id FROM grants WHERE user_id = ?1 AND role = ?2"
	    " AND org_id IS ?3 AND system_id IS ?4",
	[STMT_GRANT_DELETE] = "DELETE FROM grants WHERE id = ?1",
	[STMT_GRANTS_OF] =
	    "SELECT id, user_id, role, org_id, system_id FROM grants"
	    " WHERE user_id = ?1 ORDER BY role, id",
	[STMT_SESSION_INSERT] =
	    "INSERT INTO sessions (user_id, token_hash, csrf_token,"
	    " created_at, last_seen, expires_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
	[STMT_SESSION_LOOKUP] =
	    "SELECT s.id, s.user_id, s.csrf_token, s.created_at,"
	    " s.last_seen, s.expires_at FROM sessions s"
	    " JOIN users u ON u.id = s.user_id AND u.disabled = 0"
	    " WHERE s.token_hash = ?1 AND s.expires_at > ?2"
	    " AND s.last_seen + ?3 > ?2",
	[STMT_SESSION_TOUCH] =
	    "UPDATE sessions SET last_seen = ?2 WHERE id = ?1",
	[STMT_SESSION_DELETE] = "DELETE FROM sessions WHERE id = ?1",
	[STMT_TOKEN_INSERT] =
	    "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
	    " VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_TOKEN_LOOKUP] =
	    "SELECT t.user_id FROM api_tokens t"
	    " JOIN users u ON u.id = t.user_id AND u.disabled = 0"
	    " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL",
	[STMT_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked_at ="
	                      " strftime('%Y-%m-%dT%H:%M:%SZ','now')"
	                      " WHERE id = ?1 AND revoked_at IS NULL",
	/* ?1 user, ?2 role mask (ROLE_BIT), ?3 org. Office: everything. */
	[STMT_SCOPE_ORG] =
	    "SELECT EXISTS (SELECT 1 FROM grants WHERE user_id = ?1"
	    "  AND role = 0 AND (?2 & 1))"
	    " OR EXISTS (SELECT 1 FROM scope_roots r JOIN org_tree t"
	    "  ON t.ancestor = r.org_id WHERE r.user_id = ?1"
	    "  AND ((?2 >> r.role) & 1) AND t.descendant = ?3)",
	/* ?1 user, ?2 role mask, ?3 member. */
	[STMT_SCOPE_MEMBER] =
	    "SELECT EXISTS (SELECT 1 FROM members m WHERE m.id = ?3 AND ("
	    " EXISTS (SELECT 1 FROM grants WHERE user_id = ?1"
	    "  AND role = 0 AND (?2 & 1))"
	    " OR EXISTS (SELECT 1 FROM scope_roots r JOIN org_tree t"
	    "  ON t.ancestor = r.org_id WHERE r.user_id = ?1"
	    "  AND ((?2 >> r.role) & 1) AND t.descendant = m.org_id)"
	    " OR (((?2 >> 4) & 1) AND EXISTS (SELECT 1 FROM users u"
	    "  JOIN grants g ON g.user_id = u.id AND g.role = 4"
	    "  WHERE u.id = ?1 AND u.member_id = m.id))))",
	[STMT_ORG_BY_CODE] = "SELECT id FROM orgs WHERE code = ?1",
	[STMT_SYSTEM_BY_NAME] =
	    "SELECT id FROM systems WHERE name = ?1 ORDER BY id LIMIT 1",
	[STMT_TOKENS_OF] =
	    "SELECT t.id, t.user_id, u.login, t.name, t.created_at,"
	    " t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id"
	    " WHERE ?1 IS NULL OR t.user_id = ?1 ORDER BY t.id",
	[STMT_ORG_GET] =
	    "SELECT id, coalesce(parent_id, 0), type, name, code,"
	    " coalesce(system_id, 0), coalesce(batch_id, 0), is_unit, weak,"
	    " depth FROM orgs WHERE id = ?1",
	/* Members whose branch is in the subtree of ?1, by id. */
	/* ?4: category bit mask (0: any); ?5: part of the name (NULL: any). */
	[STMT_SUBTREE_MEMBER_LIST] =
	    "SELECT " MEMBER_COLS " FROM org_tree t JOIN members m"
	    " ON m.org_id = t.descendant WHERE t.ancestor = ?1"
	    " AND m.id > ?2 AND (?4 = 0 OR (m.categories & ?4) != 0)"
	    " AND (?5 IS NULL OR instr(m.name, ?5) > 0"
	    "  OR (length(?5) = 4 AND substr(m.id_number, 15) = ?5))"
	    " ORDER BY m.id LIMIT ?3",
	/* The member with ID number ?5 if in the subtree of ?1 (the UNIQUE
	 * index on id_number, then one closure-table lookup). */
	[STMT_SUBTREE_MEMBER_BY_IDNUM] =
	    "SELECT " MEMBER_COLS " FROM members m JOIN org_tree t"
	    " ON t.ancestor = ?1 AND t.descendant = m.org_id"
	    " WHERE m.id_number = ?5 AND m.id > ?2"
	    " AND (?4 = 0 OR (m.categories & ?4) != 0) LIMIT ?3",
	/* A member's movements, oldest first, with the organisations'
	 * names. */
	[STMT_MEMBER_MOVEMENT_LIST] =
	    "SELECT v.id, v.kind, v.on_date, coalesce(v.from_org_id, 0),"
	    " coalesce(f.name, ''), coalesce(v.to_org_id, 0),"
	    " coalesce(o.name, ''), coalesce(v.note, ''), v.entered_at"
	    " FROM movements v LEFT JOIN orgs f ON f.id = v.from_org_id"
	    " LEFT JOIN orgs o ON o.id = v.to_org_id WHERE v.member_id = ?1"
	    " ORDER BY v.on_date, v.id",
	[STMT_MEMBER_GET] =
	    "SELECT " MEMBER_COLS " FROM members m WHERE m.id = ?1",
	[STMT_MEMBER_BY_IDNUM] =
	    "SELECT " MEMBER_COLS " FROM members m WHERE m.id_number = ?1",
	[STMT_MEMBER_UPDATE] =
	    "UPDATE members SET org_id = ?2, name = ?3, gender = ?4,"
	    " birth_date = ?5, id_number = ?6, phone = ?7,"
	    " joined_date = ?8, status = ?9, categories = ?10,"
	    " mobile_dest = ?11, absence_start = ?12,"
	    " absence_months = ?13, post = ?14, contact_arrangement = ?15"
	    " WHERE id = ?1",
	[STMT_MEMBER_SET_LEFT] =
	    "UPDATE members SET left_on = ?2, org_id = ?3 WHERE id = ?1",
	[STMT_MOVEMENT_INSERT] =
	    "INSERT INTO movements (member_id, kind, on_date, from_org_id,"
	    " to_org_id, note, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[STMT_ORG_SET_SECRETARY] =
	    "UPDATE orgs SET secretary_member_id = ?2 WHERE id = ?1",
	[STMT_ORG_UPDATE] =
	    "UPDATE orgs SET parent_id = ?2, type = ?3, name = ?4,"
	    " system_id = ?5, batch_id = ?6, is_unit = ?7, weak = ?8"
	    " WHERE id = ?1",
	[STMT_SUBTREE_ORG_LIST] =
	    "SELECT o.id, coalesce(o.parent_id, 0), o.type, o.name, o.code,"
	    " coalesce(o.system_id, 0), coalesce(o.batch_id, 0), o.is_unit,"
	    " o.weak, o.depth FROM org_tree t JOIN orgs o"
	    " ON o.id = t.descendant WHERE t.ancestor = ?1"
	    " ORDER BY o.depth, o.code",
	[STMT_BATCH_BY_ORDINAL] =
	    "SELECT id FROM batches WHERE ordinal = ?1 ORDER BY id LIMIT 1",
	[STMT_SYSTEM_NAME] = "SELECT name FROM systems WHERE id = ?1",
	[STMT_BATCH_ORDINAL] = "SELECT ordinal FROM batches WHERE id = ?1",
	/* 一个不漏 (seed 004): who could be missed. ?1 the subtree root. */
	[STMT_COVERAGE_NO_BRANCH] =
	    "SELECT " MEMBER_COLS " FROM members m WHERE m.org_id IS NULL"
	    " AND m.left_on IS NULL ORDER BY m.id",
	[STMT_COVERAGE_LOST] =
	    "SELECT " MEMBER_COLS " FROM org_tree t JOIN members m"
	    " ON m.org_id = t.descendant WHERE t.ancestor = ?1"
	    " AND m.left_on IS NULL AND (m.categories & 16) != 0"
	    " ORDER BY m.id",
	[STMT_COVERAGE_MOBILE_NO_CONTACT] =
	    "SELECT " MEMBER_COLS " FROM org_tree t JOIN members m"
	    " ON m.org_id = t.descendant WHERE t.ancestor = ?1"
	    " AND m.left_on IS NULL AND (m.categories & 8) != 0"
	    " AND coalesce(m.contact_arrangement, '') = '' ORDER BY m.id",
	[STMT_COVERAGE_NO_SECRETARY] =
	    "SELECT o.id, coalesce(o.parent_id, 0), o.type, o.name, o.code,"
	    " coalesce(o.system_id, 0), coalesce(o.batch_id, 0), o.is_unit,"
	    " o.weak, o.depth FROM org_tree t JOIN orgs o"
	    " ON o.id = t.descendant WHERE t.ancestor = ?1 AND o.type = 4"
	    " AND o.secretary_member_id IS NULL ORDER BY o.code",
	/* Organisations in the scope of user ?1 through roles in mask ?2,
	 * children of ?3 (0: the scope's top nodes are listed as roots),
	 * each with whether it has children (orgs_parent index). */
	[STMT_SCOPED_CHILDREN] =
	    "SELECT o.id, coalesce(o.parent_id, 0), o.type, o.name, o.code,"
	    " coalesce(o.system_id, 0), coalesce(o.batch_id, 0), o.is_unit,"
	    " o.weak, o.depth,"
	    " EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id)"
	    " FROM orgs o WHERE"
	    " ((?3 = 0 AND o.id IN (SELECT r.org_id FROM scope_roots r"
	    "   WHERE r.user_id = ?1 AND ((?2 >> r.role) & 1)))"
	    "  OR (?3 != 0 AND o.parent_id = ?3 AND (EXISTS (SELECT 1"
	    "   FROM grants WHERE user_id = ?1 AND role = 0 AND (?2 & 1))"
	    "   OR EXISTS (SELECT 1 FROM scope_roots r JOIN org_tree t"
	    "   ON t.ancestor = r.org_id WHERE r.user_id = ?1"
	    "   AND ((?2 >> r.role) & 1) AND t.descendant = o.id))))"
	    " ORDER BY o.code",
	/* Members of the subtree of ?1 in each category bit, for statistics:
	 * one row per category (bit, count), plus bit -1 total. One pass over
	 * the subtree's members, however many categories. */
	[STMT_SUBTREE_CATEGORY_COUNTS] =
	    "WITH c (n, b0, b1, b2, b3, b4, b5, b6, b7) AS MATERIALIZED"
	    " (SELECT count(*),"
	    " coalesce(sum((m.categories >> 0) & 1), 0),"
	    " coalesce(sum((m.categories >> 1) & 1), 0),"
	    " coalesce(sum((m.categories >> 2) & 1), 0),"
	    " coalesce(sum((m.categories >> 3) & 1), 0),"
	    " coalesce(sum((m.categories >> 4) & 1), 0),"
	    " coalesce(sum((m.categories >> 5) & 1), 0),"
	    " coalesce(sum((m.categories >> 6) & 1), 0),"
	    " coalesce(sum((m.categories >> 7) & 1), 0)"
	    " FROM org_tree t JOIN members m ON m.org_id = t.descendant"
	    " WHERE t.ancestor = ?1)"
	    " SELECT -1, n FROM c"
	    " UNION ALL SELECT 0, b0 FROM c"
	    " UNION ALL SELECT 1, b1 FROM c"
	    " UNION ALL SELECT 2, b2 FROM c"
	    " UNION ALL SELECT 3, b3 FROM c"
	    " UNION ALL SELECT 4, b4 FROM c"
	    " UNION ALL SELECT 5, b5 FROM c"
	    " UNION ALL SELECT 6, b6 FROM c"
	    " UNION ALL SELECT 7, b7 FROM c",
	[STMT_BRANCHES_BY_NAME] =
	    "SELECT id FROM orgs WHERE name = ?1 AND type = 4 ORDER BY id"
	    " LIMIT 3",
	[STMT_MEMBERS_ALL] = "SELECT " MEMBER_COLS " FROM members m"
	                     " ORDER BY m.id",
	[STMT_ROOTS] =
	    "SELECT o.id, coalesce(o.parent_id, 0), o.type, o.name, o.code,"
	    " coalesce(o.system_id, 0), coalesce(o.batch_id, 0), o.is_unit,"
	    " o.weak, o.depth FROM orgs o WHERE o.parent_id IS NULL"
	    " ORDER BY o.code",
	[STMT_ORG_SECRETARY] =
	    "SELECT coalesce(secretary_member_id, 0) FROM orgs WHERE id = ?1",
	/* The 领导班子 of the unit a branch ?1 belongs to. */
	[STMT_UNIT_BODY_OF] =
	    "SELECT b.id FROM org_tree t JOIN orgs u ON u.id = t.ancestor"
	    " AND u.is_unit = 1 JOIN orgs b ON b.parent_id = u.id"
	    " AND b.type = 5 WHERE t.descendant = ?1"
	    " ORDER BY t.distance, b.id LIMIT 1",
	[STMT_SEAT_UPSERT] =
	    "INSERT INTO body_seats (body_id, member_id, title)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (body_id, member_id)"
	    " DO UPDATE SET title = excluded.title",
	[STMT_SEAT_DELETE] = "DELETE FROM body_seats WHERE member_id = ?1",
	/* Bulk reads for the engine (store/scan.c). */
	[STMT_SCAN_ORGS] =
	    "SELECT o.id, coalesce(o.parent_id, 0), o.type, o.is_unit,"
	    " coalesce(o.system_id, 0), coalesce(b.ordinal, 0), o.name, o.code"
	    " FROM orgs o LEFT JOIN batches b ON b.id = o.batch_id"
	    " ORDER BY o.depth, o.id",
	[STMT_SCAN_MEMBERS] =
	    "SELECT id, coalesce(org_id, 0), name, categories,"
	    " coalesce(absence_months, 0) FROM members ORDER BY id",
	[STMT_SCAN_MOVEMENTS] =
	    "SELECT member_id, kind, on_date, coalesce(from_org_id, 0),"
	    " coalesce(to_org_id, 0) FROM movements"
	    " ORDER BY member_id, on_date, id",
	[STMT_SCAN_RECORDS] =
	    "SELECT id, kind, org_id, coalesce(member_id, 0), happened_on,"
	    " entered_at, coalesce(supersedes, 0), payload FROM records"
	    " ORDER BY id",
	[STMT_PLAN_INSERT] =
	    "INSERT INTO plans (installed_at, sha256, text)"
	    " VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
	[STMT_PLAN_CURRENT] = "SELECT text FROM plans ORDER BY id DESC LIMIT 1",
#define RECORD_COLS                                                            \
	"r.id, r.kind, r.org_id, coalesce(r.member_id, 0), r.happened_on,"     \
	" r.entered_at, coalesce(r.supersedes, 0), r.payload,"                 \
	" coalesce(r.entered_by, 0),"                                          \
	" coalesce((SELECT s.id FROM records s WHERE s.supersedes = r.id), "   \
	"0),"                                                                  \
	" coalesce(r.session_id, 0)"
	[STMT_RECORD_GET] =
	    "SELECT " RECORD_COLS " FROM records r WHERE r.id = ?1",
	/* ?1 kind or NULL, ?2 member or 0, ?3 subtree root or 0,
	 * ?4 current only, ?5 before id or 0, ?6 limit */
	[STMT_RECORDS_LIST] =
	    "SELECT " RECORD_COLS " FROM records r"
	    " WHERE (?1 IS NULL OR r.kind = ?1)"
	    " AND (?2 = 0 OR r.member_id = ?2)"
	    " AND (?3 = 0 OR r.org_id IN"
	    "  (SELECT descendant FROM org_tree WHERE ancestor = ?3))"
	    " AND (?4 = 0 OR NOT EXISTS"
	    "  (SELECT 1 FROM records s WHERE s.supersedes = r.id))"
	    " AND (?5 = 0 OR r.id < ?5)"
	    " ORDER BY r.id DESC LIMIT ?6",
	[STMT_MEMBER_DAY_HOURS] =
	    "SELECT coalesce(sum(CAST(round(json_extract(r.payload, '$.hours')"
	    " * 100) AS INTEGER)), 0) FROM records r"
	    " WHERE r.member_id = ?1 AND r.happened_on = ?2 AND r.id != ?3"
	    " AND r.kind = ?4"
	    " AND json_type(r.payload, '$.hours') IN ('integer', 'real')"
	    " AND coalesce(json_extract(r.payload, '$.voided'), 0) = 0"
	    " AND NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = "
	    "r.id)",
	[STMT_MEMBER_MOVES] =
	    "SELECT kind, on_date, coalesce(from_org_id, 0),"
	    " coalesce(to_org_id, 0) FROM movements WHERE member_id = ?1"
	    " ORDER BY on_date, id",
	[STMT_AUDIT_LAST_ID] = "SELECT coalesce(max(id), 0) FROM audit_log",
	[STMT_CAMPAIGN_FIRST] = "SELECT coalesce(min(id), 0) FROM campaigns",
	[STMT_MEMBER_ORG] =
	    "SELECT coalesce(org_id, 0) FROM members WHERE id = ?1",
	/* 转段 (store/workflow.c). One row per unit: a unit with no
	 * wf_units row is in the plan's first stage, version 0. ?1 the unit,
	 * NULL for all. */
	[STMT_WF_UNITS] =
	    "SELECT o.id, o.code, o.name, coalesce(o.system_id, 0),"
	    " coalesce(b.ordinal, 0), coalesce(w.stage, ''),"
	    " coalesce(w.state, 0), coalesce(w.entered_on, ''),"
	    " coalesce(w.version, 0), coalesce(w.override_reason, ''),"
	    " coalesce(w.override_by, 0),"
	    " coalesce((SELECT x.until FROM wf_extensions x"
	    "  WHERE x.unit_id = o.id AND x.stage = w.stage"
	    "  ORDER BY x.id DESC LIMIT 1), ''),"
	    " (SELECT count(*) FROM wf_remedies r WHERE r.unit_id = o.id"
	    "  AND r.done_at IS NULL),"
	    " coalesce((SELECT min(r.deadline) FROM wf_remedies r"
	    "  WHERE r.unit_id = o.id AND r.done_at IS NULL), ''),"
	    " coalesce((SELECT max(t.on_date) FROM wf_transitions t"
	    "  WHERE t.unit_id = o.id), '')"
	    " FROM orgs o LEFT JOIN batches b ON b.id = o.batch_id"
	    " LEFT JOIN wf_units w ON w.unit_id = o.id"
	    " WHERE o.is_unit = 1 AND (?1 IS NULL OR o.id = ?1) ORDER BY o.id",
	[STMT_WF_UNIT_INSERT] =
	    "INSERT INTO wf_units (unit_id, stage, state, entered_on,"
	    " override_reason, override_by, version, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	/* Optimistic concurrency: only the version that was read. */
	[STMT_WF_UNIT_UPDATE] =
	    "UPDATE wf_units SET stage = ?2, state = ?3, entered_on = ?4,"
	    " override_reason = ?5, override_by = ?6, version = version + 1,"
	    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE unit_id "
	    "= ?1 AND version = ?7",
	[STMT_WF_TRANSITION_INSERT] =
	    "INSERT INTO wf_transitions (unit_id, stage, from_state, to_state,"
	    " to_stage, action, actor_id, on_date, at, reason, details)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?9, ?10)",
	[STMT_WF_HISTORY] =
	    "SELECT t.id, t.unit_id, t.stage, t.from_state, t.to_state,"
	    " coalesce(t.to_stage, ''), t.action, coalesce(t.actor_id, 0),"
	    " coalesce(u.login, ''), coalesce(u.display_name, ''), t.on_date,"
	    " t.at, coalesce(t.reason, ''), t.details FROM wf_transitions t"
	    " LEFT JOIN users u ON u.id = t.actor_id"
	    " WHERE (?1 IS NULL OR t.unit_id = ?1) ORDER BY t.id",
	[STMT_WF_ANSWER_INSERT] =
	    "INSERT INTO wf_lookback (unit_id, stage, item, answer,"
	    " transition_id) VALUES (?1, ?2, ?3, ?4, ?5)",
	/* The newest answer to each look-back item. */
	[STMT_WF_ANSWERS] =
	    "SELECT a.item, a.answer, coalesce(t.actor_id, 0),"
	    " coalesce(u.login, ''), t.on_date, t.at FROM wf_lookback a"
	    " JOIN wf_transitions t ON t.id = a.transition_id"
	    " LEFT JOIN users u ON u.id = t.actor_id"
	    " WHERE a.unit_id = ?1 AND a.stage = ?2 AND a.id ="
	    " (SELECT max(b.id) FROM wf_lookback b WHERE b.unit_id = a.unit_id"
	    "  AND b.stage = a.stage AND b.item = a.item) ORDER BY a.id",
	[STMT_WF_REMEDY_INSERT] =
	    "INSERT INTO wf_remedies (unit_id, stage, text, deadline,"
	    " transition_id, finding_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[STMT_WF_REMEDY_DONE] =
	    "UPDATE wf_remedies SET done_at = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'), done_by = ?3,"
	    " done_on = ?4, evidence = ?5"
	    " WHERE id = ?1 AND unit_id = ?2 AND done_at IS NULL",
	[STMT_WF_REMEDY_STATE] = "SELECT done_at IS NOT NULL FROM wf_remedies"
	                         " WHERE id = ?1 AND unit_id = ?2",
	/* ?1 the unit (NULL: all), ?2 nonzero: open items only. */
	[STMT_WF_REMEDIES] =
	    "SELECT r.id, r.unit_id, r.stage, r.text, r.deadline,"
	    " r.transition_id, coalesce(r.finding_id, 0),"
	    " coalesce(r.done_at, ''), coalesce(r.done_by, 0),"
	    " coalesce(u.login, ''), coalesce(r.done_on, ''),"
	    " coalesce(r.evidence, '') FROM wf_remedies r"
	    " LEFT JOIN users u ON u.id = r.done_by"
	    " WHERE (?1 IS NULL OR r.unit_id = ?1)"
	    " AND (?2 = 0 OR r.done_at IS NULL) ORDER BY r.id",
	[STMT_WF_EXTENSION_INSERT] =
	    "INSERT INTO wf_extensions (unit_id, stage, until, reason,"
	    " transition_id) VALUES (?1, ?2, ?3, ?4, ?5)",
	[STMT_WF_STAGE_CHANGES] =
	    "SELECT unit_id, to_stage, on_date FROM wf_transitions"
	    " WHERE to_stage IS NOT NULL ORDER BY unit_id, id",
	/* 明查暗访 spot checks. */
	[STMT_SPOT_INSERT] =
	    "INSERT INTO spot_checks (stage, seed, per_system, batch,"
	    " on_date, at, actor_id) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?6)",
	[STMT_SPOT_UNIT_INSERT] =
	    "INSERT INTO spot_check_units (spot_check_id, unit_id,"
	    " system_id, position) VALUES (?1, ?2, ?3, ?4)",
	[STMT_SPOT_CHECKS] =
	    "SELECT s.id, s.stage, s.seed, s.per_system, coalesce(s.batch, 0),"
	    " s.on_date, s.at, coalesce(s.actor_id, 0), coalesce(u.login, '')"
	    " FROM spot_checks s LEFT JOIN users u ON u.id = s.actor_id"
	    " WHERE (?1 IS NULL OR s.id = ?1) ORDER BY s.id",
	[STMT_SPOT_UNITS] =
	    "SELECT c.unit_id, o.code, o.name, c.system_id,"
	    " coalesce(y.name, ''), c.position FROM spot_check_units c"
	    " JOIN orgs o ON o.id = c.unit_id"
	    " LEFT JOIN systems y ON y.id = c.system_id"
	    " WHERE c.spot_check_id = ?1 ORDER BY c.position",
	[STMT_SPOT_DRAWN] = "SELECT count(*) FROM spot_check_units"
	                    " WHERE spot_check_id = ?1 AND unit_id = ?2",
	[STMT_SPOT_FINDING_INSERT] =
	    "INSERT INTO spot_findings (spot_check_id, unit_id, mode, text,"
	    " remedy, on_date, at, actor_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?7)",
	[STMT_SPOT_FINDINGS] =
	    "SELECT f.id, f.spot_check_id, f.unit_id, o.code, o.name, f.mode,"
	    " f.text, f.remedy, f.on_date, f.at, coalesce(f.actor_id, 0),"
	    " coalesce(u.login, '') FROM spot_findings f"
	    " JOIN orgs o ON o.id = f.unit_id"
	    " LEFT JOIN users u ON u.id = f.actor_id"
	    " WHERE f.spot_check_id = ?1 ORDER BY f.id",
	/* 征求意见 (DOMAIN.md §6). ?1 user (0: the command line, which sees
	 * everything), ?2 role mask, then the statement's own. */
	[STMT_OPINION_INSERT] =
	    "INSERT INTO opinions (org_id, channel, target_kind, target_org_id,"
	    " target_member_id, home_org_id, anonymous, giver_name,"
	    " giver_contact, text, received_on, stage, entered_at,"
	    " entered_by, supersedes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	    " ?8, ?9, ?10, ?11, ?12, strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
	    " ?13, ?14)",
	[STMT_OPINION_STATE] =
	    "SELECT o.target_member_id IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM opinions c WHERE c.supersedes = o.id),"
	    " EXISTS (SELECT 1 FROM opinion_actions a WHERE"
	    "  a.opinion_id = o.id AND a.action = 'classify')"
	    " FROM opinions o WHERE o.id = ?1",
	[STMT_OPINION_ACTION_INSERT] =
	    "INSERT INTO opinion_actions (opinion_id, action, category,"
	    " dimension, note, on_date, at, actor_id) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?7)",
	[STMT_OPINION_VISIBLE] = "SELECT EXISTS (SELECT 1 FROM opinions o"
	                         " WHERE o.id = ?3 AND " OPINION_VISIBLE ")",
	/* ?3 organisation (0: any): its subtree; ?4 member (0: any). */
	[STMT_OPINIONS_LIST] =
	    "SELECT " OPINION_COLS " FROM opinions o WHERE " OPINION_VISIBLE
	    " AND NOT EXISTS (SELECT 1 FROM opinions c WHERE"
	    "  c.supersedes = o.id)"
	    " AND (?3 = 0 OR o.home_org_id IN (SELECT t.descendant FROM"
	    "  org_tree t WHERE t.ancestor = ?3))"
	    " AND (?4 = 0 OR o.target_member_id = ?4) ORDER BY o.id",
	/* 公布于众 (§6.5): an organisation's published opinions are shown to
	 * its members: every organisation above the user's own branch, and
	 * the 领导班子 (type 5) of those. */
	[STMT_OPINIONS_PUBLISHED] =
	    "SELECT " OPINION_COLS " FROM opinions o WHERE"
	    " EXISTS (SELECT 1 FROM users u JOIN members m"
	    "  ON m.id = u.member_id JOIN org_tree t"
	    "  ON t.descendant = m.org_id WHERE u.id = ?1"
	    "  AND (t.ancestor = o.target_org_id OR t.ancestor ="
	    "  (SELECT b.parent_id FROM orgs b WHERE b.id = o.target_org_id"
	    "  AND b.type = 5)))"
	    " AND EXISTS (SELECT 1 FROM opinion_actions a WHERE"
	    "  a.opinion_id = o.id AND a.action = 'publish')"
	    " AND NOT EXISTS (SELECT 1 FROM opinions c WHERE"
	    "  c.supersedes = o.id) ORDER BY o.id",
	/* Counts in the subtree of ?1, current opinions, per unit, channel,
	 * target kind and stage (seed 003's statistics). */
	/* ?1 subtree root or 0, ?2 kind, ?3 JSON path of the field, ?4 its
	 * value, ?5 member or 0: per member, the current records of kind
	 * whose field has that value (an escalation's count) */
	[STMT_MATCH_COUNTS] =
	    "SELECT r.member_id, m.name, count(*) FROM records r"
	    " JOIN members m ON m.id = r.member_id"
	    " WHERE r.kind = ?2 AND r.member_id IS NOT NULL"
	    " AND (?1 = 0 OR r.org_id IN"
	    "  (SELECT descendant FROM org_tree WHERE ancestor = ?1))"
	    " AND (?5 = 0 OR r.member_id = ?5)"
	    " AND json_extract(r.payload, ?3) = ?4"
	    " AND coalesce(json_extract(r.payload, '$.voided'), 0) = 0"
	    " AND NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = "
	    "r.id)"
	    " GROUP BY r.member_id ORDER BY count(*) DESC, r.member_id",
	/* 情况反映 of 党委（党组）成员 (members with a 领导班子 seat): ?1
	 * user (0: all) through the roles in mask ?2, ?3 only those not yet
	 * reviewed, ?4 kind, ?5 the item's value, ?6 one record or 0;
	 * oldest first */
	[STMT_REPORTS] =
	    "SELECT r.id, r.member_id, m.name, (SELECT s.title FROM body_seats "
	    "s"
	    "  WHERE s.member_id = r.member_id ORDER BY s.body_id LIMIT 1),"
	    " r.org_id, r.happened_on, r.payload,"
	    " coalesce(v.id, 0), coalesce(v.comment, ''),"
	    " coalesce(u.display_name, ''), coalesce(v.reviewed_on, '')"
	    " FROM records r JOIN members m ON m.id = r.member_id"
	    " LEFT JOIN report_reviews v ON v.record_id = r.id"
	    " LEFT JOIN users u ON u.id = v.reviewer_id"
	    " WHERE r.kind = ?4 AND json_extract(r.payload, '$.item') = ?5"
	    " AND EXISTS (SELECT 1 FROM body_seats s"
	    "  WHERE s.member_id = r.member_id)"
	    " AND coalesce(json_extract(r.payload, '$.voided'), 0) = 0"
	    " AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = "
	    "r.id)"
	    " AND (?3 = 0 OR v.id IS NULL) AND (?6 = 0 OR r.id = ?6)"
	    " AND (?1 = 0 OR EXISTS (SELECT 1 FROM scope_roots sr JOIN "
	    "org_tree t"
	    "  ON t.ancestor = sr.org_id WHERE sr.user_id = ?1"
	    "  AND ((?2 >> sr.role) & 1) AND t.descendant = r.org_id))"
	    " ORDER BY r.id LIMIT 1000",
	[STMT_REPORT_REVIEW_INSERT] =
	    "INSERT INTO report_reviews (record_id, reviewer_id, comment,"
	    " reviewed_on, at) VALUES (?1, ?2, ?3, ?4,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	[STMT_ORG_WITHIN] = "SELECT count(*) FROM org_tree"
	                    " WHERE ancestor = ?1 AND descendant = ?2",
	[STMT_OPINION_STATS] =
	    "SELECT x.unit, coalesce(u.name, ''), x.channel, x.target_kind,"
	    " x.stage, count(*), sum(x.classified), sum(x.published),"
	    " sum(x.fed) FROM (SELECT coalesce((SELECT a.ancestor FROM"
	    "  org_tree a JOIN orgs v ON v.id = a.ancestor AND v.is_unit = 1"
	    "  WHERE a.descendant = o.home_org_id ORDER BY a.distance"
	    "  LIMIT 1), 0) AS unit, o.channel, o.target_kind, o.stage,"
	    "  EXISTS (SELECT 1 FROM opinion_actions a WHERE a.opinion_id ="
	    "   o.id AND a.action = 'classify') AS classified,"
	    "  EXISTS (SELECT 1 FROM opinion_actions a WHERE a.opinion_id ="
	    "   o.id AND a.action = 'publish') AS published,"
	    "  EXISTS (SELECT 1 FROM opinion_actions a WHERE a.opinion_id ="
	    "   o.id AND a.action = 'feedback') AS fed"
	    "  FROM org_tree s JOIN opinions o ON o.home_org_id = s.descendant"
	    "  WHERE s.ancestor = ?1 AND NOT EXISTS (SELECT 1 FROM opinions c"
	    "  WHERE c.supersedes = o.id)) x LEFT JOIN orgs u ON u.id = x.unit"
	    " GROUP BY x.unit, x.channel, x.target_kind, x.stage"
	    " ORDER BY x.unit, x.channel, x.target_kind, x.stage",
	[STMT_MAX_IDS] = "SELECT coalesce((SELECT max(id) FROM orgs), 0),"
	                 " coalesce((SELECT max(id) FROM members), 0),"
	                 " coalesce((SELECT max(id) FROM records), 0)",
	[STMT_SCAN_RECORDS_AFTER] =
	    "SELECT id, kind, org_id, coalesce(member_id, 0), happened_on,"
	    " entered_at, coalesce(supersedes, 0), payload FROM records"
	    " WHERE id > ?1 ORDER BY id",
	[STMT_SNAPSHOT_HEAD] =
	    "SELECT format, schema_version, layout, last_record_id, nrec,"
	    " live, nslots, bytes, nchunks, digest FROM engine_snapshot"
	    " WHERE id = 1",
	[STMT_SNAPSHOT_HEAD_DELETE] = "DELETE FROM engine_snapshot",
	[STMT_SNAPSHOT_HEAD_INSERT] =
	    "INSERT INTO engine_snapshot (id, format, schema_version, layout,"
	    " last_record_id, nrec, live, nslots, bytes, nchunks, digest,"
	    " created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	[STMT_SNAPSHOT_CHUNKS_DELETE] = "DELETE FROM engine_snapshot_chunks",
	[STMT_SNAPSHOT_CHUNK_INSERT] =
	    "INSERT INTO engine_snapshot_chunks (seq, data) VALUES (?1, ?2)",
	[STMT_SNAPSHOT_CHUNKS] =
	    "SELECT seq, data FROM engine_snapshot_chunks ORDER BY seq",
};

/*
 * Forward-only migrations. A released migration is never edited; a change
 * is a new entry. Version 1 is the initial schema (issue 2): the tree of
 * organisations with its closure table, members, users, campaigns,
 * batches, 系统, append-only records and the audit log.
 */
const struct migration sqlite_migrations[] = {
	{ 1, "initial schema",
	  "CREATE TABLE schema_migrations ("
	  " version INTEGER PRIMARY KEY,"
	  " summary TEXT NOT NULL,"
	  " applied_at TEXT NOT NULL);"
	  "CREATE TABLE campaigns ("
	  " id INTEGER PRIMARY KEY,"
	  " name TEXT NOT NULL,"
	  " start_date TEXT NOT NULL,"
	  " end_date TEXT NOT NULL CHECK (end_date >= start_date),"
	  " created_at TEXT NOT NULL);"
	  "CREATE TABLE batches ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	  " ordinal INTEGER NOT NULL CHECK (ordinal BETWEEN 1 AND 9),"
	  " name TEXT NOT NULL,"
	  " start_date TEXT,"
	  " end_date TEXT,"
	  " UNIQUE (campaign_id, ordinal));"
	  "CREATE TABLE systems ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	  " name TEXT NOT NULL,"
	  " UNIQUE (campaign_id, name));"
	  "CREATE TABLE orgs ("
	  " id INTEGER PRIMARY KEY,"
	  " parent_id INTEGER REFERENCES orgs(id),"
	  " type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 5),"
	  " name TEXT NOT NULL,"
	  " code TEXT NOT NULL UNIQUE,"
	  " system_id INTEGER REFERENCES systems(id),"
	  " batch_id INTEGER REFERENCES batches(id),"
	  " is_unit INTEGER NOT NULL DEFAULT 0 CHECK (is_unit IN (0, 1)),"
	  " weak INTEGER NOT NULL DEFAULT 0 CHECK (weak IN (0, 1)),"
	  " depth INTEGER NOT NULL CHECK (depth >= 0),"
	  " created_at TEXT NOT NULL);"
	  "CREATE INDEX orgs_parent ON orgs (parent_id);"
	  "CREATE INDEX orgs_system ON orgs (system_id) WHERE is_unit = 1;"
	  /* Closure table: one row per (ancestor, descendant) pair, so a
	   * subtree is one indexed range scan, never recursion per row. */
	  "CREATE TABLE org_tree ("
	  " ancestor INTEGER NOT NULL REFERENCES orgs(id),"
	  " descendant INTEGER NOT NULL REFERENCES orgs(id),"
	  " distance INTEGER NOT NULL,"
	  " PRIMARY KEY (ancestor, descendant)) WITHOUT ROWID;"
	  "CREATE INDEX org_tree_descendant ON org_tree (descendant);"
	  "CREATE TABLE members ("
	  " id INTEGER PRIMARY KEY,"
	  " org_id INTEGER REFERENCES orgs(id),"
	  " name TEXT NOT NULL,"
	  " gender INTEGER NOT NULL CHECK (gender IN (0, 1)),"
	  " birth_date TEXT,"
	  " id_number TEXT UNIQUE,"
	  " phone TEXT,"
	  " joined_date TEXT,"
	  " status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),"
	  " categories INTEGER NOT NULL DEFAULT 0,"
	  " mobile_dest TEXT,"
	  " absence_start TEXT,"
	  " absence_months INTEGER,"
	  " created_at TEXT NOT NULL);"
	  "CREATE INDEX members_org ON members (org_id);"
	  "CREATE TABLE body_seats ("
	  " body_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " member_id INTEGER NOT NULL REFERENCES members(id),"
	  " title TEXT,"
	  " PRIMARY KEY (body_id, member_id)) WITHOUT ROWID;"
	  "CREATE TABLE users ("
	  " id INTEGER PRIMARY KEY,"
	  " login TEXT NOT NULL UNIQUE,"
	  " display_name TEXT NOT NULL,"
	  " password_hash TEXT,"
	  " member_id INTEGER REFERENCES members(id),"
	  " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	  " created_at TEXT NOT NULL);"
	  /* Records: append-only. happened_on is when the activity took
	   * place, entered_at when it was entered; a correction is a new row
	   * whose supersedes names the row it corrects (at most once). */
	  "CREATE TABLE records ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaigns(id),"
	  " kind TEXT NOT NULL,"
	  " org_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " member_id INTEGER REFERENCES members(id),"
	  " happened_on TEXT NOT NULL,"
	  " entered_at TEXT NOT NULL,"
	  " entered_by INTEGER REFERENCES users(id),"
	  " supersedes INTEGER UNIQUE REFERENCES records(id),"
	  " payload TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)));"
	  "CREATE INDEX records_org ON records (org_id, kind);"
	  "CREATE INDEX records_member ON records (member_id, kind);"
	  "CREATE TRIGGER records_no_update BEFORE UPDATE ON records"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: records'); END;"
	  "CREATE TRIGGER records_no_delete BEFORE DELETE ON records"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: records'); END;"
	  /* Audit log: append-only and hash-chained (store/audit.c). All
	   * hashes are lowercase hex; actor_id NULL is the command line. */
	  "CREATE TABLE audit_log ("
	  " id INTEGER PRIMARY KEY,"
	  " at TEXT NOT NULL,"
	  " actor_id INTEGER,"
	  " action TEXT NOT NULL,"
	  " object_type TEXT NOT NULL,"
	  " object_id INTEGER,"
	  " digest TEXT NOT NULL,"
	  " prev_hash TEXT NOT NULL,"
	  " hash TEXT NOT NULL);"
	  "CREATE INDEX audit_object ON audit_log (object_type, object_id);"
	  "CREATE INDEX audit_actor ON audit_log (actor_id);"
	  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: audit_log'); END;"
	  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: audit_log'); END;" },
	{ 2, "accounts: role grants, sessions, API tokens",
	  /* A grant binds a role to its scope: nothing (office), a 系统
	   * (supervisor) or an organisation (unit office, secretary). */
	  "CREATE TABLE grants ("
	  " id INTEGER PRIMARY KEY,"
	  " user_id INTEGER NOT NULL REFERENCES users(id),"
	  " role INTEGER NOT NULL CHECK (role BETWEEN 0 AND 4),"
	  " org_id INTEGER REFERENCES orgs(id),"
	  " system_id INTEGER REFERENCES systems(id),"
	  " created_at TEXT NOT NULL,"
	  " CHECK ((role = 1) = (system_id IS NOT NULL)),"
	  " CHECK ((role IN (2, 3)) = (org_id IS NOT NULL)));"
	  "CREATE UNIQUE INDEX grants_plain ON grants (user_id, role)"
	  " WHERE org_id IS NULL AND system_id IS NULL;"
	  "CREATE UNIQUE INDEX grants_system ON grants (user_id, system_id)"
	  " WHERE system_id IS NOT NULL;"
	  "CREATE UNIQUE INDEX grants_org ON grants (user_id, role, org_id)"
	  " WHERE org_id IS NOT NULL;"
	  /* The organisations each grant's scope is rooted at: one view
	   * serves both the per-object check and every scoped list, so a
	   * list and a check can never disagree. */
	  "CREATE VIEW scope_roots AS"
	  " SELECT g.user_id, g.role, o.id AS org_id FROM grants g"
	  "  JOIN orgs o ON o.parent_id IS NULL WHERE g.role = 0"
	  " UNION ALL"
	  " SELECT g.user_id, g.role, o.id FROM grants g"
	  "  JOIN orgs o ON o.system_id = g.system_id AND o.is_unit = 1"
	  "  WHERE g.role = 1"
	  " UNION ALL"
	  " SELECT g.user_id, g.role, g.org_id FROM grants g"
	  "  WHERE g.role IN (2, 3);"
	  /* Sessions and API tokens: only SHA-256 of the token is kept. */
	  "CREATE TABLE sessions ("
	  " id INTEGER PRIMARY KEY,"
	  " user_id INTEGER NOT NULL REFERENCES users(id),"
	  " token_hash TEXT NOT NULL UNIQUE,"
	  " csrf_token TEXT NOT NULL,"
	  " created_at INTEGER NOT NULL,"
	  " last_seen INTEGER NOT NULL,"
	  " expires_at INTEGER NOT NULL);"
	  "CREATE INDEX sessions_user ON sessions (user_id);"
	  "CREATE TABLE api_tokens ("
	  " id INTEGER PRIMARY KEY,"
	  " user_id INTEGER NOT NULL REFERENCES users(id),"
	  " name TEXT NOT NULL,"
	  " token_hash TEXT NOT NULL UNIQUE,"
	  " created_at TEXT NOT NULL,"
	  " revoked_at TEXT);" },
	{ 3, "registry: posts, contact arrangements, movements, secretaries",
	  /* 职务 (e.g. 支部书记), the 流动党员's contact arrangement, and the
	   * date a member left the campaign's organisations (转出, 去世). */
	  "ALTER TABLE members ADD COLUMN post TEXT;"
	  "ALTER TABLE members ADD COLUMN contact_arrangement TEXT;"
	  "ALTER TABLE members ADD COLUMN left_on TEXT;"
	  "CREATE INDEX members_lost ON members (categories)"
	  " WHERE left_on IS NULL;"
	  "ALTER TABLE orgs ADD COLUMN secretary_member_id INTEGER"
	  " REFERENCES members(id);"
	  /* Movements during a campaign, append-only like records: the
	   * engine counts a member only for the days they belong. kind:
	   * 0 转入 (transfer in), 1 转出 (out), 2 去世 (death), 3 调动
	   * (between branches). */
	  "CREATE TABLE movements ("
	  " id INTEGER PRIMARY KEY,"
	  " member_id INTEGER NOT NULL REFERENCES members(id),"
	  " kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),"
	  " on_date TEXT NOT NULL,"
	  " from_org_id INTEGER REFERENCES orgs(id),"
	  " to_org_id INTEGER REFERENCES orgs(id),"
	  " note TEXT,"
	  " entered_at TEXT NOT NULL);"
	  "CREATE INDEX movements_member ON movements (member_id, on_date);"
	  "CREATE TRIGGER movements_no_update BEFORE UPDATE ON movements"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: movements'); END;"
	  "CREATE TRIGGER movements_no_delete BEFORE DELETE ON movements"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: movements'); END;" },
	{ 4, "plans",
	  /* Plans (方案) as installed, append-only: the newest applies. */
	  "CREATE TABLE plans ("
	  " id INTEGER PRIMARY KEY,"
	  " installed_at TEXT NOT NULL,"
	  " sha256 TEXT NOT NULL,"
	  " text TEXT NOT NULL);"
	  "CREATE TRIGGER plans_no_update BEFORE UPDATE ON plans"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: plans'); END;"
	  "CREATE TRIGGER plans_no_delete BEFORE DELETE ON plans"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: plans'); END;" },
	{ 5,
	  "transitions (转段), look-back answers, 补课, extensions, spot "
	  "checks",
	  /* The current state of each unit's 转段 workflow (workflow.h):
	   * stage is the plan's stage id, state an enum wf_state.
	   * version grows by one with every change: a write names the
	   * version it read (optimistic concurrency). */
	  "CREATE TABLE wf_units ("
	  " unit_id INTEGER PRIMARY KEY REFERENCES orgs(id),"
	  " stage TEXT NOT NULL,"
	  " state INTEGER NOT NULL CHECK (state BETWEEN 0 AND 6),"
	  " entered_on TEXT,"
	  " override_reason TEXT,"
	  " override_by INTEGER REFERENCES users(id),"
	  " version INTEGER NOT NULL CHECK (version >= 1),"
	  " updated_at TEXT NOT NULL);"
	  "CREATE INDEX wf_units_state ON wf_units (state);"
	  /* Every step, append-only: who (NULL: the command line), on
	   * which day (on_date) and when entered (at), why, and the
	   * details as a JSON object. to_stage is set when the unit moves
	   * to another stage (the engine reads these). */
	  "CREATE TABLE wf_transitions ("
	  " id INTEGER PRIMARY KEY,"
	  " unit_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " stage TEXT NOT NULL,"
	  " from_state INTEGER NOT NULL,"
	  " to_state INTEGER NOT NULL,"
	  " to_stage TEXT,"
	  " action TEXT NOT NULL,"
	  " actor_id INTEGER REFERENCES users(id),"
	  " on_date TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " reason TEXT,"
	  " details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)));"
	  "CREATE INDEX wf_transitions_unit ON wf_transitions (unit_id, id);"
	  "CREATE TRIGGER wf_transitions_no_update BEFORE UPDATE ON"
	  " wf_transitions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: wf_transitions'); END;"
	  "CREATE TRIGGER wf_transitions_no_delete BEFORE DELETE ON"
	  " wf_transitions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: wf_transitions'); END;"
	  /* 回头看 answers, append-only: the newest per item applies. */
	  "CREATE TABLE wf_lookback ("
	  " id INTEGER PRIMARY KEY,"
	  " unit_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " stage TEXT NOT NULL,"
	  " item TEXT NOT NULL,"
	  " answer TEXT NOT NULL,"
	  " transition_id INTEGER NOT NULL REFERENCES wf_transitions(id));"
	  "CREATE INDEX wf_lookback_unit ON wf_lookback (unit_id, stage, item);"
	  "CREATE TRIGGER wf_lookback_no_update BEFORE UPDATE ON wf_lookback"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: wf_lookback'); END;"
	  "CREATE TRIGGER wf_lookback_no_delete BEFORE DELETE ON wf_lookback"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: wf_lookback'); END;"
	  /* 明查暗访: the draw (seed recorded, DOMAIN.md §5.1 step 5), the
	   * units drawn, and what was found at each. */
	  "CREATE TABLE spot_checks ("
	  " id INTEGER PRIMARY KEY,"
	  " stage TEXT NOT NULL,"
	  " seed INTEGER NOT NULL CHECK (seed >= 0),"
	  " per_system INTEGER NOT NULL CHECK (per_system BETWEEN 2 AND 4),"
	  " batch INTEGER,"
	  " on_date TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " actor_id INTEGER REFERENCES users(id));"
	  "CREATE TABLE spot_check_units ("
	  " spot_check_id INTEGER NOT NULL REFERENCES spot_checks(id),"
	  " unit_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " system_id INTEGER NOT NULL REFERENCES systems(id),"
	  " position INTEGER NOT NULL,"
	  " PRIMARY KEY (spot_check_id, unit_id)) WITHOUT ROWID;"
	  "CREATE TABLE spot_findings ("
	  " id INTEGER PRIMARY KEY,"
	  " spot_check_id INTEGER NOT NULL,"
	  " unit_id INTEGER NOT NULL,"
	  " mode TEXT NOT NULL CHECK (mode IN ('明查', '暗访')),"
	  " text TEXT NOT NULL,"
	  " remedy INTEGER NOT NULL DEFAULT 0 CHECK (remedy IN (0, 1)),"
	  " on_date TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " actor_id INTEGER REFERENCES users(id),"
	  " FOREIGN KEY (spot_check_id, unit_id)"
	  "  REFERENCES spot_check_units (spot_check_id, unit_id));"
	  "CREATE TRIGGER spot_checks_no_update BEFORE UPDATE ON spot_checks"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: spot_checks'); END;"
	  "CREATE TRIGGER spot_checks_no_delete BEFORE DELETE ON spot_checks"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: spot_checks'); END;"
	  "CREATE TRIGGER spot_units_no_update BEFORE UPDATE ON"
	  " spot_check_units BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: spot_check_units'); END;"
	  "CREATE TRIGGER spot_units_no_delete BEFORE DELETE ON"
	  " spot_check_units BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: spot_check_units'); END;"
	  "CREATE TRIGGER spot_findings_no_update BEFORE UPDATE ON"
	  " spot_findings BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: spot_findings'); END;"
	  "CREATE TRIGGER spot_findings_no_delete BEFORE DELETE ON"
	  " spot_findings BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: spot_findings'); END;"
	  /* 补课 items, ordered by an approval decision or a finding.
	   * Only the follow-up is ever written later, once: done_at,
	   * done_by, done_on (the day) and the evidence. */
	  "CREATE TABLE wf_remedies ("
	  " id INTEGER PRIMARY KEY,"
	  " unit_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " stage TEXT NOT NULL,"
	  " text TEXT NOT NULL,"
	  " deadline TEXT NOT NULL,"
	  " transition_id INTEGER NOT NULL REFERENCES wf_transitions(id),"
	  " finding_id INTEGER REFERENCES spot_findings(id),"
	  " done_at TEXT,"
	  " done_by INTEGER REFERENCES users(id),"
	  " done_on TEXT,"
	  " evidence TEXT,"
	  " CHECK ((done_at IS NULL) = (evidence IS NULL)));"
	  "CREATE INDEX wf_remedies_open ON wf_remedies (unit_id)"
	  " WHERE done_at IS NULL;"
	  "CREATE TRIGGER wf_remedies_done_once BEFORE UPDATE ON wf_remedies"
	  " WHEN OLD.done_at IS NOT NULL OR NEW.unit_id IS NOT OLD.unit_id"
	  " OR NEW.stage IS NOT OLD.stage OR NEW.text IS NOT OLD.text"
	  " OR NEW.deadline IS NOT OLD.deadline"
	  " OR NEW.transition_id IS NOT OLD.transition_id"
	  " OR NEW.finding_id IS NOT OLD.finding_id"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: wf_remedies'); END;"
	  "CREATE TRIGGER wf_remedies_no_delete BEFORE DELETE ON wf_remedies"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: wf_remedies'); END;"
	  /* Deadline extensions: a reason is required (时间服从质量). */
	  "CREATE TABLE wf_extensions ("
	  " id INTEGER PRIMARY KEY,"
	  " unit_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " stage TEXT NOT NULL,"
	  " until TEXT NOT NULL,"
	  " reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),"
	  " transition_id INTEGER NOT NULL REFERENCES wf_transitions(id));"
	  "CREATE INDEX wf_extensions_unit ON wf_extensions (unit_id, stage);"
	  "CREATE TRIGGER wf_extensions_no_update BEFORE UPDATE ON"
	  " wf_extensions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: wf_extensions'); END;"
	  "CREATE TRIGGER wf_extensions_no_delete BEFORE DELETE ON"
	  " wf_extensions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: wf_extensions'); END;" },
	{ 6,
	  "opinions (征求意见): items, classification, publication, feedback",
	  /* One opinion (DOMAIN.md §6): the organisation that solicited
	   * it, the channel (§6.2) and target (§6.3, enum opinion_target),
	   * the target organisation or member and the home organisation
	   * scope is decided by (the target, or the member's branch when
	   * entered). An anonymous opinion has no giver at all (§19).
	   * Append-only: a correction is a new row that supersedes. */
	  "CREATE TABLE opinions ("
	  " id INTEGER PRIMARY KEY,"
	  " org_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " channel INTEGER NOT NULL CHECK (channel BETWEEN 0 AND 7),"
	  " target_kind INTEGER NOT NULL CHECK (target_kind BETWEEN 0 AND 6),"
	  " target_org_id INTEGER REFERENCES orgs(id),"
	  " target_member_id INTEGER REFERENCES members(id),"
	  " home_org_id INTEGER NOT NULL REFERENCES orgs(id),"
	  " anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),"
	  " giver_name TEXT,"
	  " giver_contact TEXT,"
	  " text TEXT NOT NULL CHECK (length(trim(text)) > 0),"
	  " received_on TEXT NOT NULL,"
	  " stage INTEGER NOT NULL CHECK (stage IN (0, 1)),"
	  " entered_at TEXT NOT NULL,"
	  " entered_by INTEGER REFERENCES users(id),"
	  " supersedes INTEGER UNIQUE REFERENCES opinions(id),"
	  " CHECK ((target_org_id IS NULL) != (target_member_id IS NULL)),"
	  " CHECK (anonymous = 0 OR (giver_name IS NULL"
	  "  AND giver_contact IS NULL)),"
	  " CHECK (anonymous = 1 OR giver_name IS NOT NULL));"
	  "CREATE INDEX opinions_home ON opinions (home_org_id);"
	  "CREATE INDEX opinions_member ON opinions (target_member_id)"
	  " WHERE target_member_id IS NOT NULL;"
	  "CREATE TRIGGER opinions_no_update BEFORE UPDATE ON opinions"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: opinions'); END;"
	  "CREATE TRIGGER opinions_no_delete BEFORE DELETE ON opinions"
	  " BEGIN SELECT RAISE(ABORT, 'append-only: opinions'); END;"
	  /* What was done with an opinion, append-only: classified (the
	   * newest counts), published (公开) or fed back (反馈, A11), by
	   * whom (NULL: the command line) and on which day. */
	  "CREATE TABLE opinion_actions ("
	  " id INTEGER PRIMARY KEY,"
	  " opinion_id INTEGER NOT NULL REFERENCES opinions(id),"
	  " action TEXT NOT NULL CHECK (action IN ('classify', 'publish',"
	  "  'feedback')),"
	  " category INTEGER,"
	  " dimension INTEGER,"
	  " note TEXT,"
	  " on_date TEXT NOT NULL,"
	  " at TEXT NOT NULL,"
	  " actor_id INTEGER REFERENCES users(id),"
	  " CHECK ((action = 'classify') = (category IS NOT NULL)));"
	  "CREATE INDEX opinion_actions_opinion ON opinion_actions"
	  " (opinion_id, action);"
	  "CREATE TRIGGER opinion_actions_no_update BEFORE UPDATE ON"
	  " opinion_actions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: opinion_actions'); END;"
	  "CREATE TRIGGER opinion_actions_no_delete BEFORE DELETE ON"
	  " opinion_actions BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: opinion_actions'); END;" },
	{ 7, "engine snapshot: the evaluation engine's record columns, cached",
	  /* A saved copy of the engine's record columns (src/engine/
	   * snapshot.c), so that a rebuild reads the records up to
	   * last_record_id at disk speed and replays only the newer ones
	   * from records. Derived data, like an index: not a record of the
	   * campaign, not audited, replaced whole (at most one, id 1).
	   * layout is the digest of the plan's record layout it was made
	   * for, digest the BLAKE2b of its head and bytes; a snapshot that
	   * does not match is not used. */
	  "CREATE TABLE engine_snapshot ("
	  " id INTEGER PRIMARY KEY CHECK (id = 1),"
	  " format INTEGER NOT NULL,"
	  " schema_version INTEGER NOT NULL,"
	  " layout TEXT NOT NULL,"
	  " last_record_id INTEGER NOT NULL,"
	  " nrec INTEGER NOT NULL,"
	  " live INTEGER NOT NULL,"
	  " nslots INTEGER NOT NULL,"
	  " bytes INTEGER NOT NULL,"
	  " nchunks INTEGER NOT NULL,"
	  " digest TEXT NOT NULL,"
	  " created_at TEXT NOT NULL);"
	  "CREATE TABLE engine_snapshot_chunks ("
	  " seq INTEGER PRIMARY KEY,"
	  " data BLOB NOT NULL);" },
	/* Renumber freely at a merge: this entry depends on nothing after
	 * migration 1 and nothing depends on it. */
	{ 8, "study sessions: attendance records linked to their session",
	  /* A 集中学习 session is a record (kind study_session); the
	   * attendance and absence records entered with it name it
	   * (DOMAIN.md §17 A2: attendance per session). */
	  "ALTER TABLE records ADD COLUMN session_id INTEGER"
	  " REFERENCES records(id);"
	  "CREATE INDEX records_session ON records (session_id)"
	  " WHERE session_id IS NOT NULL;" },
	/* Renumber freely at a merge, like 8. */
	{ 9, "reviews of 情况反映 by the supervision group",
	  /* A 情况反映 (a service_card record) of a 党委（党组）成员 is
	   * reviewed by the supervision group (DOMAIN.md §13, 004
	   * 「单位党委（党组）成员撰写的情况反映要交市委督导组审查」):
	   * once, append-only, with who and when. */
	  "CREATE TABLE report_reviews ("
	  " id INTEGER PRIMARY KEY,"
	  " record_id INTEGER NOT NULL UNIQUE REFERENCES records(id),"
	  " reviewer_id INTEGER REFERENCES users(id),"
	  " comment TEXT NOT NULL CHECK (length(trim(comment)) > 0),"
	  " reviewed_on TEXT NOT NULL,"
	  " at TEXT NOT NULL);"
	  "CREATE TRIGGER report_reviews_no_update BEFORE UPDATE ON"
	  " report_reviews BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: report_reviews'); END;"
	  "CREATE TRIGGER report_reviews_no_delete BEFORE DELETE ON"
	  " report_reviews BEGIN"
	  " SELECT RAISE(ABORT, 'append-only: report_reviews'); END;" },
};

const int sqlite_migrations_count =
    (int)(sizeof(sqlite_migrations) / sizeof(sqlite_migrations[0]));
