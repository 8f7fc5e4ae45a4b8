// Copyright libsuggest authors.

#include "match/prescreen.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "util/byte_scan.h"
#include "util/disk_cache.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if SUGGEST_HAVE_VECTORSCAN
#include <hs/hs.h>
#include <sys/mman.h>

#include "match/vectorscan_scratch.h"
#endif

namespace suggest::internal {

namespace {

// True if s is ASCII without tab or CR: the notes whose normalized text is
// exactly their lowercase.
bool LowercaseIsNormalized(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
#ifdef __SSE2__
  // 16 bytes a step: a byte with its high bit set, or equal to tab or CR,
  // sets its bit in the mask. This pass runs over every note, so it counts.
  const __m128i tab = _mm_set1_epi8('\t'), cr = _mm_set1_epi8('\r');
  for (; n >= 32; p += 32, n -= 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    const __m128i tabs = _mm_or_si128(_mm_cmpeq_epi8(a, tab), _mm_cmpeq_epi8(b, tab));
    const __m128i crs = _mm_or_si128(_mm_cmpeq_epi8(a, cr), _mm_cmpeq_epi8(b, cr));
    const __m128i bad = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(tabs, crs));
    if (_mm_movemask_epi8(bad) != 0) return false;
  }
#endif
  for (; n >= 8; p += 8, n -= 8) {
    const uint64_t w = scan::Load8(p);
    if (((w & scan::kHigh) | scan::HasByte(w, '\t') | scan::HasByte(w, '\r')) != 0)
      return false;
  }
  for (; n > 0; ++p, --n)
    if ((*p & 0x80) != 0 || *p == '\t' || *p == '\r') return false;
  return true;
}

// Serial numbers of built screens (ThreadScratch, match/vectorscan_scratch.h).
[[maybe_unused]] std::atomic<uint64_t> next_serial{1};

}  // namespace

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// The databases DeserializeMapped made -> their mapping's size.
std::mutex mapped_mutex;
std::unordered_map<const void*, size_t>& Mapped() {
  static auto* mapped = new std::unordered_map<const void*, size_t>();
  return *mapped;
}

// hs_deserialize_database zeroes and then fills memory it takes from
// malloc, a page fault for every 4 KiB of it (the locator's database is 2
// MiB; the faults were the larger part of reading the databases back on
// this VM). The same call into an anonymous mapping populated in one
// system call (MAP_POPULATE) does the same work without them. Vectorscan
// checks the bytes as hs_deserialize_database does; nullptr if it refuses
// them (or the mapping fails: then it deserializes as before).
hs_database_t* DeserializeMapped(std::string_view bytes) {
  size_t size = 0;
  if (hs_serialized_database_size(bytes.data(), bytes.size(), &size) != HS_SUCCESS || size == 0)
    return nullptr;
  void* mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (mem == MAP_FAILED) {
    hs_database_t* db = nullptr;
    return hs_deserialize_database(bytes.data(), bytes.size(), &db) == HS_SUCCESS ? db : nullptr;
  }
  auto* db = static_cast<hs_database_t*>(mem);
  if (hs_deserialize_database_at(bytes.data(), bytes.size(), db) != HS_SUCCESS) {
    ::munmap(mem, size);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mapped_mutex);
  Mapped()[db] = size;
  return db;
}

}  // namespace

void FreeDatabase(hs_database_t* db) {
  if (db == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(mapped_mutex);
    auto it = Mapped().find(db);
    if (it != Mapped().end()) {
      ::munmap(db, it->second);
      Mapped().erase(it);
      return;
    }
  }
  hs_free_database(db);
}

// Compiles `patterns` with `flags`, or reads the same database back from the
// disk cache: compiling takes Vectorscan seconds for the shipped rules (all
// the databases of a load), reading it back milliseconds. The key covers the
// library version, the CPU features it compiled for, the flags and every
// pattern. On failure *error says which pattern and why.
hs_database_t* CompileOrLoad(const std::vector<std::string>& patterns, unsigned flags,
                             std::string* error, int* bad_pattern) {
  return CompileOrLoad(patterns, std::vector<unsigned>(patterns.size(), flags), error,
                       bad_pattern);
}

