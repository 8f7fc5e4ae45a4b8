// Copyright libsuggest authors.
//
// Vertebral anatomy, in one place: which vertebrae exist, which two are
// adjacent, and the ICD-10-CM region of a vertebra and of a segment. The
// levels stage (levels.cc) builds its mentions with these values, the facts
// stage sorts segments by them and the mapper reads a segment's region
// through them. Segments and regions leave the library as names
// (suggest/types.h, the JSON): "C5-C6", "lumbosacral".
//
// Names:
//   vertebrae  "O" (occiput), "C1".."C7", "T1".."T12", "L1".."L5", "L6"
//              (only when a note writes it: transitional anatomy),
//              "S1".."S5", "Co" (coccyx). C8 is a nerve root, not a vertebra.
//   segments   two adjacent vertebrae, cranial first: "O-C1", "C5-C6",
//              "C7-T1", "T12-L1", "L5-S1", "L5-L6", "L6-S1", "S1-S2", "S5-Co".
//   regions    AllRegions(): the eight regions cranial to caudal, then
//              multiple_sites (a region word only: "the entire spine").

#ifndef LIBSUGGEST_SRC_FACTS_ANATOMY_H_
#define LIBSUGGEST_SRC_FACTS_ANATOMY_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace suggest::internal {

enum class Region : uint8_t {
  kOccipitoAtlantoAxial = 0,
  kCervical,
  kCervicothoracic,
  kThoracic,
  kThoracolumbar,
  kLumbar,
  kLumbosacral,
  kSacralSacrococcygeal,
  kMultipleSites,
};

// A whole decimal number ("12"); -1 if `s` is anything else. Vertebra
// numbers here and in the level rules (levels.cc).
int ParseInt(std::string_view s);

// The region names, in Region order.
const std::vector<std::string>& AllRegions();
inline const std::string& RegionName(Region r) { return AllRegions()[static_cast<size_t>(r)]; }
// The region called `name`; false if there is none.
bool ParseRegion(std::string_view name, Region* out);

// A vertebra, as its rank along the spine (cranial to caudal): O = 0,
// C1..C7 = 1..7, T1..T12 = 8..19, L1..L6 = 20..25, S1..S5 = 26..30, Co = 31.
// L6 has its own slot; it is walked through only when a mention writes L6.
// A default Vertebra is invalid (rank -1).
class Vertebra {
 public:
  static constexpr int kOcciput = 0;
  static constexpr int kFirstT = 8;
  static constexpr int kFirstL = 20;
  static constexpr int kL5 = 24;
  static constexpr int kL6 = 25;
  static constexpr int kFirstS = 26;
  static constexpr int kCoccyx = 31;

  constexpr Vertebra() = default;
  // The vertebra of `rank` (-1 or out of range: invalid).
  static constexpr Vertebra AtRank(int rank) {
    Vertebra v;
    v.rank_ = rank >= kOcciput && rank <= kCoccyx ? rank : -1;
    return v;
  }
  // The vertebra of a canonical letter ("O", "C", "T", "L", "S", "Co") and
  // number; invalid if there is none (C8 is a nerve root; C9, T13, L7, S6
  // do not exist).
  static Vertebra Of(std::string_view letter, int num);
  // "C5", "O", "Co", "L6"; invalid if `name` names no vertebra.
  static Vertebra Parse(std::string_view name);

  bool valid() const { return rank_ >= 0; }
  int rank() const { return rank_; }
  std::string Name() const;         // "C5"; empty if invalid
  std::string_view Letter() const;  // "C"; empty if invalid
  // The vertebra below; after L5 comes L6 only when `l6`. Invalid after Co.
  Vertebra Next(bool l6) const;
  // The region of the vertebra alone (C2 itself is atlanto-axial).
  Region region() const;

  friend constexpr bool operator==(Vertebra, Vertebra) = default;
  friend constexpr auto operator<=>(Vertebra, Vertebra) = default;

 private:
  int rank_ = -1;
};

// Two adjacent vertebrae, cranial first.
struct Segment {
  Vertebra upper;
  Vertebra lower;
  // "C5-C6" -> the segment; false unless two adjacent vertebrae are named.
  static bool Parse(std::string_view name, Segment* out);
  std::string Name() const;
  Region region() const;
  friend constexpr bool operator==(const Segment&, const Segment&) = default;
  friend constexpr auto operator<=>(const Segment&, const Segment&) = default;
};

// Region name of a segment ("L5-S1" -> "lumbosacral"); empty if `segment`
// is not two adjacent vertebrae.
std::string_view RegionOfSegment(std::string_view segment);
// Region name of one vertebra ("C2" -> "occipito_atlanto_axial"); empty if
// unknown.
std::string_view RegionOfVertebra(std::string_view vertebra);
// Orders segment names by their first vertebra, cranial first (stable).
void SortSegments(std::vector<std::string>* segments);

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_FACTS_ANATOMY_H_
