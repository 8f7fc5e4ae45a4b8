// Copyright libsuggest authors.
#include "safe_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace suggest::tools {
namespace {

std::string Why(int err) { return std::strerror(err); }

// The directory part and the file name of `path` ("a/b.html" -> "a", "b.html";
// "b.html" -> ".", "b.html").
void SplitPath(const std::string& path, std::string* dir, std::string* base) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    *dir = ".";
    *base = path;
  } else {
    *dir = slash == 0 ? "/" : path.substr(0, slash);
    *base = path.substr(slash + 1);
  }
}

// Writes all of `content` to fd; 0 or the errno.
int WriteAll(int fd, std::string_view content) {
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    done += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

bool WriteFileAtomic(const std::string& path, std::string_view content, std::string* error) {
  std::string dir, base;
  SplitPath(path, &dir, &base);
  if (base.empty()) {
    *error = "cannot write output " + path + ": " + Why(EISDIR);
    return false;
  }
  // An existing device or FIFO (/dev/stdout, /dev/full, a pipe) is written
  // as it is: there is nothing to replace, and renaming over it would
  // replace the device node.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    int err = fd < 0 ? errno : WriteAll(fd, content);
    if (fd >= 0 && ::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) *error = "cannot write output " + path + ": " + Why(err);
    return err == 0;
  }
  // A hidden name in the target's directory: same file system, so the rename
  // is atomic; mkstemp opens it O_CREAT|O_EXCL (never an existing file or a
  // symlink) with mode 0600.
  std::string tmpl = (dir == "/" ? "" : dir) + "/." + base.substr(0, 200) + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot write output " + path + ": " + Why(errno);
    return false;
  }
  const std::string tmp(name.data());
  // The page gets the usual mode of a new file (0666 & ~umask), not 0600.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  int err = ::fchmod(fd, 0666 & ~mask) == 0 ? 0 : errno;
  if (err == 0) err = WriteAll(fd, content);
  bool ok = err == 0;
  if (::close(fd) != 0 && ok) {
    err = errno;
    ok = false;
  }
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    *error = "cannot write output " + path + ": " + Why(err);
  }
  return ok;
}

int OpenOutputFile(const std::string& path, bool append, std::string* error) {
  // Never truncate at open: the checks below come first.
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (append ? O_APPEND : 0);
  int fd = ::open(path.c_str(), flags, 0666);
  if (fd < 0 && errno == ELOOP &&
      (path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0)) {
    // /dev/stdout, /dev/fd/N, /proc/self/fd/N: links the system owns (no
    // other user can plant one there) to what the caller's shell opened.
    fd = ::open(path.c_str(), flags & ~O_NOFOLLOW, 0666);
  }
  if (fd < 0 && errno == ELOOP) {
    // A symlink. Through one to a device or a FIFO (/dev/stdout, /dev/null)
    // nothing can be overwritten; to a regular file (or to nothing yet, where
    // one would be created) it is refused: a link planted in a shared folder
    // must not redirect the output onto another file.
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
      fd = ::open(path.c_str(), (flags & ~(O_NOFOLLOW | O_CREAT)), 0666);
      if (fd >= 0 && (::fstat(fd, &st) != 0 || S_ISREG(st.st_mode))) {
        ::close(fd);  // swapped for a regular file in between
        *error = "cannot open output " + path +
                 ": it is a symbolic link to a regular file (refused; give the real path)";
        return -1;
      }
    } else {
      *error = "cannot open output " + path +
               ": it is a symbolic link (refused, the output is never written through one; "
               "give the real path)";
      return -1;
    }
  }
  if (fd < 0) {
    *error = "cannot open output " + path + ": " + Why(errno);
    return -1;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (st.st_nlink > 1) {
      ::close(fd);
      *error = "cannot open output " + path +
               ": it has other hard links (refused, writing would change them too)";
      return -1;
    }
    if (!append && st.st_size > 0 && ::ftruncate(fd, 0) != 0) {
      *error = "cannot open output " + path + ": " + Why(errno);
      ::close(fd);
      return -1;
    }
  }
  return fd;
}

bool SameFile(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == "-" || b == "-") return false;
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  // Regular files only: /dev/stdin and /dev/stdout may well be one terminal.
  return S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode) && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

}  // namespace suggest::tools
