/* Copyright libsuggest authors.
 *
 * SUGGEST_API marks what the shared library exports: the C ABI (suggest_c.h)
 * and the public C++ API (suggest.h, status.h, types.h). The library is
 * compiled with -fvisibility=hidden, so everything else stays internal.
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

/* SUGGEST_CLASS_API: the same for C++ classes, in the standard attribute
 * syntax so it can follow [[nodiscard]] in a class head. */
#if defined(__cplusplus) && defined(__GNUC__) && !defined(_WIN32)
#define SUGGEST_CLASS_API [[gnu::visibility("default")]]
#else
#define SUGGEST_CLASS_API SUGGEST_API
#endif

#endif /* LIBSUGGEST_INCLUDE_SUGGEST_EXPORT_H_ */