hs_database_t* CompileOrLoad(const std::vector<std::string>& patterns,
                             const std::vector<unsigned>& all_flags, std::string* error,
                             int* bad_pattern) {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  KeyHasher key;
  key.Add(hs_version()).Add(std::to_string(platform.tune) + "/" +
                            std::to_string(platform.cpu_features));
  // One number when every pattern has the same flags (the prescreen's keys
  // as before), else each pattern's.
  const bool uniform = std::all_of(all_flags.begin(), all_flags.end(),
                                   [&](unsigned f) { return f == all_flags.front(); });
  if (uniform) {
    key.Add(std::to_string(all_flags.empty() ? 0u : all_flags.front()));
  } else {
    for (unsigned f : all_flags) key.Add(std::to_string(f));
  }
  for (const std::string& p : patterns) key.Add(p);
  const std::string cache_name = "prescreen-" + key.Hex() + ".hsdb";
  hs_database_t* db = nullptr;
  if (auto bytes = ReadDiskCache(cache_name)) {
    if ((db = DeserializeMapped(bytes->view())) != nullptr) return db;
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;
  for (const std::string& p : patterns) {
    ids.push_back(static_cast<unsigned>(exprs.size()));
    exprs.push_back(p.c_str());
  }
  hs_compile_error_t* compile_error = nullptr;
  if (hs_compile_multi(exprs.data(), all_flags.data(), ids.data(),
                       static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &db,
                       &compile_error) != HS_SUCCESS) {
    *error = "Vectorscan cannot compile pattern " +
             std::to_string(compile_error != nullptr ? compile_error->expression : -1) + ": " +
             (compile_error != nullptr && compile_error->message != nullptr
                  ? compile_error->message
                  : "unknown error");
    if (bad_pattern != nullptr)
      *bad_pattern = compile_error != nullptr ? compile_error->expression : -1;
    hs_free_compile_error(compile_error);
    return nullptr;
  }
  char* bytes = nullptr;
  size_t size = 0;
  if (hs_serialize_database(db, &bytes, &size) == HS_SUCCESS) {
    WriteDiskCache(cache_name, std::string_view(bytes, size));
    std::free(bytes);
  }
  return db;
}
#endif

struct Prescreen::Impl {
#if SUGGEST_HAVE_VECTORSCAN
  hs_database_t* ascii_db = nullptr;  // original bytes (ASCII only)
  hs_database_t* utf8_db = nullptr;   // normalized text
  // Two stages: the exact patterns of those in ascii_db that are only a
  // cheaper stand-in (cheap[id] true), scanned after only those matched.
  hs_database_t* exact_db = nullptr;
  std::vector<bool> cheap;
  uint64_t serial = 0;
  ~Impl() {
    FreeDatabase(ascii_db);
    FreeDatabase(utf8_db);
    FreeDatabase(exact_db);
  }
#endif
};

Prescreen::Prescreen() : impl_(std::make_unique<Impl>()) {}
Prescreen::~Prescreen() = default;

namespace {

// `pattern` made case-sensitive and upper-case if it is only lower-case
// letters, '|', "\\b" and non-capturing groups ("\\bdish\\b"); "" if not.
std::string UpperWhole(std::string_view pattern) {
  std::string out = "(?-i:";
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char ch = pattern[i];
    if (ch >= 'a' && ch <= 'z') {
      out += static_cast<char>(ch - 'a' + 'A');
    } else if (ch == '|' || ch == ')') {
      out += ch;
    } else if (pattern.substr(i, 2) == "\\b") {
      out += "\\b";
      ++i;
    } else if (pattern.substr(i, 3) == "(?:") {
      out += "(?:";
      i += 2;
    } else {
      return "";
    }
  }
  return out + ")";
}

}  // namespace

std::string UpperAcronym(std::string_view pattern) {
  static constexpr std::string_view kOpen = "(?P<acronym>";
  if (pattern.find(kOpen) == std::string_view::npos) {
    std::string whole = UpperWhole(pattern);
    return whole.empty() ? std::string(pattern) : whole;
  }
  std::string out;
  size_t from = 0;
  for (size_t at; (at = pattern.find(kOpen, from)) != std::string_view::npos;) {
    const size_t body = at + kOpen.size();
    size_t end = body;
    while (end < pattern.size() &&
           ((pattern[end] >= 'a' && pattern[end] <= 'z') || pattern[end] == '|'))
      ++end;
    out.append(pattern.substr(from, body - from));
    from = body;
    if (end == body || end >= pattern.size() || pattern[end] != ')') continue;
    out += "(?-i:";
    for (size_t i = body; i < end; ++i)
      out += pattern[i] == '|' ? '|' : static_cast<char>(pattern[i] - 'a' + 'A');
    out += ')';
    from = end;
  }
  out.append(pattern.substr(from));
  return out;
}

