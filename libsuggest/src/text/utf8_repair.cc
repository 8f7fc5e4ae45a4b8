// Copyright libsuggest authors.
#include "text/utf8_repair.h"

#include "util/utf8.h"

namespace suggest::internal {

size_t RepairUtf8(std::string_view s, std::string* out, OffsetMap* map) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  out->clear();
  *map = OffsetMap();
  size_t replaced = 0;
  size_t run_start = 0;  // first byte of the pending valid run
  size_t i = 0;
  while (true) {
    i = SkipAscii(p, i, n);
    if (i >= n) break;
    const size_t len = Utf8SequenceLength(p + i, n - i);
    if (len != 0) {
      i += len;
      continue;
    }
    if (replaced == 0) out->reserve(n + 16);  // first error: now we copy
    out->append(s.data() + run_start, i - run_start);
    map->AppendUnchanged(static_cast<uint32_t>(i - run_start));
    out->append("\xEF\xBF\xBD");
    map->AppendChange(1, 3);
    ++replaced;
    ++i;
    run_start = i;
  }
  out->append(s.data() + run_start, n - run_start);
  map->AppendUnchanged(static_cast<uint32_t>(n - run_start));
  return replaced;
}

}  // namespace suggest::internal
