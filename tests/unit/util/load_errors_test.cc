// Copyright libsuggest authors.
//
// LoadErrors (every error of a load, up to a cap) and the "did you mean" of
// unknown keys and values.

#include "util/load_errors.h"

#include <gtest/gtest.h>

#include <string>

namespace suggest::internal {
namespace {

Status Err(int i) {
  return Status(StatusCode::kInvalidArgument, "f.toml:" + std::to_string(i) + ":1: error: e",
                "rule_file");
}

TEST(LoadErrors, OkUntilAnErrorThenOneLineEach) {
  LoadErrors errors;
  EXPECT_FALSE(errors.Add(Status()));
  EXPECT_TRUE(errors.ok());
  EXPECT_TRUE(errors.ToStatus().ok());
  EXPECT_TRUE(errors.Add(Err(1)));
  // One error: the Status as given.
  EXPECT_EQ(errors.ToStatus().message(), "f.toml:1:1: error: e");
  errors.Add(Status(StatusCode::kNotFound, "g.toml: error: cannot read file"));
  const Status s = errors.ToStatus();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);  // the first error's
  EXPECT_EQ(s.kind(), "rule_file");
  EXPECT_EQ(s.message(), "f.toml:1:1: error: e\ng.toml: error: cannot read file");
  EXPECT_EQ(ErrorCount(s), 2u);
}

TEST(LoadErrors, CapsTheListAndCountsTheRest) {
  LoadErrors inner;
  for (int i = 1; i <= 70; ++i) inner.Add(Err(i));
  const Status s = inner.ToStatus();
  EXPECT_EQ(ErrorCount(s), 70u);
  const std::string& m = s.message();
  EXPECT_EQ(m.substr(m.rfind('\n') + 1), "... and 20 more errors");
  EXPECT_EQ(m.find("f.toml:51:"), std::string::npos);
  // Nested: a file's errors added to the load's keep their count.
  LoadErrors outer;
  outer.Add(Err(0));
  outer.Add(s);
  EXPECT_EQ(outer.count(), 71u);
  const Status os = outer.ToStatus();  // the message lives as long as its Status
  const std::string& o = os.message();
  EXPECT_EQ(o.substr(o.rfind('\n') + 1), "... and 21 more errors");
  EXPECT_EQ(ErrorCount(outer.ToStatus()), 71u);
}

TEST(LoadErrors, DidYouMeanNearMissesOnly) {
  const std::vector<std::string> keys = {"id", "kind", "pattern", "attributes", "examples"};
  EXPECT_EQ(NearestName("patern", keys), "pattern");
  EXPECT_EQ(NearestName("exmaples", keys), "examples");  // a swap
  EXPECT_EQ(NearestName("Kind", keys), "kind");
  EXPECT_EQ(NearestName("colour", keys), "");
  EXPECT_EQ(NearestName("kind", keys), "");  // not a miss
  EXPECT_EQ(DidYouMean("NEGATD", {"NEGATED", "POSSIBLE"}), "; did you mean 'NEGATED'?");
  EXPECT_EQ(AllowedList("x", {"a", "b"}), " (allowed: a, b)");
  EXPECT_EQ(AllowedList("b2", {"a", "b"}), " (allowed: a, b); did you mean 'b'?");
}

}  // namespace
}  // namespace suggest::internal
