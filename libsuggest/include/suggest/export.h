/* Copyright libsuggest authors.
 *
 * SUGGEST_API marks the functions of the C ABI (suggest_c.h) as exported.
 * Usable from C (C99) and C++.
 *
 *   ELF (GCC/Clang): default visibility, so the symbols stay exported when
 *                    the library is built with -fvisibility=hidden.
 *   Windows:         dllexport while building the library (define
 *                    SUGGEST_BUILDING_LIBRARY), dllimport for users of the
 *                    DLL; define SUGGEST_STATIC when linking the static
 *                    library.
 */

#ifndef LIBSUGGEST_INCLUDE_SUGGEST_EXPORT_H_
#define LIBSUGGEST_INCLUDE_SUGGEST_EXPORT_H_

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(SUGGEST_STATIC)
#define SUGGEST_API
#elif defined(SUGGEST_BUILDING_LIBRARY)
#define SUGGEST_API __declspec(dllexport)
#else
#define SUGGEST_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define SUGGEST_API __attribute__((visibility("default")))
#else
#define SUGGEST_API
#endif

#endif /* LIBSUGGEST_INCLUDE_SUGGEST_EXPORT_H_ */
