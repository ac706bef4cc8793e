/*
 * text.h - UTF-8 validation and decoding, and 字数 (character count).
 *
 * Everything a user types reaches the program as bytes; nothing is stored
 * before utf8_validate() accepts it. Validation is strict (RFC 3629 §3-4):
 * no overlong forms, no UTF-16 surrogates (U+D800..U+DFFF), nothing above
 * U+10FFFF, no truncated sequences. NUL bytes are refused as well, since
 * no field a user fills in can contain one.
 *
 * 字数 - the rule a Chinese office applies to "不少于1万字" (at least
 * 10,000 characters), implemented by text_zishu():
 *   - every CJK ideograph counts 1 (汉字, including the extension blocks
 *     and compatibility ideographs);
 *   - every run of letters or digits counts 1 as a whole: "Windows" is 1,
 *     "2005" is 1, "GB18030" is 1. Letters are Latin (ASCII, Latin-1,
 *     Latin Extended), Greek and Cyrillic, in half or full width;
 *     a decimal point or thousands comma between two digits joins them
 *     ("40.5" and "12,120" count 1);
 *   - whitespace, punctuation (。，、；：？！“”《》 and ASCII), symbols and
 *     emoji are not counted.
 * This is how word processors used by Chinese offices count "字数"
 * (中文字符 plus 非中文单词), minus punctuation, which a count of what
 * a member wrote should not reward.
 */
#ifndef XJ_TEXT_H
#define XJ_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/error.h"

/*
 * Decode one code point from s (len bytes available, len >= 1). Returns
 * the number of bytes consumed (1-4) and stores the code point, or returns
 * 0 if the bytes at s are not a valid UTF-8 sequence.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/*
 * Check that s[0..len) is valid UTF-8 without NUL bytes. On failure
 * returns XJ_EINVAL with the 1-based byte offset of the first bad byte in
 * err->column and a message naming field.
 */
enum xj_err utf8_validate(const char *s, size_t len, const char *field,
                          struct xj_error *err);

/* Number of code points in valid UTF-8 s (undefined on invalid input). */
size_t utf8_length(const char *s, size_t len);

/* Nonzero for a CJK unified or compatibility ideograph. */
int text_is_cjk(uint32_t cp);

/* Nonzero when s is NULL or holds nothing but ASCII white space and the
 * full-width space U+3000 (what an empty box of a Chinese input method
 * leaves): a text that says nothing. */
int text_blank(const char *s);

/*
 * Count 字数 in s by the rule above. Invalid UTF-8 is an error
 * (XJ_EINVAL, as from utf8_validate), never silently skipped.
 */
enum xj_err text_zishu(const char *s, size_t len, uint64_t *count,
                       struct xj_error *err);

#endif
