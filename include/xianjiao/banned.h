/*
 * banned.h - functions the project never calls.
 *
 * Force-included into every translation unit by the Makefile. The system
 * headers that declare the banned functions are included first, so their
 * include guards keep later #includes from seeing the macros below.
 *
 * atoi:    no error reporting; use util_parse_int().
 * sscanf:  silent partial matches; parse by hand with bounds.
 * strcpy:  unbounded; use memcpy with a known length or struct strbuf.
 * sprintf: unbounded; use snprintf or strbuf_addf().
 * strtok:  hidden global state; split explicitly.
 */
#ifndef XJ_BANNED_H
#define XJ_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XJ_BANNED(func) sorry_##func##_is_a_banned_function

#undef atoi
#define atoi(x) XJ_BANNED(atoi)
#undef sscanf
#define sscanf(...) XJ_BANNED(sscanf)
#undef strcpy
#define strcpy(x, y) XJ_BANNED(strcpy)
#undef sprintf
#define sprintf(...) XJ_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) XJ_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) XJ_BANNED(strtok)

#endif
