// Copyright libsuggest authors.
//
// The only file that includes RE2 (match/regex.h says why).

#include "match/regex.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <vector>

namespace suggest::internal {
namespace {

RE2::Options Options(const RegexOptions& options) {
  RE2::Options o;
  o.set_log_errors(false);  // errors are returned as values, never printed
  o.set_encoding(RE2::Options::EncodingUTF8);
  if (options.max_mem > 0) o.set_max_mem(options.max_mem);
  o.set_longest_match(options.longest_match);
  return o;
}

re2::StringPiece Piece(std::string_view s) { return re2::StringPiece(s.data(), s.size()); }

}  // namespace

Regex::Regex(std::unique_ptr<re2::RE2> re) : re_(std::move(re)) {}
Regex::~Regex() = default;

std::unique_ptr<const Regex> Regex::Compile(std::string_view pattern,
                                            const RegexOptions& options, RegexError* error) {
  auto re = std::make_unique<RE2>(Piece(pattern), Options(options));
  if (!re->ok()) {
    if (error != nullptr) *error = {re->error(), re->error_arg()};
    return nullptr;
  }
  return std::unique_ptr<const Regex>(new Regex(std::move(re)));
}

bool Regex::Match(std::string_view text, size_t begin, size_t end, Anchor anchor,
                  std::string_view* groups, int n) const {
  // Most patterns have few groups: no allocation per match for them.
  std::array<re2::StringPiece, 16> small;
  std::vector<re2::StringPiece> large;
  re2::StringPiece* pieces = small.data();
  if (n > static_cast<int>(small.size())) {
    large.resize(static_cast<size_t>(n));
    pieces = large.data();
  }
  const bool matched =
      re_->Match(Piece(text), begin, end,
                 anchor == Anchor::kAnchorStart ? RE2::ANCHOR_START : RE2::UNANCHORED, pieces,
                 std::max(n, 0));
  if (!matched) return false;
  for (int i = 0; i < n; ++i)
    groups[i] = pieces[i].data() == nullptr ? std::string_view()
                                            : std::string_view(pieces[i].data(), pieces[i].size());
  return true;
}

bool Regex::PartialMatch(std::string_view text) const {
  return RE2::PartialMatch(Piece(text), *re_);
}

int Regex::NumberOfCapturingGroups() const { return re_->NumberOfCapturingGroups(); }

const std::map<std::string, int>& Regex::NamedCapturingGroups() const {
  return re_->NamedCapturingGroups();
}

std::string Regex::QuoteMeta(std::string_view literal) { return RE2::QuoteMeta(Piece(literal)); }

struct RegexSet::Impl {
  explicit Impl(const RegexOptions& o) : set(Options(o), RE2::UNANCHORED) {}
  RE2::Set set;
  bool compiled = false;
};

RegexSet::RegexSet(const RegexOptions& options) : impl_(std::make_unique<Impl>(options)) {}
RegexSet::~RegexSet() = default;

int RegexSet::Add(std::string_view pattern, std::string* error) {
  const int index = impl_->set.Add(Piece(pattern), error);
  if (index >= 0) ++size_;
  return index;
}

bool RegexSet::Compile() {
  impl_->compiled = impl_->set.Compile();
  return impl_->compiled;
}

RegexSet::Result RegexSet::Match(std::string_view text, std::vector<int>* hits) const {
  if (!impl_->compiled) return Result::kFailed;
  RE2::Set::ErrorInfo info{};
  if (impl_->set.Match(Piece(text), hits, &info)) return Result::kMatch;
  return info.kind == RE2::Set::kNoError ? Result::kNoMatch : Result::kFailed;
}

}  // namespace suggest::internal
