/*
 * xlsx.c - reading the first worksheet of an XLSX file (ECMA-376, Office
 * Open XML SpreadsheetML) with libzip and expat.
 *
 * The sheet is found as Excel finds it (ECMA-376 Part 2, §9: package
 * relationships): _rels/.rels names the workbook part (normally
 * xl/workbook.xml); the workbook lists its sheets in order, each by a
 * relationship id, which the workbook's own relationships part
 * (xl/_rels/workbook.xml.rels) maps to a part name. The first sheet whose
 * relationship is a worksheet (not a chartsheet) is read. Only if the
 * workbook has no relationships part is xl/worksheets/sheet1.xml assumed.
 *
 * Every part is checked against max_part_bytes by its size in the zip's
 * directory before anything is inflated, and never more than that many
 * bytes are inflated (a zip bomb stops at the limit). Element names are
 * matched without their namespace prefix, since writers differ in the
 * prefixes they use; a DOCTYPE is refused, so there are no entities to
 * expand.
 */
#include <expat.h>
#include <stdint.h>
#include <string.h>
#include <zip.h>

#include "xianjiao/alloc.h"
#include "xianjiao/arena.h"
#include "xianjiao/strbuf.h"

#include "internal.h"

#define XLSX_MAX_ROW 1048576L /* Excel's limits (1,048,576 × XFD) */
#define XLSX_MAX_COL 16384L

static const char corrupt[] = "不是有效的 XLSX 文件（压缩包损坏）";

struct rel {
	const char *id, *type, *target;
	int external;
};

struct sst_entry {
	const char *s;
	size_t len;
};

struct xlsx {
	struct tb *b;
	zip_t *za;
	struct arena scratch; /* relationship data, shared strings */

	const char **sheet_ids; /* r:id of each sheet, in workbook order */
	size_t nsheets, sheets_alloc;
	struct rel *rels;
	size_t nrels, rels_alloc;
	struct sst_entry *sst;
	size_t nsst, sst_alloc;
};

/* One XML part being parsed. */
struct xml {
	struct xlsx *x;
	XML_Parser p;
	const char *part;
	enum xj_err rc; /* set by a handler, which then stops the parser */
	struct strbuf text;
	int collect; /* character data goes to text */

	/* sharedStrings.xml */
	int in_si, rph;
	/* the worksheet */
	int in_data, in_row, in_c, in_is;
	long row, last_row, stored_row, col, last_col;
	char type[16];
};

/* The local part of an element or attribute name: "x:c" → "c". */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c != NULL ? c + 1 : name;
}

/* An unqualified attribute, as SpreadsheetML's own attributes are (an
 * extension's "x14ac:r" is not "r"). */
