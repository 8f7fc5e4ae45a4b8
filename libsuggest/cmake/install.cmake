# Install rules and packages of libsuggest (included from libsuggest/CMakeLists.txt
# after the targets exist). Layout under the prefix (GNUInstallDirs):
#
#   include/suggest/*.h                     public headers (standard library only)
#   <libdir>/libsuggest.so.1 (+ .so, .so.0.1.0), <libdir>/libsuggest.a
#   <libdir>/cmake/suggest/                 find_package(suggest): suggest::suggest,
#                                           suggest::suggest_static
#   <libdir>/pkgconfig/suggest.pc           pkg-config --cflags --libs suggest
#   bin/suggest                             the CLI
#   share/suggest/models/                   rule packs and code tables
#   share/doc/libsuggest/                   the guides the public headers cite
#                                           (SUGGEST_INSTALL_DOCS, below)
#
# <libdir> is lib, or lib/<multiarch> for a /usr prefix on Debian. Nothing
# below bakes the prefix into a binary: the library and the CLI find the models
# through paths relative to their own location, so a prefix can be moved.

include(CMakePackageConfigHelpers)

set(SUGGEST_INSTALL_MODELSDIR ${CMAKE_INSTALL_DATADIR}/suggest/models)
set(SUGGEST_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/suggest)

# Where the models are relative to the library's and the CLI's directories.
# Computed from the configured layout (lib vs lib/x86_64-linux-gnu), so the
# lookup stays right whatever CMAKE_INSTALL_LIBDIR is; the FULL_ forms share a
# prefix, so the relative path holds for any prefix given at install time.
file(RELATIVE_PATH SUGGEST_MODELS_FROM_LIBDIR ${CMAKE_INSTALL_FULL_LIBDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/suggest/models)
file(RELATIVE_PATH SUGGEST_MODELS_FROM_BINDIR ${CMAKE_INSTALL_FULL_BINDIR}
     ${CMAKE_INSTALL_FULL_DATADIR}/suggest/models)
# src/api/find_models.cc (Model::Load(), suggest_model_load(NULL, ...), the
# CLI's default --models) tries <dir of libsuggest.so>/FROM_LIBDIR, then
# (static library inside a program in bin/, as the CLI) <dir of the
# program>/FROM_BINDIR. Relative paths only.
target_compile_definitions(suggest_objects PRIVATE
  SUGGEST_MODELS_FROM_LIBDIR="${SUGGEST_MODELS_FROM_LIBDIR}"
  SUGGEST_MODELS_FROM_BINDIR="${SUGGEST_MODELS_FROM_BINDIR}")

# Exported names: suggest::suggest is the shared library, suggest::suggest_static
# the archive (the same names as the ALIAS targets of the build tree). The
# archive carries SUGGEST_STATIC for Windows (export.h); on ELF it is a no-op.
set_target_properties(suggest_shared PROPERTIES EXPORT_NAME suggest)
set_target_properties(suggest PROPERTIES EXPORT_NAME suggest_static)
target_compile_definitions(suggest INTERFACE SUGGEST_STATIC)

# The object libraries are compiled into both archives and never linked as
# targets, so they stay out of the export set. The archive's link interface
# is its private dependencies ($<LINK_ONLY:...>): PkgConfig::RE2, ICU::uc,
# ICU::i18n, Threads::Threads, dl (Vectorscan if used); suggestConfig.cmake
# defines them. The shared library's interface is the headers alone.
install(TARGETS suggest_shared suggest EXPORT suggestTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/include/suggest
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(TARGETS suggest_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Data files only: the TOML rule packs and the code tables.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION ${SUGGEST_INSTALL_MODELSDIR}
  FILES_MATCHING PATTERN "*.toml" REGEX "/icd10cm/" PATTERN "tests" EXCLUDE)
# The guides the public headers cite as docs/NAME (and the JSON schema of a
# result), so that an installed header never points at a file the install
# lacks; install.examples checks every docs/ name cited in include/suggest.
set(SUGGEST_INSTALL_DOCS api.md c-api.md icd-mapping.md interop.md
    rules.md result.schema.json)
list(TRANSFORM SUGGEST_INSTALL_DOCS PREPEND ${PROJECT_SOURCE_DIR}/docs/)
install(FILES ${SUGGEST_INSTALL_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(EXPORT suggestTargets NAMESPACE suggest:: FILE suggestTargets.cmake
  DESTINATION ${SUGGEST_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/suggestConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/suggestConfig.cmake
  INSTALL_DESTINATION ${SUGGEST_INSTALL_CMAKEDIR}
  PATH_VARS SUGGEST_INSTALL_MODELSDIR)
# 0.x: a minor release may break the API (the C ABI has its own SONAME).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_suggest_compat SameMinorVersion)
else()
  set(_suggest_compat SameMajorVersion)
endif()
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/suggestConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${_suggest_compat})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/suggestConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/suggestConfigVersion.cmake
  DESTINATION ${SUGGEST_INSTALL_CMAKEDIR})

# pkg-config: prefix relative to the .pc file (${pcfiledir}) so a moved prefix
# still works. A /usr install writes prefix=/usr instead: pkg-config drops
# -I/usr/include only when it is spelled so, and an explicit -I of the system
# directory breaks #include_next in the C++ standard headers.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(SUGGEST_PC_PREFIX "/usr")
else()
  file(RELATIVE_PATH _suggest_pc_up ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig
       ${CMAKE_INSTALL_PREFIX})
  string(REGEX REPLACE "/$" "" _suggest_pc_up "${_suggest_pc_up}")
  set(SUGGEST_PC_PREFIX "\${pcfiledir}/${_suggest_pc_up}")
endif()
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
    set(SUGGEST_PC_${d} "${CMAKE_INSTALL_${d}}")
  else()
    set(SUGGEST_PC_${d} "\${prefix}/${CMAKE_INSTALL_${d}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${SUGGEST_INSTALL_MODELSDIR}")
  set(SUGGEST_PC_MODELSDIR "${SUGGEST_INSTALL_MODELSDIR}")
else()
  set(SUGGEST_PC_MODELSDIR "\${prefix}/${SUGGEST_INSTALL_MODELSDIR}")
endif()
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/suggest.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/suggest.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/suggest.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
