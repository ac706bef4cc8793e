/*
 * error.h - the one error enum, its messages and its mappings.
 *
 * Functions that can fail return enum xj_err and, when given a non-NULL
 * struct xj_error, fill it with what the user needs to fix the input: the
 * field, row, line and column involved and a reason in 简体中文. The detail
 * is caller-owned storage; nothing in it is heap-allocated.
 */
#ifndef XJ_ERROR_H
#define XJ_ERROR_H

#include <stdarg.h>

enum xj_err {
	XJ_OK = 0,
	XJ_EINVAL,     /* bad input: a field, row or line is wrong */
	XJ_EUSAGE,     /* bad command-line usage */
	XJ_ENOTFOUND,  /* no such object (or not in the caller's scope) */
	XJ_EEXIST,     /* already exists */
	XJ_ECONFLICT,  /* the state does not allow this now */
	XJ_ETOOLARGE,  /* a size, count or depth limit was exceeded */
	XJ_EMETHOD,    /* HTTP method not allowed on this route */
	XJ_EUNAUTH,    /* not logged in */
	XJ_EFORBIDDEN, /* logged in but not allowed */
	XJ_ELIMIT,     /* too many attempts: wait and retry */
	XJ_EIO,        /* file or network I/O failed */
	XJ_ESTORE,     /* the database failed */
	XJ_ESCHEMA,    /* the database schema is newer than this program */
	XJ_EINTERNAL,  /* a bug */
	XJ_ERR__MAX
};

#define XJ_ERROR_FIELD_MAX 64
#define XJ_ERROR_MSG_MAX 512

struct xj_error {
	enum xj_err code;
	char field[XJ_ERROR_FIELD_MAX]; /* "" when no field is involved */
	long row;                       /* 1-based data row, 0 if none */
	long line;                      /* 1-based line, 0 if none */
	long column;                    /* 1-based column, 0 if none */
	char msg
	    [XJ_ERROR_MSG_MAX]; /* reason in 简体中文, never empty on error */
};

/* Reset err to "no error". err may be NULL. */
void xj_error_clear(struct xj_error *err);

/*
 * Record an error and return code, so callers can write
 * `return xj_error_set(err, XJ_EINVAL, "...", ...);`. err may be NULL.
 * The message is formatted with vsnprintf and truncated to fit, never
 * inside a UTF-8 character; an empty message becomes xj_strerror(code).
 * err->field is set to "" (see xj_error_field); row, line and column are
 * left as they are.
 */
enum xj_err xj_error_set(struct xj_error *err, enum xj_err code,
                         const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum xj_err xj_error_vset(struct xj_error *err, enum xj_err code,
                          const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* As xj_error_set(), naming the field the error is about. */
enum xj_err xj_error_field(struct xj_error *err, enum xj_err code,
                           const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Generic description of code in 简体中文, e.g. "输入有误". */
const char *xj_strerror(enum xj_err code);
/* Stable machine-readable name used in JSON errors, e.g. "invalid". */
const char *xj_errcode(enum xj_err code);
/* The HTTP status an error answers with. */
int xj_http_status(enum xj_err code);
/* The process exit status for an error: 0 ok, 2 usage, 1 otherwise. */
int xj_exit_code(enum xj_err code);

#endif
