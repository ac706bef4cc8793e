/*
 * A YAML document as a tree of nodes with their positions, built from
 * libyaml's event API. The tree is ours rather than libyaml's document
 * (yaml_parser_load) so that aliases can be refused before they are
 * expanded (a "billion laughs" file would otherwise make the checks walk
 * an exponential tree), nesting and node counts are bounded as the events
 * arrive, and each scalar keeps whether it was written plain.
 */
#include <string.h>
#include <yaml.h>

#include "internal.h"
#include "xianjiao/alloc.h"

/* libyaml's problems, in 简体中文. Anything not listed is reported as a
 * YAML syntax error at its position. */
static const struct {
	const char *en;
	const char *zh;
} yaml_problems[] = {
	{ "did not find expected key", "缩进不一致，或此处缺少“键:”" },
	{ "mapping values are not allowed in this context",
	  "此处不能出现“键: 值”（冒号后缺少空格、缺少引号或缩进有误）" },
	{ "could not find expected ':'", "缺少冒号“:”" },
	{ "found character that cannot start any token",
	  "出现了不能开始任何内容的字符（如制表符、@ 或 `）" },
	{ "found a tab character that violates indentation",
	  "缩进中不能使用制表符（Tab），请用空格" },
	{ "found a tab character where an indentation space is expected",
	  "缩进中不能使用制表符（Tab），请用空格" },
	{ "did not find expected ',' or ']'", "方括号列表缺少“,”或“]”" },
	{ "did not find expected ',' or '}'", "花括号映射缺少“,”或“}”" },
	{ "found unexpected end of stream",
	  "文件意外结束（引号或括号未闭合）" },
	{ "did not find expected node content", "此处缺少内容" },
	{ "did not find expected '-' indicator",
	  "列表项应以“- ”开头，且缩进一致" },
	{ "block sequence entries are not allowed in this context",
	  "此处不能出现列表项“- ”" },
	{ "mapping keys are not allowed in this context",
	  "此处不能出现映射的键" },
	{ "found unknown escape character", "双引号字符串中有未知的转义字符" },
	{ "found invalid Unicode character escape code",
	  "双引号字符串中有无效的 Unicode 转义" },
	{ "control characters are not allowed", "不允许出现控制字符" },
	{ "found undefined alias", "使用了未定义的别名" },
	{ "did not find expected <document start>",
	  "文档格式有误（缺少“---”或多出内容）" },
	{ "found unexpected ':'", "出现了多余的冒号“:”" },
	{ "found unexpected document indicator",
	  "字符串中出现了文档分隔符“---”或“...”" },
	{ "did not find expected comment or line break", "此处应为注释或换行" },
	{ "did not find expected whitespace or line break",
	  "此处应为空格或换行" },
	{ "found duplicate anchor; first occurrence", "锚点重复" },
	{ "did not find expected alphabetic or numeric character",
	  "锚点或别名的名称有误" },
};

static const char *problem_zh(const char *en)
{
	size_t i;

	if (en == NULL)
		return NULL;
	for (i = 0; i < sizeof(yaml_problems) / sizeof(yaml_problems[0]); i++)
		if (strcmp(en, yaml_problems[i].en) == 0)
			return yaml_problems[i].zh;
	return NULL;
}

static void syntax_problem(const yaml_parser_t *ps, const char *text,
                           size_t len, struct plan_problems *pp)
{
	const char *zh = problem_zh(ps->problem);
	int line, column;

	if (ps->error == YAML_MEMORY_ERROR) {
		probs_add(pp, 0, 0, "读取方案时内存不足");
		return;
	}
	if (ps->error == YAML_READER_ERROR) {
		/* the reader names a byte offset, not a mark */
		text_position(text, len, ps->problem_offset, &line, &column);
	} else {
		line = (int)ps->problem_mark.line + 1;
		column = (int)ps->problem_mark.column + 1;
	}
	if (zh != NULL)
		probs_add(pp, line, column, "YAML 语法错误：%s", zh);
	else
		probs_add(pp, line, column, "YAML 语法错误");
}

struct frame {
	struct ynode *node;
	struct ynode **kids;
	size_t n, alloc;
};

struct builder {
	struct ytree *t;
	struct plan_problems *pp;
	struct frame stack[PLAN_DEPTH_MAX];
	int depth;
	size_t nodes;
};

