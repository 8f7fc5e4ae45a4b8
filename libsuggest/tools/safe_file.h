// Copyright libsuggest authors.
//
// Files the `suggest` CLI writes, created so that a planted symbolic link or
// a typo cannot make it overwrite something else (issue 19 items 4 and 6,
// docs/security.md):
//
// - WriteFileAtomic: a page or summary is written to a fresh temporary file
//   made by mkstemp(3) in the target's own directory (O_EXCL: never an
//   existing name, never through a symlink) and renamed over the target;
//   rename(2) replaces a symlink at the target, it never follows it.
// - OpenOutputFile: batch output, written in place (--resume continues it):
//   O_NOFOLLOW, so a symlink at the output path is refused unless it leads
//   to a non-regular file (/dev/stdout, /dev/null, a FIFO); a regular file
//   with other hard links is refused too.
// - SameFile: true when two paths name one file (same device and inode,
//   through symlinks and hard links): an output that is an input is refused.

#ifndef LIBSUGGEST_TOOLS_SAFE_FILE_H_
#define LIBSUGGEST_TOOLS_SAFE_FILE_H_

#include <string>
#include <string_view>

namespace suggest::tools {

// Writes `content` to `path` through a mkstemp temporary in the same
// directory and rename(2). False with *error ("cannot write PATH: why").
bool WriteFileAtomic(const std::string& path, std::string_view content, std::string* error);

// Opens `path` for writing (created 0666 & ~umask if missing; truncated unless
// `append`). Returns the descriptor, or -1 with *error.
int OpenOutputFile(const std::string& path, bool append, std::string* error);

// True when both paths exist and are the same file (st_dev and st_ino after
// following symlinks) and that file is a regular file. "-" is never a file.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace suggest::tools

#endif  // LIBSUGGEST_TOOLS_SAFE_FILE_H_