static const char *attr(const char **atts, const char *name)
{
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* The relationship id of <sheet>: r:id, under whatever prefix. */
static const char *attr_rid(const char **atts)
{
	size_t i;

	for (i = 0; atts[i] != NULL; i += 2)
		if (strchr(atts[i], ':') != NULL &&
		    strcmp(local(atts[i]), "id") == 0)
			return atts[i + 1];
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

static void xml_stop(struct xml *m, enum xj_err rc)
{
	m->rc = rc;
	XML_StopParser(m->p, XML_FALSE);
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct xml *m = data;

	if (m->rc != XJ_OK || !m->collect)
		return;
	if (strbuf_add(&m->text, s, (size_t)len) != XJ_OK) {
		char max[32];

		table_format_size(max, sizeof(max), m->text.max);
		xml_stop(m, xj_error_set(m->x->b->err, XJ_ETOOLARGE,
		                         "XLSX 文件中 %s 的一段文本超过上限 %s",
		                         m->part, max));
	}
}

static void XMLCALL on_doctype(void *data, const XML_Char *name,
                               const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
	struct xml *m = data;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xml_stop(m, xj_error_set(m->x->b->err, XJ_EINVAL,
	                         "不是有效的 XLSX 文件（%s 含有 DTD 声明）",
	                         m->part));
}

static void xml_init(struct xml *m, struct xlsx *x, const char *part)
{
	memset(m, 0, sizeof(*m));
	m->x = x;
	m->part = part;
	strbuf_init(&m->text, x->b->lim->max_part_bytes);
}

/* Parse buf[0..len), the part m->part, with the given handlers. */
static enum xj_err xml_run(struct xml *m, const char *buf, size_t len,
                           XML_StartElementHandler start,
                           XML_EndElementHandler end)
{
	struct xj_error *err = m->x->b->err;
	size_t off = 0, n;
	enum xj_err rc = XJ_OK;
	int final;

	m->p = XML_ParserCreate(NULL);
	if (m->p == NULL)
		return xj_error_set(err, XJ_EINTERNAL, "无法创建 XML 解析器");
	XML_SetUserData(m->p, m);
	XML_SetElementHandler(m->p, start, end);
	XML_SetCharacterDataHandler(m->p, on_text);
	XML_SetStartDoctypeDeclHandler(m->p, on_doctype);
	do {
		/* XML_Parse takes an int length. */
		n = len - off < (1u << 20) ? len - off : (1u << 20);
		final = off + n == len;
		if (XML_Parse(m->p, buf + off, (int)n, final) !=
		    XML_STATUS_OK) {
			if (m->rc != XJ_OK)
				rc = m->rc;
			else
				rc = xj_error_set(
				    err, XJ_EINVAL,
				    "不是有效的 XLSX 文件（%s 第 %lu 行 XML "
				    "格式错误：%s）",
				    m->part,
				    (unsigned long)XML_GetCurrentLineNumber(
				        m->p),
				    XML_ErrorString(XML_GetErrorCode(m->p)));
			break;
		}
		off += n;
	} while (!final);
	if (rc == XJ_OK)
		rc = m->rc;
	XML_ParserFree(m->p);
	m->p = NULL;
	strbuf_release(&m->text);
	return rc;
}

/*
 * Read the part called name into a malloc'd buffer. A missing part
 * leaves *buf NULL and is an error only if required.
 */
static enum xj_err part_read(struct xlsx *x, const char *name, int required,
                             char **buf, size_t *len)
{
	struct xj_error *err = x->b->err;
	char have[32], max[32];
	zip_stat_t st;
	zip_file_t *zf = NULL;
	zip_int64_t idx, n;
	size_t got = 0;
	char extra;
	enum xj_err rc = XJ_OK;

	*buf = NULL;
	*len = 0;
	idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return XJ_OK;
		return xj_error_set(err, XJ_EINVAL,
		                    "不是有效的 XLSX 文件（缺少 %s）", name);
	}
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE))
		return xj_error_set(err, XJ_EINVAL, "%s：无法读取 %s", corrupt,
		                    name);
	/* The size the directory states is checked before inflating;
	 * reading stops there, whatever the data would inflate to. */
	if (st.size > x->b->lim->max_part_bytes) {
		table_format_size(have, sizeof(have), (size_t)st.size);
		table_format_size(max, sizeof(max), x->b->lim->max_part_bytes);
		return xj_error_set(err, XJ_ETOOLARGE,
		                    "XLSX 文件中的 %s 解压后为 %s，超过上限 %s",
		                    name, have, max);
	}
	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (zf == NULL)
		return xj_error_set(err, XJ_EINVAL, "%s：无法解压 %s", corrupt,
		                    name);
	*buf = xmalloc((size_t)st.size + 1);
	while (got < st.size) {
		n = zip_fread(zf, *buf + got, st.size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	/* One more byte must be the end: that also makes libzip check
	 * the CRC, and finds data longer than its stated size. */
	if (got != st.size || zip_fread(zf, &extra, 1) != 0)
		rc = xj_error_set(err, XJ_EINVAL, "%s：无法解压 %s", corrupt,
		                  name);
	if (zip_fclose(zf) != 0 && rc == XJ_OK)
		rc = xj_error_set(err, XJ_EINVAL, "%s：无法解压 %s", corrupt,
		                  name);
	if (rc != XJ_OK) {
		free(*buf);
		*buf = NULL;
		return rc;
	}
	(*buf)[got] = '\0';
	*len = got;
	return XJ_OK;
}

/* Read and parse a part; a missing optional part sets *found to 0. */
static enum xj_err part_parse(struct xlsx *x, struct xml *m, const char *name,
                              int required, int *found,
                              XML_StartElementHandler start,
                              XML_EndElementHandler end)
{
	char *buf;
	size_t len;
	enum xj_err rc;

	rc = part_read(x, name, required, &buf, &len);
	if (found != NULL)
		*found = buf != NULL;
	if (rc != XJ_OK || buf == NULL)
		return rc;
	m->part = name;
	rc = xml_run(m, buf, len, start, end);
	free(buf);
	return rc;
}

/* ---- relationships: _rels/.rels, xl/_rels/workbook.xml.rels ---- */

static void XMLCALL rels_start(void *data, const XML_Char *name,
                               const XML_Char **atts)
{
	struct xml *m = data;
	struct xlsx *x = m->x;
	const char *id, *type, *target, *mode;
	struct rel *r;

	if (m->rc != XJ_OK || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	mode = attr(atts, "TargetMode");
	if (id == NULL || type == NULL || target == NULL)
		return;
	xgrow((void **)&x->rels, &x->rels_alloc, x->nrels + 1,
	      sizeof(*x->rels));
	r = &x->rels[x->nrels++];
	r->id = arena_strdup(&x->scratch, id);
	r->type = arena_strdup(&x->scratch, type);
	r->target = arena_strdup(&x->scratch, target);
	r->external = mode != NULL && strcmp(mode, "External") == 0;
}

static void XMLCALL no_end(void *data, const XML_Char *name)
{
	(void)data;
	(void)name;
}

/*
 * The part a relationship target names, relative to the directory dir
 * ("" or ending in '/') of the part the relationships belong to, or
 * absolute when it starts with '/' (ECMA-376 Part 2, §9.3). "." and ".."
 * segments are resolved; ".." never climbs above the package root.
 */
static char *resolve(struct arena *a, const char *dir, const char *target)
{
	size_t dlen = target[0] == '/' ? 0 : strlen(dir);
	size_t tlen = strlen(target), o = 0, i = 0, seg;
	char *in = arena_alloc(a, dlen + tlen + 1);
	char *out = arena_alloc(a, dlen + tlen + 1);

	memcpy(in, dir, dlen);
	memcpy(in + dlen, target, tlen + 1);
	while (in[i] != '\0') {
		while (in[i] == '/')
			i++;
		seg = strcspn(in + i, "/");
		if (seg == 0)
			break;
		if (seg == 1 && in[i] == '.') {
			/* nothing */
		} else if (seg == 2 && in[i] == '.' && in[i + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			while (o > 0 && out[o - 1] != '/')
				o--;
		} else {
			memcpy(out + o, in + i, seg);
			o += seg;
			if (in[i + seg] == '/')
				out[o++] = '/';
		}
		i += seg;
	}
	out[o] = '\0';
	return out;
}

/* "xl/workbook.xml" → dir "xl/", rels "xl/_rels/workbook.xml.rels". */
static void part_dir_rels(struct arena *a, const char *part, char **dir,
                          char **rels)
{
	const char *slash = strrchr(part, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - part) + 1 : 0;
	size_t blen = strlen(part + dlen);

	*dir = arena_strndup(a, part, dlen);
	*rels = arena_alloc(a, dlen + blen + sizeof("_rels/.rels"));
	memcpy(*rels, part, dlen);
	memcpy(*rels + dlen, "_rels/", 6);
	memcpy(*rels + dlen + 6, part + dlen, blen);
	memcpy(*rels + dlen + 6 + blen, ".rels", 6);
}

static const struct rel *rel_by_type(const struct xlsx *x, const char *type)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (!x->rels[i].external && ends_with(x->rels[i].type, type))
			return &x->rels[i];
	return NULL;
}

static const struct rel *rel_by_id(const struct xlsx *x, const char *id)
{
	size_t i;

	for (i = 0; i < x->nrels; i++)
		if (strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

/* ---- xl/workbook.xml ---- */

static void XMLCALL workbook_start(void *data, const XML_Char *name,
                                   const XML_Char **atts)
{
	struct xml *m = data;
	struct xlsx *x = m->x;
	const char *rid;

	if (m->rc != XJ_OK || strcmp(local(name), "sheet") != 0)
		return;
	rid = attr_rid(atts);
	if (rid == NULL)
		return;
	xgrow((void **)&x->sheet_ids, &x->sheets_alloc, x->nsheets + 1,
	      sizeof(*x->sheet_ids));
	x->sheet_ids[x->nsheets++] = arena_strdup(&x->scratch, rid);
}

/* ---- text of strings: xl/sharedStrings.xml and inline strings ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Undo ST_Xstring escaping (ECMA-376 Part 1, §22.9.2.19) in place: a
 * character XML cannot carry, such as CR, is written "_x000D_", and a
 * literal "_x" that would look like one is written "_x005F_x". An escape
 * of NUL or of half a surrogate pair is left as it is.
 */
static size_t xstring_unescape(char *s, size_t len)
{
	size_t i = 0, o = 0, k;
	unsigned cp;
	int h;

	while (i < len) {
		if (s[i] == '_' && len - i >= 7 && s[i + 1] == 'x' &&
		    s[i + 6] == '_') {
			cp = 0;
			for (k = 2; k < 6; k++) {
				h = hexval(s[i + k]);
				if (h < 0)
					break;
				cp = cp * 16 + (unsigned)h;
			}
			if (k == 6 && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
				/* At most 3 bytes of UTF-8 for 7 read. */
				if (cp < 0x80) {
					s[o++] = (char)cp;
				} else if (cp < 0x800) {
					s[o++] = (char)(0xC0 | (cp >> 6));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else {
					s[o++] = (char)(0xE0 | (cp >> 12));
					s[o++] =
					    (char)(0x80 | ((cp >> 6) & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	return o;
}

/*
 * <sst><si>...</si>...</sst>: each <si> is one string, either <t> or rich
 * text runs <r><t>..</t></r> concatenated; <rPh> (phonetic guide runs)
 * are not part of the text.
 */
static void XMLCALL sst_start(void *data, const XML_Char *name,
                              const XML_Char **atts)
{
	struct xml *m = data;
	const char *n = local(name);

	(void)atts;
	if (m->rc != XJ_OK)
		return;
	if (strcmp(n, "si") == 0) {
		m->in_si = 1;
		m->rph = 0;
		strbuf_reset(&m->text);
	} else if (strcmp(n, "rPh") == 0) {
		m->rph++;
	} else if (strcmp(n, "t") == 0 && m->in_si && m->rph == 0) {
		m->collect = 1;
	}
}

static void XMLCALL sst_end(void *data, const XML_Char *name)
{
	struct xml *m = data;
	struct xlsx *x = m->x;
	const char *n = local(name);
	struct sst_entry *e;
	size_t len;

	if (m->rc != XJ_OK)
		return;
	if (strcmp(n, "t") == 0) {
		m->collect = 0;
	} else if (strcmp(n, "rPh") == 0) {
		if (m->rph > 0)
			m->rph--;
	} else if (strcmp(n, "si") == 0 && m->in_si) {
		m->in_si = 0;
		len = xstring_unescape(m->text.buf, m->text.len);
		xgrow((void **)&x->sst, &x->sst_alloc, x->nsst + 1,
		      sizeof(*x->sst));
		e = &x->sst[x->nsst++];
		e->s = arena_strndup(&x->scratch, m->text.buf, len);
		e->len = len;
		strbuf_reset(&m->text);
	}
}

/* ---- the worksheet ---- */

/* A bad value quoted in a message: at most 20 bytes of it, never cut
 * inside a UTF-8 character. */
static const char *clip(char buf[32], const char *s)
{
	size_t n = strlen(s);

	if (n > 20) {
		n = 20;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* A whole string of digits as a number in [1, max]; -1 if not. */
static long parse_num(const char *s, long max)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	return v >= 1 ? v : -1;
}

/* "B5" → column 2, row 5 (both 1-based); -1 if not a cell reference. */
static int parse_ref(const char *s, long *col, long *row)
{
	long c = 0;
	int n = 0;

	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++n > 3)
			return -1;
		c = c * 26 + ((*s | 0x20) - 'a' + 1);
	}
	if (n == 0 || c > XLSX_MAX_COL)
		return -1;
	*row = parse_num(s, XLSX_MAX_ROW);
	if (*row < 0)
		return -1;
	*col = c;
	return 0;
}

static void row_start(struct xml *m, const XML_Char **atts)
{
	struct tb *b = m->x->b;
	const char *r = attr(atts, "r");
	long row = m->last_row + 1;
	char bad[32];

	if (r != NULL) {
		row = parse_num(r, XLSX_MAX_ROW);
		if (row < 0) {
			xml_stop(m, tb_fail(b, XJ_EINVAL, 0, 0,
			                    "不是有效的 XLSX 文件（行号“%s”"
			                    "无效）",
			                    clip(bad, r)));
			return;
		}
	}
	if (row <= m->last_row || row > XLSX_MAX_ROW) {
		xml_stop(m, tb_fail(b, XJ_EINVAL, row, 0,
		                    "不是有效的 XLSX 文件（行的顺序错乱）"));
		return;
	}
	m->row = m->last_row = row;
	m->last_col = 0;
	m->in_row = 1;
}

static void cell_start(struct xml *m, const XML_Char **atts)
{
	struct tb *b = m->x->b;
	const char *r = attr(atts, "r"), *t = attr(atts, "t");
	long col = m->last_col + 1, row = m->row;
	char bad[32];

	if (!m->in_row) {
		xml_stop(m, tb_fail(b, XJ_EINVAL, 0, 0,
		                    "不是有效的 XLSX 文件（单元格不在行内）"));
		return;
	}
	if (r != NULL && parse_ref(r, &col, &row) != 0) {
		xml_stop(m, tb_fail(b, XJ_EINVAL, m->row, 0,
		                    "不是有效的 XLSX 文件（单元格位置“%s”"
		                    "无效）",
		                    clip(bad, r)));
		return;
	}
	if (row != m->row || col <= m->last_col || col > XLSX_MAX_COL) {
		xml_stop(m, tb_fail(b, XJ_EINVAL, m->row, 0,
		                    "不是有效的 XLSX 文件（单元格的位置或顺序"
		                    "错乱）"));
		return;
	}
	if (t == NULL)
		t = "n";
	if (strlen(t) >= sizeof(m->type)) {
		xml_stop(m,
		         tb_fail(b, XJ_EINVAL, row, col,
		                 "不是有效的 XLSX 文件（未知的单元格类型）"));
		return;
	}
	memcpy(m->type, t, strlen(t) + 1);
	m->col = m->last_col = col;
	m->in_c = 1;
	m->in_is = 0;
	m->rph = 0;
	strbuf_reset(&m->text);
}

/* The text of the cell that just ended, by its type (ECMA-376 Part 1,
 * §18.18.11 ST_CellType). */
static void cell_end(struct xml *m)
{
	struct xlsx *x = m->x;
	struct tb *b = x->b;
	const char *v = m->text.buf;
	size_t len = m->text.len;
	enum xj_err rc;
	char bad[32];
	long i, k;

	m->in_c = 0;
	if (len == 0)
		return; /* no value: an empty (perhaps formatted) cell */
	if (strcmp(m->type, "s") == 0) {
		i = strcmp(v, "0") == 0 ? 0 : parse_num(v, 1000000000L);
		if (i < 0) {
			xml_stop(m, tb_fail(b, XJ_EINVAL, m->row, m->col,
			                    "共享字符串编号“%s”无效",
			                    clip(bad, v)));
			return;
		}
		if ((size_t)i >= x->nsst) {
			xml_stop(
			    m, tb_fail(b, XJ_EINVAL, m->row, m->col,
			               "共享字符串编号 %ld 超出范围（文件中共 "
			               "%zu 个共享字符串），文件可能已损坏",
			               i, x->nsst));
			return;
		}
		v = x->sst[i].s;
		len = x->sst[i].len;
	} else if (strcmp(m->type, "inlineStr") == 0 ||
	           strcmp(m->type, "str") == 0) {
		len = xstring_unescape(m->text.buf, len);
	} else if (strcmp(m->type, "b") == 0) {
		if (strcmp(v, "1") == 0) {
			v = "TRUE";
		} else if (strcmp(v, "0") == 0) {
			v = "FALSE";
		} else {
			xml_stop(m, tb_fail(b, XJ_EINVAL, m->row, m->col,
			                    "布尔值“%s”无效", clip(bad, v)));
			return;
		}
		len = strlen(v);
	} else if (strcmp(m->type, "n") != 0 && strcmp(m->type, "e") != 0 &&
	           strcmp(m->type, "d") != 0) {
		xml_stop(m,
		         tb_fail(b, XJ_EINVAL, m->row, m->col,
		                 "不是有效的 XLSX 文件（未知的单元格类型“%s”）",
		                 m->type));
		return;
	}
	if (len == 0)
		return;
	/* Rows up to this one exist, the empty ones as rows of "". */
	for (k = m->stored_row + 1; k <= m->row; k++)
		tb_row(b, k);
	if (m->stored_row < m->row)
		m->stored_row = m->row;
	rc = tb_cell(b, (size_t)m->col - 1, v, len);
	if (rc != XJ_OK)
		xml_stop(m, rc);
}

static void XMLCALL sheet_start(void *data, const XML_Char *name,
                                const XML_Char **atts)
{
	struct xml *m = data;
	const char *n = local(name);

	if (m->rc != XJ_OK)
		return;
	if (strcmp(n, "sheetData") == 0) {
		m->in_data = 1;
	} else if (!m->in_data) {
		return;
	} else if (strcmp(n, "row") == 0) {
		row_start(m, atts);
	} else if (strcmp(n, "c") == 0) {
		cell_start(m, atts);
	} else if (!m->in_c) {
		return;
	} else if (strcmp(n, "v") == 0 && !m->in_is) {
		m->collect = 1;
	} else if (strcmp(n, "is") == 0) {
		m->in_is = 1;
	} else if (strcmp(n, "rPh") == 0 && m->in_is) {
		m->rph++;
	} else if (strcmp(n, "t") == 0 && m->in_is && m->rph == 0) {
		m->collect = 1;
	}
}

static void XMLCALL sheet_end(void *data, const XML_Char *name)
{
	struct xml *m = data;
	const char *n = local(name);

	if (m->rc != XJ_OK || !m->in_data)
		return;
	if (strcmp(n, "sheetData") == 0) {
		m->in_data = 0;
	} else if (strcmp(n, "row") == 0) {
		m->in_row = 0;
	} else if (!m->in_c) {
		return;
	} else if (strcmp(n, "c") == 0) {
		cell_end(m);
	} else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
		m->collect = 0;
	} else if (strcmp(n, "is") == 0) {
		m->in_is = 0;
	} else if (strcmp(n, "rPh") == 0 && m->rph > 0) {
		m->rph--;
	}
}

/* ---- putting it together ---- */

static enum xj_err xlsx_open(struct xlsx *x, const unsigned char *data,
                             size_t len)
{
	static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0,
		                               0xA1, 0xB1, 0x1A, 0xE1 };
	struct xj_error *err = x->b->err;
	zip_source_t *src;
	zip_error_t zerr;

	if (len >= 8 && memcmp(data, ole2, 8) == 0)
		return xj_error_set(
		    err, XJ_EINVAL,
		    "这是旧版 Excel（.xls）文件或加密的工作簿，"
		    "无法读取；请在 Excel 中另存为 .xlsx 或 CSV "
		    "后再导入");
	if (len < 4 || memcmp(data, "PK", 2) != 0)
		return xj_error_set(err, XJ_EINVAL,
		                    "不是有效的 XLSX 文件（不是 ZIP 压缩包）");
	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (src == NULL) {
		zip_error_fini(&zerr);
		return xj_error_set(err, XJ_EINTERNAL, "无法读取 XLSX 文件");
	}
	x->za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	zip_error_fini(&zerr);
	if (x->za == NULL) {
		zip_source_free(src);
		return xj_error_set(err, XJ_EINVAL, "%s", corrupt);
	}
	return XJ_OK;
}

enum xj_err table_xlsx_read(struct tb *b, const unsigned char *data, size_t len)
{
	struct xlsx x;
	struct xml m;
	const struct rel *r = NULL;
	const char *wb = "xl/workbook.xml", *sheet, *sst;
	char *dir, *rels;
	int found;
	size_t i;
	enum xj_err rc;

	memset(&x, 0, sizeof(x));
	x.b = b;
	arena_init(&x.scratch, 16384);
	b->t->encoding = TABLE_ENC_UTF8;
	rc = xlsx_open(&x, data, len);
	if (rc != XJ_OK)
		goto out;

	/* The workbook, as the package relationships name it. */
	xml_init(&m, &x, "_rels/.rels");
	rc = part_parse(&x, &m, "_rels/.rels", 0, NULL, rels_start, no_end);
	if (rc != XJ_OK)
		goto out;
	r = rel_by_type(&x, "/officeDocument");
	if (r != NULL)
		wb = resolve(&x.scratch, "", r->target);
	x.nrels = 0;
	part_dir_rels(&x.scratch, wb, &dir, &rels);

	xml_init(&m, &x, wb);
	rc = part_parse(&x, &m, wb, 1, NULL, workbook_start, no_end);
	if (rc != XJ_OK)
		goto out;
	xml_init(&m, &x, rels);
	rc = part_parse(&x, &m, rels, 0, &found, rels_start, no_end);
	if (rc != XJ_OK)
		goto out;

	if (!found) {
		sheet = "xl/worksheets/sheet1.xml";
		sst = "xl/sharedStrings.xml";
	} else {
		r = NULL;
		for (i = 0; i < x.nsheets && r == NULL; i++) {
			r = rel_by_id(&x, x.sheet_ids[i]);
			if (r != NULL &&
			    (r->external || !ends_with(r->type, "/worksheet")))
				r = NULL;
		}
		if (r == NULL) {
			rc = xj_error_set(b->err, XJ_EINVAL,
			                  "XLSX 文件中没有工作表");
			goto out;
		}
		sheet = resolve(&x.scratch, dir, r->target);
		r = rel_by_type(&x, "/sharedStrings");
		sst = resolve(&x.scratch, dir,
		              r != NULL ? r->target : "sharedStrings.xml");
	}

	xml_init(&m, &x, sst);
	rc = part_parse(&x, &m, sst, 0, NULL, sst_start, sst_end);
	if (rc != XJ_OK)
		goto out;
	xml_init(&m, &x, sheet);
	rc = part_parse(&x, &m, sheet, 1, NULL, sheet_start, sheet_end);
out:
	if (x.za != NULL)
		zip_discard(x.za);
	free(x.sheet_ids);
	free(x.rels);
	free(x.sst);
	arena_release(&x.scratch);
	return rc;
}
