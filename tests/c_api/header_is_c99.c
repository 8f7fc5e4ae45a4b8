/* Copyright libsuggest authors.
 *
 * Compiled by ctest (c_api.header_c99) with -std=c99 -pedantic -Werror -Wall
 * -Wextra: the C ABI header must be plain C99 on its own. */
#include <suggest/suggest_c.h>
