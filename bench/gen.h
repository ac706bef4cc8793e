/*
 * gen.h - the benchmark's deterministic campaign generator (issue 5).
 *
 * gen_new() lays out a campaign at one scale: the organisation tree, the
 * 系统, the members and their movements, all from one seed. gen_run()
 * then streams the records of stage 1 (学习动员) in the order they are
 * entered (by entry day), with corrections and withdrawals, to a sink.
 * The same seed gives the same stream every time, so the engine, the
 * SQLite file and PostgreSQL are fed the same data without ever holding
 * the records in memory.
 *
 * Ids are dense and start at 1: org ids, member ids, 系统 ids and record
 * ids (in entry order) are the ids the store gets too.
 */
#ifndef XJ_BENCH_GEN_H
#define XJ_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

/* The scales of issue 5. */
enum gen_scale {
	SCALE_CITY,       /* one city: 107 units, ~4k members */
	SCALE_PREFECTURE, /* one of the province's 14 cities: ~290k members */
	SCALE_PROVINCE,   /* ~4M members, ~200k organisations, ~100M records */
	SCALE_NATION,     /* a nation shard: see bench/README.md */
	SCALE__MAX
};

/* Returns -1 for an unknown name. */
int gen_scale_parse(const char *name);
const char *gen_scale_name(enum gen_scale s);

/* Record kinds of stage 1, ids as in plans/2005-xianjiao.yaml. */
enum gen_kind {
	GK_STUDY_ATTENDANCE,
	GK_SELF_STUDY,
	GK_STUDY_NOTES,
	GK_REFLECTION,
	GK_MAILED_MATERIALS,
	GK_CONTACT_ATTEMPT,
	GK_BADGE_CHECK,
	GK_SERVICE_CARD,
	GK_TALK,
	GK_MOBILISATION,
	GK_LECTURE,
	GK_DISCUSSION,
	GK_STUDY_COLUMN,
	GK_NOTES_EXHIBITION,
	GK_STUDY_EXCHANGE,
	GK_OPINION_EVENT,
	GK__MAX
};

#define GEN_FIELDS_MAX 4
#define GEN_VALUES_MAX 8

enum gen_ftype { GF_NUMBER, GF_ZISHU, GF_TEXT, GF_ENUM, GF_MEMBER };

struct gen_field {
	const char *name;
	enum gen_ftype type;
	const char *values[GEN_VALUES_MAX]; /* GF_ENUM, in the plan's order */
};

struct gen_kind_def {
	const char *id;
	int member_subject; /* member_id set; otherwise an org record */
	struct gen_field fields[GEN_FIELDS_MAX];
	int nfields;
};

extern const struct gen_kind_def gen_kinds[GK__MAX];

struct gen_org {
	int32_t parent; /* 0 for the root */
	uint8_t type;   /* enum org_type */
	uint8_t is_unit;
	uint8_t depth;  /* root 0 */
	int16_t system; /* on units (and below them); 0 above */
	int32_t unit;   /* index into units[] of its unit, -1 above units */
	int32_t first_member, nmembers; /* branches: their members */
};

struct gen_member {
	int32_t branch;       /* where the member starts */
	int32_t final_branch; /* after the movements */
	int32_t left_on;      /* 转出/去世 date (days), 0 if still here */
	int32_t move_on;      /* date of the movement, 0 if none */
	uint8_t move_kind;    /* enum movement_kind when move_on != 0 */
	uint8_t categories;   /* MCAT_BIT mask */
	uint8_t absence_months;
	uint8_t seat; /* 领导班子: 0 none, 1 书记, 2 副书记, 3 委员 */
	uint8_t female;
	int32_t birth, joined;
};

struct gen_unit {
	int32_t org, body;          /* the unit and its 领导班子 */
	int32_t branch0, nbranches; /* its branches: branches[branch0..] */
	int32_t first_member, nmembers;
	int16_t system;
	uint8_t diligence;   /* 0 diligent, 1 average, 2 slack */
	int32_t study_start; /* first day of its closed study */
};

struct gen {
	enum gen_scale scale;
	uint64_t seed;
	int32_t stage_start, stage_end; /* learn, batch 1 */
	struct gen_org *orgs;           /* [1..norgs] */
	int32_t norgs;
	struct gen_member *members; /* [1..nmembers] */
	int32_t nmembers;
	struct gen_unit *units; /* [0..nunits) */
	int32_t nunits;
	int32_t *branches; /* branch org ids, grouped by unit */
	int32_t nbranches;
	int32_t nsystems;
	int32_t nlocalities;
	int64_t nrecords; /* set by gen_run */
	int64_t nmovements;
};

/* What gen_run() emits. Values are in the units of eng_record: NUMBER and
 * ZISHU in hundredths, ENUM the value's position, MEMBER the id; -1 when
 * absent. TEXT fields are in t[] (NULL when absent). */
struct gen_rec {
	int64_t id;
	enum gen_kind kind;
	int32_t org, member; /* member 0 for org records */
	int32_t happened, entered;
	int entered_sec; /* second of the entry day (UTC), for entered_at */
	int64_t supersedes;
	int voided;
	int64_t v[GEN_FIELDS_MAX];
	const char *t[GEN_FIELDS_MAX];
};

struct gen_move {
	int32_t member;
	int kind; /* enum movement_kind */
	int32_t on;
	int32_t from_org, to_org; /* to_org 0 for 转出/去世 */
};

/* Each returns 0 to go on; anything else stops gen_run with that value. */
struct gen_sink {
	void *ctx;
	int (*record)(void *ctx, const struct gen_rec *r);
	int (*movement)(void *ctx, const struct gen_move *mv);
};

struct gen *gen_new(enum gen_scale scale, uint64_t seed);
void gen_free(struct gen *g);
/* Stream every record and movement in entry order; returns the first
 * nonzero sink return, or 0. */
int gen_run(struct gen *g, const struct gen_sink *sink);

/* Names, codes and ID numbers, made on demand into buf. */
void gen_org_name(const struct gen *g, int32_t id, char *buf, size_t size);
void gen_org_code(const struct gen *g, int32_t id, char *buf, size_t size);
void gen_member_name(const struct gen *g, int32_t id, char *buf, size_t size);
void gen_member_idnum(const struct gen *g, int32_t id, char *buf19);
const char *gen_system_name(int32_t id, char *buf, size_t size);

/* A record's payload as JSON into buf (NUL-terminated); returns the
 * length, or -1 when it does not fit. */
int gen_payload_json(const struct gen_rec *r, char *buf, size_t size);

#endif
