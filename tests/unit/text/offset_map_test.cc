// Copyright libsuggest authors.
#include "text/offset_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

namespace suggest::internal {
namespace {

TEST(OffsetMapTest, EmptyMap) {
  OffsetMap m;
  EXPECT_TRUE(m.IsIdentity());
  EXPECT_EQ(m.original_size(), 0u);
  EXPECT_EQ(m.normalized_size(), 0u);
  EXPECT_EQ(m.ToOriginal(0, 0), (Span{0, 0}));
  EXPECT_TRUE(m.IsBoundary(0));
  EXPECT_TRUE(OffsetMap::Identity(0).IsIdentity());
}

TEST(OffsetMapTest, Identity) {
  OffsetMap m = OffsetMap::Identity(10);
  EXPECT_TRUE(m.IsIdentity());
  EXPECT_EQ(m.ToOriginal(2, 5), (Span{2, 5}));
  EXPECT_EQ(m.ToOriginal(10, 10), (Span{10, 10}));
  EXPECT_EQ(m.ToOriginalBegin(7), 7u);
  for (uint32_t p = 0; p <= 10; ++p) EXPECT_TRUE(m.IsBoundary(p));
  EXPECT_FALSE(m.IsBoundary(11));
  // Builders merge: unchanged runs and 1 -> 1 changes stay identity.
  OffsetMap b;
  b.AppendUnchanged(3);
  b.AppendChange(1, 1);
  b.AppendUnchanged(2);
  b.AppendChange(0, 0);
  EXPECT_TRUE(b.IsIdentity());
  EXPECT_EQ(b, OffsetMap::Identity(6));
}

TEST(OffsetMapTest, ChangeChunkWidensToWholeSource) {
  // "C5" + en dash (3 bytes) + "C6" -> "c5-c6".
  OffsetMap m;
  m.AppendUnchanged(2);
  m.AppendChange(3, 1);
  m.AppendUnchanged(2);
  EXPECT_FALSE(m.IsIdentity());
  EXPECT_EQ(m.original_size(), 7u);
  EXPECT_EQ(m.normalized_size(), 5u);
  EXPECT_EQ(m.ToOriginal(2, 3), (Span{2, 5}));
  EXPECT_EQ(m.ToOriginal(0, 5), (Span{0, 7}));
  EXPECT_EQ(m.ToOriginal(3, 5), (Span{5, 7}));
  EXPECT_EQ(m.ToOriginal(3, 3), (Span{5, 5}));

  // A 3 -> 2 change ("e" + U+0301 -> U+00E9): the middle is not a boundary.
  OffsetMap c;
  c.AppendChange(3, 2);
  c.AppendUnchanged(1);
  EXPECT_TRUE(c.IsBoundary(0));
  EXPECT_FALSE(c.IsBoundary(1));
  EXPECT_TRUE(c.IsBoundary(2));
  EXPECT_TRUE(c.IsBoundary(3));
  EXPECT_EQ(c.ToOriginal(1, 2), (Span{0, 3}));
  EXPECT_EQ(c.ToOriginalBegin(1), 0u);
}

TEST(OffsetMapTest, DeletionsInsideSpanOnlyBetweenMappedBytes) {
  // "a" + soft hyphen (deleted) + "b" -> "ab".
  OffsetMap m;
  m.AppendUnchanged(1);
  m.AppendChange(2, 0);
  m.AppendUnchanged(1);
  EXPECT_EQ(m.ToOriginal(0, 2), (Span{0, 4}));
  EXPECT_EQ(m.ToOriginal(0, 1), (Span{0, 1}));
  EXPECT_EQ(m.ToOriginal(1, 2), (Span{3, 4}));
  EXPECT_EQ(m.ToOriginal(1, 1), (Span{3, 3}));
  EXPECT_TRUE(m.IsBoundary(1));

  // Leading and trailing deletions stay outside every span.
  OffsetMap e;
  e.AppendChange(3, 0);
  e.AppendUnchanged(2);
  e.AppendChange(3, 0);
  EXPECT_EQ(e.ToOriginal(0, 2), (Span{3, 5}));
  EXPECT_EQ(e.ToOriginal(2, 2), (Span{8, 8}));
}

TEST(OffsetMapTest, Insertion) {
  OffsetMap m;
  m.AppendUnchanged(1);
  m.AppendChange(0, 2);
  m.AppendUnchanged(1);
  EXPECT_EQ(m.ToOriginal(1, 3), (Span{1, 1}));
  EXPECT_EQ(m.ToOriginal(1, 2), (Span{1, 1}));
  EXPECT_EQ(m.ToOriginal(0, 4), (Span{0, 2}));
  EXPECT_FALSE(m.IsBoundary(2));
  EXPECT_TRUE(m.IsBoundary(3));
}

TEST(OffsetMapTest, ThenComposesRepairAndNormalization) {
  // Original "x" + bad byte + "y"; repair makes "x" U+FFFD "y" (5 bytes),
  // then a later pass turns U+FFFD into one byte "?".
  OffsetMap repair;
  repair.AppendUnchanged(1);
  repair.AppendChange(1, 3);
  repair.AppendUnchanged(1);
  OffsetMap later;
  later.AppendUnchanged(1);
  later.AppendChange(3, 1);
  later.AppendUnchanged(1);
  OffsetMap m = repair.Then(later);
  EXPECT_EQ(m.original_size(), 3u);
  EXPECT_EQ(m.normalized_size(), 3u);
  EXPECT_TRUE(m.IsIdentity());  // 1 -> 3 -> 1 is a 1 -> 1 change

  // Identity on either side returns the other map.
  EXPECT_EQ(OffsetMap::Identity(5).Then(later), later);
  EXPECT_EQ(repair.Then(OffsetMap::Identity(5)), repair);
}

TEST(OffsetMapTest, ThenMergesOverlappingChanges) {
  // inner: mid [0,2) unchanged, mid [2,4) from a 3-byte change.
  OffsetMap inner;
  inner.AppendUnchanged(2);
  inner.AppendChange(3, 2);
  // outer: mid [1,3) -> 1 byte, rest unchanged.
  OffsetMap outer;
  outer.AppendUnchanged(1);
  outer.AppendChange(2, 1);
  outer.AppendUnchanged(1);
  OffsetMap m = inner.Then(outer);
  // Normalized "a" + X + "d": X and "d" both come from orig [1,5).
  EXPECT_EQ(m.normalized_size(), 3u);
  EXPECT_EQ(m.ToOriginal(0, 1), (Span{0, 1}));
  EXPECT_EQ(m.ToOriginal(1, 2), (Span{1, 5}));
  EXPECT_EQ(m.ToOriginal(2, 3), (Span{1, 5}));
  EXPECT_FALSE(m.IsBoundary(2));
}

// ---------------------------------------------------------------------------
// Property test against a brute-force per-byte model.

struct TestChunk {
  uint32_t orig_len;
  uint32_t norm_len;
  bool unchanged;
};

OffsetMap Build(const std::vector<TestChunk>& chunks) {
  OffsetMap m;
  for (const TestChunk& c : chunks) {
    if (c.unchanged) {
      m.AppendUnchanged(c.norm_len);
    } else {
      m.AppendChange(c.orig_len, c.norm_len);
    }
  }
  return m;
}

// Per normalized byte: the original span it maps to and an id of the unit
// it belongs to (each unchanged byte is its own unit).
struct ByteModel {
  std::vector<Span> span;
  std::vector<int> unit;
  uint32_t orig_size = 0;

