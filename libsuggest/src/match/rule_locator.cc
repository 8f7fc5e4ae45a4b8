// Copyright libsuggest authors.

#include "match/rule_locator.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>

#include "match/prescreen.h"
#include "util/disk_cache.h"

#if SUGGEST_HAVE_VECTORSCAN
#include <hs/hs.h>

#include "match/vectorscan_scratch.h"
#endif

namespace suggest::internal {

struct RuleLocator::Impl {
#if SUGGEST_HAVE_VECTORSCAN
  hs_database_t* db = nullptr;
  std::vector<size_t> global_of;   // database id -> global rule index
  std::vector<uint32_t> width_of;  // database id -> max width, 0 if start tracked
  uint64_t serial = 0;
  ~Impl() {
    if (db != nullptr) hs_free_database(db);
  }
#endif
};

namespace {
[[maybe_unused]] std::atomic<uint64_t> next_locator_serial{1};
}  // namespace

RuleLocator::RuleLocator() : impl_(std::make_unique<Impl>()) {}
RuleLocator::~RuleLocator() = default;

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// Caseless and UTF-8 as the prescreen's normalized-text database; all
// matches (no SINGLEMATCH) with their leftmost start. A pattern Vectorscan
// cannot track starts for (bounded gaps such as [^.;]{0,40}? are too large
// for it) is compiled without, and its window is its maximum width before
// each match end; one of unbounded width, or that does not compile at all,
// is not located.
constexpr unsigned kBaseFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_ALLOWEMPTY;

// The maximum width of a pattern's matches; 0 if unbounded or unknown.
uint32_t MaxWidth(const std::string& pattern) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* err = nullptr;
  uint32_t w = 0;
  if (hs_expression_info(pattern.c_str(), kBaseFlags, &info, &err) == HS_SUCCESS &&
      info != nullptr && info->max_width != UINT32_MAX)
    w = info->max_width;
  if (info != nullptr) std::free(info);
  if (err != nullptr) hs_free_compile_error(err);
  return w;
}

// How each rule is located: mode 'S' start tracked, 'W' by width, 'X' not
// located. The plan is cached beside the database (finding it takes failed
// compiles).
struct LocatorPlan {
  std::string mode;
  std::vector<uint32_t> width;  // of the 'W' rules
  std::string cache_name;
  bool cached = false;
};

LocatorPlan StartPlan(const std::vector<const Rule*>& all) {
  LocatorPlan plan;
  plan.mode.assign(all.size(), 'S');
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i]->pattern.find('\0') != std::string::npos) plan.mode[i] = 'X';
  KeyHasher key;
  key.Add("locator-plan-1").Add(hs_version()).Add(std::to_string(kBaseFlags));
  for (const Rule* r : all) key.Add(r->pattern);
  plan.cache_name = "locator-plan-" + key.Hex() + ".txt";
  if (auto cached = ReadDiskCache(plan.cache_name); cached && cached->size() == all.size()) {
    plan.mode = std::string(cached->view());
    plan.cached = true;
  }
  plan.width.assign(all.size(), 0);
  for (size_t i = 0; i < all.size(); ++i) {
    if (plan.mode[i] != 'W') continue;
    plan.width[i] = MaxWidth(all[i]->pattern);
    if (plan.width[i] == 0) plan.mode[i] = 'X';
  }
  return plan;
}

// The database of the located rules: db (null if none compiled, then
// `error` says why), its rules' global indexes and their windows' widths
// (0 if start tracked).
struct LocatedDatabase {
  hs_database_t* db = nullptr;
  std::vector<size_t> ids;
  std::vector<uint32_t> width_of;
  std::string error;
};

// Compiles the plan's rules; each failed compile demotes the rule it names
// ('S' -> 'W' if its width is bounded, else 'X') and tries again, until a
// database compiles, no rule is left, or Vectorscan names no rule.
LocatedDatabase CompileLocated(const std::vector<const Rule*>& all, LocatorPlan* plan) {
  LocatedDatabase out;
  for (;;) {
    std::vector<size_t> ids;
    std::vector<std::string> patterns;
    std::vector<unsigned> flags;
    for (size_t i = 0; i < all.size(); ++i) {
      if (plan->mode[i] == 'X') continue;
      ids.push_back(i);
      patterns.push_back(all[i]->pattern);
      flags.push_back(plan->mode[i] == 'S' ? kBaseFlags | HS_FLAG_SOM_LEFTMOST : kBaseFlags);
    }
    if (ids.empty()) return out;
    std::string error;
    int bad = -1;
    hs_database_t* db = CompileOrLoad(patterns, flags, &error, &bad);
    if (db != nullptr) {
      out.db = db;
      out.ids = ids;
      for (size_t i : ids) out.width_of.push_back(plan->mode[i] == 'W' ? plan->width[i] : 0);
      if (!plan->cached) WriteDiskCache(plan->cache_name, plan->mode);
      return out;
    }
    if (bad < 0 || static_cast<size_t>(bad) >= ids.size()) {
      out.error = error;
      return out;
    }
    const size_t g = ids[bad];
    if (plan->mode[g] == 'S') {
      plan->width[g] = MaxWidth(all[g]->pattern);
      plan->mode[g] = plan->width[g] > 0 ? 'W' : 'X';
    } else {
      plan->mode[g] = 'X';
    }
  }
}

}  // namespace
#endif