std::unique_ptr<const Prescreen> Prescreen::Build(const std::vector<std::string>& patterns,
                                                  const std::vector<std::string>& original,
                                                  const std::vector<std::string>& exact) {
  std::unique_ptr<Prescreen> ps(new Prescreen());
  if (patterns.empty()) {
    ps->empty_ = true;
    ps->active_ = true;
    return ps;
  }
#if SUGGEST_HAVE_VECTORSCAN
  if ((!original.empty() && original.size() != patterns.size()) ||
      (!exact.empty() && exact.size() != patterns.size())) {
    ps->inactive_reason_ = "original or exact patterns not one per pattern";
    return ps;
  }
  for (const std::string& p : patterns) {
    // A NUL would end the C string Vectorscan reads: the pattern is not
    // what RE2 compiled.
    if (p.find('\0') != std::string::npos) {
      ps->inactive_reason_ = "a pattern holds a NUL byte";
      return ps;
    }
  }
  // Both: caseless, stop at the first match; a pattern that matches the
  // empty string matches everywhere, as in RE2. No UCP: \w, \b and \s stay
  // ASCII, as in RE2. The UTF-8 database reads a class or '.' as one code
  // point, as RE2 does (bounded gaps like [^.;]{0,40} count the same); on
  // ASCII text both read the same, and the byte one scans ~40 % faster.
  const unsigned base = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY;
  std::vector<std::string> second;  // the exact patterns of the cheap ones
  for (const std::string& p : exact)
    if (!p.empty()) second.push_back(p);
  for (const std::string& p : second)
    if (p.find('\0') != std::string::npos) {
      ps->inactive_reason_ = "a pattern holds a NUL byte";
      return ps;
    }
  for (const std::string& p : original) {
    if (p.find('\0') != std::string::npos) {
      ps->inactive_reason_ = "a pattern holds a NUL byte";
      return ps;
    }
  }
  ps->impl_->ascii_db =
      CompileOrLoad(original.empty() ? patterns : original, base, &ps->inactive_reason_);
  if (ps->impl_->ascii_db == nullptr) return ps;
  // The normalized text has no capitals: see CaseMatters.
  std::vector<unsigned> utf8_flags;
  for (const std::string& p : patterns)
    utf8_flags.push_back(CaseMatters(p) ? base | HS_FLAG_UTF8
                                        : (base | HS_FLAG_UTF8) & ~unsigned{HS_FLAG_CASELESS});
  ps->impl_->utf8_db = CompileOrLoad(patterns, utf8_flags, &ps->inactive_reason_);
  if (ps->impl_->utf8_db == nullptr) return ps;
  if (!second.empty()) {
    ps->impl_->exact_db = CompileOrLoad(second, base, &ps->inactive_reason_);
    if (ps->impl_->exact_db == nullptr) return ps;
    for (const std::string& p : exact) ps->impl_->cheap.push_back(!p.empty());
  }
  ps->impl_->serial = next_serial.fetch_add(1);
  ps->active_ = true;
#else
  ps->inactive_reason_ = "built without Vectorscan";
#endif
  return ps;
}

bool CaseMatters(std::string_view p) {
  if (p.find("[:upper:]") != std::string_view::npos) return true;
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c >= 'A' && c <= 'Z') return true;
    if (p.compare(i, 4, "(?P<") == 0) {  // a group's name, not text
      const size_t close = p.find('>', i);
      if (close == std::string_view::npos) return true;
      i = close;
      continue;
    }
    if (c != '\\' || i + 1 >= p.size()) continue;
    const char e = p[++i];
    if (e == 'p' || e == 'P' || e == 'Q') return true;
    if (e == 'x') {  // \xHH or \x{H...}: a capital written in hex
      std::string digits;
      if (i + 1 < p.size() && p[i + 1] == '{') {
        const size_t close = p.find('}', i);
        if (close == std::string_view::npos) return true;
        digits = std::string(p.substr(i + 2, close - i - 2));
        i = close;
      } else {
        for (; digits.size() < 2 && i + 1 < p.size() && hex(p[i + 1]); ++i) digits += p[i + 1];
      }
      if (digits.empty() || digits.size() > 6 ||
          !std::all_of(digits.begin(), digits.end(), hex))
        return true;
      const unsigned long v = std::stoul(digits, nullptr, 16);
      if (v >= 'A' && v <= 'Z') return true;
    }
  }
  return false;
}

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// One scratch space per thread for the screens (match/vectorscan_scratch.h).
thread_local ThreadScratch tl_scratch;

// The first match settles it: stop scanning (and say where, if asked).
int OnMatch(unsigned id, unsigned long long, unsigned long long to, unsigned, void* context) {
  if (context != nullptr) *static_cast<Prescreen::FirstMatch*>(context) = {true, id, to};
  return 1;
}