  uint32_t Begin(uint32_t pos) const {
    return pos < span.size() ? span[pos].begin : orig_size;
  }
  Span ToOriginal(uint32_t b, uint32_t e) const {
    if (b == e) return Span{Begin(b), Begin(b)};
    return Span{span[b].begin, span[e - 1].end};
  }
  bool IsBoundary(uint32_t pos) const {
    return pos == 0 || pos == span.size() || unit[pos - 1] != unit[pos];
  }
};

ByteModel Model(const std::vector<TestChunk>& chunks) {
  ByteModel m;
  int unit = 0;
  uint32_t o = 0;
  for (const TestChunk& c : chunks) {
    for (uint32_t k = 0; k < c.norm_len; ++k) {
      if (c.unchanged) {
        m.span.push_back(Span{o + k, o + k + 1});
        m.unit.push_back(unit++);
      } else {
        m.span.push_back(Span{o, o + c.orig_len});
        m.unit.push_back(unit);
      }
    }
    if (!c.unchanged) ++unit;
    o += c.orig_len;
  }
  m.orig_size = o;
  return m;
}

void ExpectSameQueries(const OffsetMap& map, const ByteModel& model,
                       const std::string& what) {
  const uint32_t n = static_cast<uint32_t>(model.span.size());
  ASSERT_EQ(map.normalized_size(), n) << what;
  ASSERT_EQ(map.original_size(), model.orig_size) << what;
  for (uint32_t b = 0; b <= n; ++b) {
    ASSERT_EQ(map.ToOriginalBegin(b), model.Begin(b)) << what << " b=" << b;
    ASSERT_EQ(map.IsBoundary(b), model.IsBoundary(b)) << what << " p=" << b;
    for (uint32_t e = b; e <= n; ++e) {
      ASSERT_EQ(map.ToOriginal(b, e), model.ToOriginal(b, e))
          << what << " [" << b << "," << e << ")";
    }
  }
}

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(size_t n) : parent(n) {
    std::iota(parent.begin(), parent.end(), 0);
  }
  int Find(int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(int a, int b) { parent[Find(a)] = Find(b); }
};

// Composition model: nodes are normalized, middle and original bytes; a
// change chunk ties all its bytes together, an unchanged chunk ties byte k to
// byte k. A zero-width chunk of one map (outer insertion, inner deletion)
// joins a change chunk of the other map only if it sits strictly inside it.
ByteModel ComposeModel(const std::vector<TestChunk>& inner,
                       const std::vector<TestChunk>& outer) {
  const ByteModel in = Model(inner);
  const ByteModel out = Model(outer);
  const int n = static_cast<int>(out.span.size());
  const int mid = static_cast<int>(in.span.size());
  const int orig = static_cast<int>(in.orig_size);
  UnionFind uf(n + mid + orig);
  auto N = [](int x) { return x; };
  auto M = [&](int x) { return n + x; };
  auto O = [&](int x) { return n + mid + x; };

  struct Range { int begin, end; };
  std::vector<Range> inner_changes, outer_changes;  // middle ranges
  // Lays out a map's chunks: lo = its lower side, hi = its upper side.
  auto layout = [&](const std::vector<TestChunk>& chunks, auto lo_node,
                    auto hi_node, std::vector<Range>* changes,
                    std::vector<std::pair<int, Range>>* zero_width,
                    bool zero_on_lo) {
    int lo = 0, hi = 0;
    for (const TestChunk& c : chunks) {
      const int ll = c.orig_len, hl = c.norm_len;
      if (c.unchanged) {
        for (int k = 0; k < hl; ++k) uf.Union(lo_node(lo + k), hi_node(hi + k));
      } else {
        std::vector<int> nodes;
        for (int k = 0; k < ll; ++k) nodes.push_back(lo_node(lo + k));
        for (int k = 0; k < hl; ++k) nodes.push_back(hi_node(hi + k));
        for (size_t k = 1; k < nodes.size(); ++k) uf.Union(nodes[0], nodes[k]);
        const int mid_begin = zero_on_lo ? hi : lo;
        const int mid_len = zero_on_lo ? hl : ll;
        if (mid_len > 0) {
          changes->push_back({mid_begin, mid_begin + mid_len});
        } else {
          zero_width->push_back({nodes[0], {mid_begin, mid_begin}});
        }
      }
      lo += ll;
      hi += hl;
    }
  };
  std::vector<std::pair<int, Range>> deletions, insertions;
  layout(inner, O, M, &inner_changes, &deletions, /*zero_on_lo=*/true);
  layout(outer, M, N, &outer_changes, &insertions, /*zero_on_lo=*/false);
  for (auto& [node, at] : deletions) {
    for (const Range& r : outer_changes) {
      if (r.begin < at.begin && at.begin < r.end) uf.Union(node, M(r.begin));
    }
  }
  for (auto& [node, at] : insertions) {
    for (const Range& r : inner_changes) {
      if (r.begin < at.begin && at.begin < r.end) uf.Union(node, M(r.begin));
    }
  }

  ByteModel r;
  r.orig_size = orig;
  for (int x = 0; x < n; ++x) {
    const int root = uf.Find(N(x));
    int lo = orig + 1, hi = -1;
    for (int y = 0; y < orig; ++y) {
      if (uf.Find(O(y)) == root) lo = std::min(lo, y), hi = std::max(hi, y);
    }
    if (hi < 0) {
      // No original bytes: an insertion, placed where the inner map puts
      // the middle position this byte came from.
      const uint32_t at = in.Begin(out.span[x].begin);
      r.span.push_back(Span{at, at});
    } else {
      r.span.push_back(Span{static_cast<uint32_t>(lo),
                            static_cast<uint32_t>(hi + 1)});
    }
    r.unit.push_back(root);
  }
  return r;
}

TestChunk RandomChunk(std::mt19937& rng, uint32_t max_mid, bool mid_is_orig) {
  if (rng() % 3 == 0 && max_mid > 0) {
    const uint32_t len = 1 + rng() % std::min<uint32_t>(max_mid, 4);
    return {len, len, true};
  }
  while (true) {
    uint32_t o = rng() % 4, n = rng() % 4;
    const uint32_t mid = mid_is_orig ? o : n;
    if ((o == 0 && n == 0) || mid > max_mid) continue;
    return {o, n, false};
  }
}

TEST(OffsetMapTest, RandomLayoutsMatchBruteForce) {
  std::mt19937 rng(424242);
  for (int iter = 0; iter < 4000; ++iter) {
    std::vector<TestChunk> inner;
    const int count = rng() % 10;
    for (int k = 0; k < count; ++k) inner.push_back(RandomChunk(rng, 4, false));
    const OffsetMap in = Build(inner);
    ExpectSameQueries(in, Model(inner), "inner");

    // Outer chunks must consume exactly the middle string.
    std::vector<TestChunk> outer;
    uint32_t left = in.normalized_size();
    while (left > 0 || rng() % 4 == 0) {
      TestChunk c = RandomChunk(rng, left, true);
      left -= c.orig_len;
      outer.push_back(c);
    }
    const OffsetMap out = Build(outer);
    ExpectSameQueries(out, Model(outer), "outer");

    const OffsetMap composed = in.Then(out);
    ExpectSameQueries(composed, ComposeModel(inner, outer), "composed");
    if (HasFatalFailure()) {
      ADD_FAILURE() << "iteration " << iter;
      return;
    }
  }
}

// Cursor gives the members' answers for queries in document order (with
// small steps back, as the tokenizer's widening makes) and in random order.
TEST(OffsetMapTest, CursorMatchesMembers) {
  std::mt19937 rng(777);
  for (int iter = 0; iter < 2000; ++iter) {
    std::vector<TestChunk> chunks;
    const int count = rng() % 40;
    for (int k = 0; k < count; ++k) chunks.push_back(RandomChunk(rng, 4, false));
    const OffsetMap m = Build(chunks);
    const uint32_t n = m.normalized_size();
    std::vector<uint32_t> order(n + 2);
    std::iota(order.begin(), order.end(), 0u);  // n + 1: beyond the end
    for (int pass = 0; pass < 3; ++pass) {
      if (pass == 1) {
        for (size_t i = 1; i < order.size(); i += 3) std::swap(order[i], order[i - 1]);
      } else if (pass == 2) {
        std::shuffle(order.begin(), order.end(), rng);
      }
      OffsetMap::Cursor c(m);
      for (uint32_t p : order) {
        ASSERT_EQ(c.IsBoundary(p), m.IsBoundary(p)) << "iteration " << iter << " pos " << p;
        if (p > n) continue;
        const uint32_t e = std::min(n, p + static_cast<uint32_t>(rng() % 5));
        ASSERT_EQ(c.ToOriginal(p, e), m.ToOriginal(p, e))
            << "iteration " << iter << " [" << p << ", " << e << ")";
      }
    }
  }
}

TEST(OffsetMapTest, BinarySearchOnManyChunks) {
  OffsetMap m;
  for (int k = 0; k < 100000; ++k) {
    m.AppendUnchanged(5);
    m.AppendChange(3, 1);
    m.AppendChange(2, 0);
  }
  // Chunk k: norm [6k, 6k+6), orig [10k, 10k+10).
  const uint32_t k = 77777;
  EXPECT_EQ(m.ToOriginal(6 * k + 2, 6 * k + 5), (Span{10 * k + 2, 10 * k + 5}));
  EXPECT_EQ(m.ToOriginal(6 * k + 5, 6 * k + 6), (Span{10 * k + 5, 10 * k + 8}));
  EXPECT_EQ(m.ToOriginal(6 * k + 5, 6 * k + 7), (Span{10 * k + 5, 10 * k + 11}));
  EXPECT_EQ(m.ToOriginalBegin(6 * k + 6), 10 * k + 10);
}

}  // namespace
}  // namespace suggest::internal