std::unique_ptr<const RuleLocator> RuleLocator::Build(const std::vector<const RulePack*>& packs) {
  std::unique_ptr<RuleLocator> rl(new RuleLocator());
  std::vector<const Rule*> all;
  for (const RulePack* pack : packs) {
    rl->packs_.emplace_back(pack, all.size());
    for (const Rule& r : pack->rules()) all.push_back(&r);
  }
  rl->located_.assign(all.size(), false);
#if SUGGEST_HAVE_VECTORSCAN
  LocatorPlan plan = StartPlan(all);
  LocatedDatabase located = CompileLocated(all, &plan);
  rl->impl_->db = located.db;
  rl->impl_->global_of = std::move(located.ids);
  rl->impl_->width_of = std::move(located.width_of);
  rl->inactive_reason_ = located.error;
  for (size_t i : rl->impl_->global_of) rl->located_[i] = true;
  rl->impl_->serial = next_locator_serial.fetch_add(1);
  rl->active_ = rl->impl_->db != nullptr;
  if (!rl->active_ && rl->inactive_reason_.empty()) rl->inactive_reason_ = "no pattern compiled";
  for (size_t i = 0; i < all.size(); ++i)
    if (plan.mode[i] == 'W' && rl->located_[i]) rl->by_width_.push_back(all[i]->id);
#else
  rl->inactive_reason_ = "built without Vectorscan";
#endif
  for (size_t i = 0; i < all.size(); ++i) {
    if (rl->located_[i]) {
      ++rl->located_count_;
    } else {
      rl->unlocated_.push_back(all[i]->id);
    }
  }
  return rl;
}

#if SUGGEST_HAVE_VECTORSCAN
namespace {

// One scratch space per thread for the locator databases
// (match/vectorscan_scratch.h; apart from the prescreen's, whose serial
// numbers are counted apart).
thread_local ThreadScratch tl_locator_scratch;

struct ScanState {
  const std::vector<size_t>* global_of;
  const std::vector<uint32_t>* width_of;
  std::vector<std::vector<RuleWindows::Region>>* regions;
  std::vector<bool>* located;
  size_t max_regions;
};

int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto* st = static_cast<ScanState*>(ctx);
  const size_t g = (*st->global_of)[id];
  if (!(*st->located)[g]) return 0;  // gave up on this rule in this note
  std::vector<RuleWindows::Region>& v = (*st->regions)[g];
  const uint32_t w = (*st->width_of)[id];
  // Without start tracking: the match starts at most its width before.
  if (w > 0) from = to > w ? to - w : 0;
  const auto b = static_cast<uint32_t>(from), e = static_cast<uint32_t>(to);
  if (!v.empty() && b <= v.back().end && e >= v.back().begin) {
    v.back().begin = std::min(v.back().begin, b);
    v.back().end = std::max(v.back().end, e);
    return 0;
  }
  if (v.size() >= st->max_regions) {
    (*st->located)[g] = false;  // matches nearly everywhere: scan it whole
    std::vector<RuleWindows::Region>().swap(v);
    return 0;
  }
  v.push_back({b, e});
  return 0;
}

}  // namespace
#endif

bool RuleLocator::Locate(std::string_view text, RuleWindows* out) const {
  out->packs_.clear();
  out->regions_.clear();
  out->located_.clear();
  if (!active_) return false;
#if SUGGEST_HAVE_VECTORSCAN
  if (text.size() > 0xFFFFFFFFull) return false;
  ThreadScratch& ts = tl_locator_scratch;
  if (!ts.Fit(impl_->serial, {impl_->db})) return false;
  out->regions_.assign(located_.size(), {});
  out->located_ = located_;
  ScanState st{&impl_->global_of, &impl_->width_of, &out->regions_, &out->located_, 4096 + text.size() / 512};
  if (hs_scan(impl_->db, text.data(), static_cast<unsigned>(text.size()), 0, ts.scratch, OnMatch,
              &st) != HS_SUCCESS) {
    out->regions_.clear();
    out->located_.clear();
    return false;
  }
  // Reports come in end order, but a later window can reach back past the
  // last region's start: sort and merge what touches.
  for (size_t g = 0; g < out->regions_.size(); ++g) {
    std::vector<RuleWindows::Region>& v = out->regions_[g];
    if (v.size() < 2) continue;
    std::sort(v.begin(), v.end(), [](const RuleWindows::Region& a, const RuleWindows::Region& b) {
      return a.begin < b.begin;
    });
    size_t w = 0;
    for (size_t k = 1; k < v.size(); ++k) {
      if (v[k].begin <= v[w].end) {
        v[w].end = std::max(v[w].end, v[k].end);
      } else {
        v[++w] = v[k];
      }
    }
    v.resize(w + 1);
  }
  out->packs_ = packs_;
  return true;
#else
  (void)text;
  return false;
#endif
}

}  // namespace suggest::internal
