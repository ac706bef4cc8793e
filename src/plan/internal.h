/*
 * internal.h - the plan module's private parts: a YAML document as a tree
 * of nodes with their positions (yaml.c), the problem list (problem.c),
 * amounts (amount.c) and the checks that turn a tree into a struct plan
 * (check.c, check-req.c).
 */
#ifndef XJ_PLAN_INTERNAL_H
#define XJ_PLAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/arena.h"
#include "xianjiao/plan.h"

/* Limits on the file itself (SQLite-style: every size has a maximum). */
#define PLAN_FILE_MAX (1024 * 1024) /* bytes */
#define PLAN_DEPTH_MAX 16           /* nested collections */
#define PLAN_NODES_MAX 200000       /* scalars and collections */

/* --- problems (problem.c) ------------------------------------------------ */

/*
 * Add a problem at 1-based line:column (0:0 for the whole file). The list
 * is kept in file order; when it is full, a problem later in the file
 * than every kept one is dropped and `more` is set.
 */
void probs_add(struct plan_problems *pp, int line, int column, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* Line and column (1-based, columns in characters, as libyaml counts) of
 * byte offset off in valid UTF-8 text. */
void text_position(const char *text, size_t len, size_t off, int *line,
                   int *column);

/* Copy at most about max_bytes of s into buf (size >= max_bytes + 4),
 * never cutting a UTF-8 character, adding "…" when shortened. For quoting
 * what the user wrote in a message. */
const char *shorten(const char *s, char *buf, size_t max_bytes);

/* --- the YAML tree (yaml.c) ---------------------------------------------- */

enum ynode_type { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	enum ynode_type type;
	int line, column; /* 1-based, where the node starts */
	/* YN_SCALAR: the value, NUL-terminated (len bytes; a YAML escape
	 * may put a NUL inside, which the text checks refuse) */
	const char *text;
	size_t len;
	int plain; /* a plain scalar without a tag: may be a number, bool */
	/* YN_SEQ: the items; YN_MAP: key, value, key, value... */
	struct ynode **kids;
	int nkids;
};

struct ytree {
	struct arena arena; /* every node and string */
	struct ynode *root; /* NULL for an empty document */
};

/*
 * Parse valid UTF-8 text (one YAML document) into t. Syntax errors, an
 * alias, a second document or a limit exceeded are added to pp, and
 * there is then no tree to check (-1). Returns 0 when t->root is the
 * document (NULL if it is empty); a NUL inside a scalar is reported and
 * the tree is still returned.
 * ytree_release() frees t in every case.
 */
int ytree_parse(struct ytree *t, const char *text, size_t len,
                struct plan_problems *pp);
void ytree_release(struct ytree *t);

/* Nonzero for a null scalar: empty, ~, null (plain only). */
int ynode_is_null(const struct ynode *n);

/* --- amounts (amount.c) -------------------------------------------------- */

enum amount_form {
	AMOUNT_INT,      /* 40 */
	AMOUNT_DECIMAL,  /* 2.5 */
	AMOUNT_FRACTION, /* 2/3 */
	AMOUNT_PERCENT,  /* 70%, 66.67% */
};

enum amount_err {
	AMOUNT_OK,
	AMOUNT_SYNTAX,   /* not a number, fraction or percentage */
	AMOUNT_NEGATIVE, /* starts with a minus sign */
	AMOUNT_DECIMALS, /* more than two decimals */
	AMOUNT_TOO_BIG,  /* more than 12 integer digits, or a fraction
	                  * part over 10^9 */
	AMOUNT_ZERO_DEN, /* x/0 */
};

/* Parse an amount as a threshold or share is written; *out is reduced. */
enum amount_err amount_parse(const char *s, struct plan_ratio *out,
                             enum amount_form *form);

/* Reduce r (den > 0) by the greatest common divisor. */
void ratio_reduce(struct plan_ratio *r);

/* --- checks (check.c, check-req.c) --------------------------------------- */

/* State shared by the checks. Declarations that had a problem are kept
 * in the plan but marked bad here, so that a name referring to them does
 * not report a second problem for the same mistake. */
struct ck {
	struct plan *p;
	struct plan_problems *pp;
	unsigned char kind_bad[PLAN_KINDS_MAX];
	unsigned char field_bad[PLAN_KINDS_MAX][PLAN_FIELDS_MAX];
	/* the kind's field list had a problem: a field name not found in it
	 * may be one that was not declared because of that problem */
	unsigned char fields_bad[PLAN_KINDS_MAX];
	unsigned char stage_bad[PLAN_STAGES_MAX];
	const struct ynode *stage_after[PLAN_STAGES_MAX];
	int order_ok; /* the stage order was computed (no cycle) */
	/* per batch and stage: the window was read and is in order */
	unsigned char window_ok[PLAN_BATCHES_MAX][PLAN_STAGES_MAX];
	int batches_ok; /* every batch has every stage's window */
};

#define PROB(c, node, ...)                                                     \
	probs_add((c)->pp, (node)->line, (node)->column, __VA_ARGS__)

/* A mapping's accepted keys; a NULL name ends the table. */
struct ckey {
	const char *name;
	int required;
};

/*
 * Read mapping n described as what ("记录类型"): out[i] is the value of
 * keys[i] or NULL. Unknown and repeated keys and missing required ones
 * are reported. Returns 0 (reported) if n is not a mapping.
 */
int ck_map(struct ck *c, const struct ynode *n, const char *what,
           const struct ckey *keys, const struct ynode **out);

/* Scalar getters. v is the value node or NULL (key absent). They return
 * 1 when a value was read, 0 when absent or null (a problem if the key is
 * required, which ck_map has reported for absence), -1 after reporting a
 * problem. */
int ck_text(struct ck *c, const struct ynode *v, const char *key, char *buf,
            size_t size, int multiline);
int ck_id(struct ck *c, const struct ynode *v, const char *key, char *buf);
int ck_bool(struct ck *c, const struct ynode *v, const char *key, int *out);
int ck_int(struct ck *c, const struct ynode *v, const char *key, long min,
           long max, int *out);
/* One of names[0..n): *out is its index. */
int ck_choice(struct ck *c, const struct ynode *v, const char *key,
              const char *const *names, int n, int *out);
/* A sequence (a null value is an empty one). Returns 0 if v is absent or
 * null, -1 (reported) if it is not a sequence, 1 otherwise. */
int ck_seq(struct ck *c, const struct ynode *v, const char *key);
/* The field types' names in a plan, by enum plan_field_type. */
extern const char *const ck_field_types[FIELD_DATE + 1];

/* "列表" / "映射" / "文本" for messages. */
const char *ck_type_name(const struct ynode *v);

void ck_requirements(struct ck *c, const struct ynode *seq);

/* Check the whole tree into p (zeroed by the caller). */
void plan_check_tree(const struct ynode *root, struct plan *p,
                     struct plan_problems *pp);

/* A list of member categories as a MCAT_BIT mask (0 after a problem). */
uint32_t check_categories(struct ck *c, const struct ynode *v, const char *key);

#endif