static struct ynode *node_new(struct builder *b, enum ynode_type type,
                              const yaml_mark_t *m)
{
	struct ynode *n = arena_calloc(&b->t->arena, 1, sizeof(*n));

	n->type = type;
	n->line = (int)m->line + 1;
	n->column = (int)m->column + 1;
	b->nodes++;
	return n;
}

static const char *copy_bytes(struct builder *b, const unsigned char *s,
                              size_t len)
{
	char *p = arena_alloc(&b->t->arena, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Attach a finished node to the open collection, or make it the root. */
static void attach(struct builder *b, struct ynode *n)
{
	struct frame *f;

	if (b->depth == 0) {
		b->t->root = n;
		return;
	}
	f = &b->stack[b->depth - 1];
	xgrow((void **)&f->kids, &f->alloc, f->n + 1, sizeof(*f->kids));
	f->kids[f->n++] = n;
}

static void close_frame(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	struct ynode *n = f->node;

	n->nkids = (int)f->n;
	if (f->n > 0) {
		n->kids = arena_calloc(&b->t->arena, f->n, sizeof(*n->kids));
		memcpy(n->kids, f->kids, f->n * sizeof(*n->kids));
	}
	free(f->kids);
	memset(f, 0, sizeof(*f));
	attach(b, n);
}

/* Handle one event: 1 to go on, 0 at the end of the stream, -1 to stop
 * (a problem was reported). */
static int on_event(struct builder *b, const yaml_event_t *ev, int *docs)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct ynode *n;

	if (b->nodes >= PLAN_NODES_MAX) {
		probs_add(b->pp, (int)m->line + 1, (int)m->column + 1,
		          "方案过大：超过 %d 个节点", PLAN_NODES_MAX);
		return -1;
	}
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			probs_add(b->pp, (int)m->line + 1, (int)m->column + 1,
			          "方案文件只能包含一个 YAML 文档");
			return -1;
		}
		return 1;
	case YAML_ALIAS_EVENT:
		/* what an alias stands for is not checked, so stop here */
		probs_add(b->pp, (int)m->line + 1, (int)m->column + 1,
		          "方案中不能使用别名（*名称），请直接写出内容");
		return -1;
	case YAML_SCALAR_EVENT:
		n = node_new(b, YN_SCALAR, m);
		n->len = ev->data.scalar.length;
		/* every byte: a "\0" escape is refused here rather than
		 * silently ending the string */
		n->text = copy_bytes(b, ev->data.scalar.value, n->len);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		           ev->data.scalar.tag == NULL;
		if (memchr(n->text, '\0', n->len) != NULL)
			probs_add(b->pp, n->line, n->column,
			          "文本中不能有空字符（\\0）");
		attach(b, n);
		return 1;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth == PLAN_DEPTH_MAX) {
			probs_add(b->pp, (int)m->line + 1, (int)m->column + 1,
			          "嵌套过深（最多 %d 层）", PLAN_DEPTH_MAX);
			return -1;
		}
		n = node_new(
		    b, ev->type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP,
		    m);
		b->stack[b->depth++].node = n;
		return 1;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		close_frame(b);
		return 1;
	default:
		return 1;
	}
}

int ytree_parse(struct ytree *t, const char *text, size_t len,
                struct plan_problems *pp)
{
	struct builder b;
	yaml_parser_t ps;
	yaml_event_t ev;
	int docs = 0, rc = 1;

	memset(t, 0, sizeof(*t));
	arena_init(&t->arena, 64 * 1024);
	memset(&b, 0, sizeof(b));
	b.t = t;
	b.pp = pp;
	if (!yaml_parser_initialize(&ps)) {
		probs_add(pp, 0, 0, "读取方案时内存不足");
		return -1;
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&ps, YAML_UTF8_ENCODING);
	while (rc > 0) {
		if (!yaml_parser_parse(&ps, &ev)) {
			syntax_problem(&ps, text, len, pp);
			rc = -1;
			break;
		}
		rc = on_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&ps);
	while (b.depth > 0)
		free(b.stack[--b.depth].kids);
	if (rc < 0)
		return -1;
	return 0;
}

void ytree_release(struct ytree *t)
{
	arena_release(&t->arena);
	t->root = NULL;
}

int ynode_is_null(const struct ynode *n)
{
	if (n->type != YN_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->text, "~") == 0 ||
	       strcmp(n->text, "null") == 0 || strcmp(n->text, "Null") == 0 ||
	       strcmp(n->text, "NULL") == 0;
}
