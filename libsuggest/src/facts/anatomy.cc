// Copyright libsuggest authors.
#include "facts/anatomy.h"

#include <algorithm>
#include <charconv>

namespace suggest::internal {

int ParseInt(std::string_view s) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return (ec == std::errc() && p == s.data() + s.size()) ? v : -1;
}

const std::vector<std::string>& AllRegions() {
  static const std::vector<std::string> kRegions = {
      "occipito_atlanto_axial", "cervical", "cervicothoracic", "thoracic",
      "thoracolumbar", "lumbar", "lumbosacral", "sacral_sacrococcygeal",
      // Not a region of one segment: "the entire spine", "multiple sites in
      // spine" (a region word only; each family codes it by its own rule).
      "multiple_sites"};
  return kRegions;
}

bool ParseRegion(std::string_view name, Region* out) {
  const auto& all = AllRegions();
  auto it = std::find(all.begin(), all.end(), name);
  if (it == all.end()) return false;
  *out = static_cast<Region>(it - all.begin());
  return true;
}

Vertebra Vertebra::Of(std::string_view letter, int num) {
  int rank = -1;
  if (letter == "O") {
    rank = num <= 0 ? kOcciput : -1;
  } else if (letter == "Co") {
    rank = num <= 1 ? kCoccyx : -1;
  } else if (letter == "C") {
    rank = num >= 1 && num <= 7 ? num : -1;
  } else if (letter == "T") {
    rank = num >= 1 && num <= 12 ? kFirstT - 1 + num : -1;
  } else if (letter == "L") {
    rank = num >= 1 && num <= 6 ? kFirstL - 1 + num : -1;
  } else if (letter == "S") {
    rank = num >= 1 && num <= 5 ? kFirstS - 1 + num : -1;
  }
  return AtRank(rank);
}

Vertebra Vertebra::Parse(std::string_view name) {
  if (name == "O") return AtRank(kOcciput);
  if (name == "Co") return AtRank(kCoccyx);
  if (name.size() < 2) return Vertebra();
  return Of(name.substr(0, 1), ParseInt(name.substr(1)));
}

std::string Vertebra::Name() const {
  if (!valid()) return std::string();
  if (rank_ == kOcciput || rank_ == kCoccyx) return std::string(Letter());
  int first = 1;
  if (rank_ >= kFirstS) {
    first = kFirstS;
  } else if (rank_ >= kFirstL) {
    first = kFirstL;
  } else if (rank_ >= kFirstT) {
    first = kFirstT;
  }
  return std::string(Letter()) + std::to_string(rank_ - first + 1);
}

std::string_view Vertebra::Letter() const {
  if (!valid()) return {};
  if (rank_ == kOcciput) return "O";
  if (rank_ == kCoccyx) return "Co";
  if (rank_ < kFirstT) return "C";
  if (rank_ < kFirstL) return "T";
  if (rank_ < kFirstS) return "L";
  return "S";
}

Vertebra Vertebra::Next(bool l6) const {
  if (rank_ == kL5) return AtRank(l6 ? kL6 : kFirstS);
  if (!valid() || rank_ >= kCoccyx) return Vertebra();
  return AtRank(rank_ + 1);
}

Region Vertebra::region() const {
  if (rank_ <= 2) return Region::kOccipitoAtlantoAxial;  // design table: C2 itself
  if (rank_ < kFirstT) return Region::kCervical;
  if (rank_ < kFirstL) return Region::kThoracic;
  if (rank_ < kFirstS) return Region::kLumbar;
  return Region::kSacralSacrococcygeal;
}

bool Segment::Parse(std::string_view name, Segment* out) {
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos) return false;
  out->upper = Vertebra::Parse(name.substr(0, dash));
  out->lower = Vertebra::Parse(name.substr(dash + 1));
  if (!out->upper.valid() || !out->lower.valid()) return false;
  const bool l6 = out->upper.rank() == Vertebra::kL6 || out->lower.rank() == Vertebra::kL6;
  return out->upper.Next(l6) == out->lower;
}

std::string Segment::Name() const { return upper.Name() + "-" + lower.Name(); }

Region Segment::region() const {
  const int u = upper.rank();
  if (u <= 1) return Region::kOccipitoAtlantoAxial;  // O-C1, C1-C2
  if (u <= 6) return Region::kCervical;
  if (u == 7) return Region::kCervicothoracic;
  if (u < Vertebra::kFirstL - 1) return Region::kThoracic;
  if (u == Vertebra::kFirstL - 1) return Region::kThoracolumbar;
  if (u < Vertebra::kL5) return Region::kLumbar;
  if (u == Vertebra::kL5) return lower.rank() == Vertebra::kL6 ? Region::kLumbar : Region::kLumbosacral;
  if (u == Vertebra::kL6) return Region::kLumbosacral;
  return Region::kSacralSacrococcygeal;
}

std::string_view RegionOfSegment(std::string_view segment) {
  Segment s;
  if (!Segment::Parse(segment, &s)) return {};
  return RegionName(s.region());
}

std::string_view RegionOfVertebra(std::string_view vertebra) {
  const Vertebra v = Vertebra::Parse(vertebra);
  return v.valid() ? std::string_view(RegionName(v.region())) : std::string_view();
}

void SortSegments(std::vector<std::string>* segments) {
  std::stable_sort(segments->begin(), segments->end(),
                   [](const std::string& a, const std::string& b) {
                     return Vertebra::Parse(std::string_view(a).substr(0, a.find('-'))) <
                            Vertebra::Parse(std::string_view(b).substr(0, b.find('-')));
                   });
}

}  // namespace suggest::internal