// The first stage of a two-staged screen: a match of a pattern that stands
// only for a cheaper one (cheap[id]) is noted and the scan goes on; any
// other match settles it.
struct Staged {
  const std::vector<bool>* cheap;
  bool cheap_matched = false;
};
int OnStagedMatch(unsigned id, unsigned long long, unsigned long long, unsigned, void* context) {
  auto* staged = static_cast<Staged*>(context);
  if (id < staged->cheap->size() && (*staged->cheap)[id]) {
    staged->cheap_matched = true;
    return 0;
  }
  return 1;
}

}  // namespace
#endif

Prescreen::Verdict Prescreen::ScreenOriginal(std::string_view original) const {
  if (!active_) return Verdict::kCannotTell;
  if (LowercaseIsNormalized(original))
    return ScanOriginal(original) ? Verdict::kNoMatch : Verdict::kMayMatch;
  // The ASCII spelling is a copy: only for notes of ordinary size, where the
  // screen's speed counts (a long note takes the normal path anyway), so
  // that a 10 MB note's peak memory does not grow by a copy.
  constexpr size_t kMaxSpelled = 256 * 1024;
  std::string folded;
  if (original.size() > kMaxSpelled || !AsciiQuotesAndDashes(original, &folded))
    return Verdict::kCannotTell;
  return ScanOriginal(folded) ? Verdict::kNoMatch : Verdict::kMayMatch;
}

bool AsciiQuotesAndDashes(std::string_view original, std::string* out) {
  out->clear();
  size_t run = 0;  // the ASCII bytes from `run` on are copied in one piece
  for (size_t i = 0; i < original.size(); ++i) {
    const auto b = static_cast<unsigned char>(original[i]);
    if (b < 0x80) {
      if (b == '\t' || b == '\r') return false;
      continue;
    }
    // U+2010..U+2015, U+2018, U+2019, U+201C, U+201D: E2 80 xx.
    if (b != 0xE2 || i + 2 >= original.size() ||
        static_cast<unsigned char>(original[i + 1]) != 0x80)
      return false;
    const auto c = static_cast<unsigned char>(original[i + 2]);
    char ascii = 0;
    if (c >= 0x90 && c <= 0x95) {
      ascii = '-';
    } else if (c == 0x98 || c == 0x99) {
      ascii = '\'';
    } else if (c == 0x9C || c == 0x9D) {
      ascii = '"';
    } else {
      return false;
    }
    out->append(original.data() + run, i - run);
    out->push_back(ascii);
    i += 2;
    run = i + 1;
  }
  out->append(original.data() + run, original.size() - run);
  return true;
}

bool Prescreen::ScanOriginal(std::string_view text) const {
#if SUGGEST_HAVE_VECTORSCAN
  if (!empty_ && impl_->exact_db != nullptr) {
    ThreadScratch& ts = tl_scratch;
    if (!ts.Fit(impl_->serial, {impl_->ascii_db, impl_->utf8_db, impl_->exact_db})) return false;
    Staged staged{&impl_->cheap};
    const hs_error_t first = hs_scan(impl_->ascii_db, text.data(),
                                     static_cast<unsigned>(text.size()), 0, ts.scratch,
                                     OnStagedMatch, &staged);
    if (first == HS_SCAN_TERMINATED) return false;  // an exact pattern matched
    if (first != HS_SUCCESS) return false;
    if (!staged.cheap_matched) return true;
    return hs_scan(impl_->exact_db, text.data(), static_cast<unsigned>(text.size()), 0,
                   ts.scratch, OnMatch, nullptr) == HS_SUCCESS;
  }
#endif
  return Scan(text, /*utf8=*/false);
}

bool Prescreen::RejectsNormalized(std::string_view normalized) const {
  return Scan(normalized, /*utf8=*/true);
}

bool Prescreen::RejectsNormalized(std::string_view normalized, FirstMatch* first) const {
  *first = FirstMatch();
  return Scan(normalized, /*utf8=*/true, first);
}

bool Prescreen::Scan(std::string_view text, bool utf8, FirstMatch* first) const {
  if (!active_) return false;
  if (empty_) return true;
#if SUGGEST_HAVE_VECTORSCAN
  ThreadScratch& ts = tl_scratch;
  if (!ts.Fit(impl_->serial, {impl_->ascii_db, impl_->utf8_db, impl_->exact_db})) return false;
  // HS_SUCCESS: the scan ran to the end without a match.
  return hs_scan(utf8 ? impl_->utf8_db : impl_->ascii_db, text.data(),
                 static_cast<unsigned>(text.size()), 0, ts.scratch, OnMatch,
                 first) == HS_SUCCESS;
#else
  (void)text;
  (void)utf8;
  (void)first;
  return false;
#endif
}

}  // namespace suggest::internal
