// Copyright libsuggest authors.

#include "util/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace suggest::internal {
namespace {

std::string Hex(std::string_view s) {
  Sha256 h;
  h.Update(s);
  return h.HexDigest();
}

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, PiecesEqualWhole) {
  std::string s;
  for (int i = 0; i < 300; ++i) s += static_cast<char>(i * 7);
  for (size_t cut = 0; cut <= s.size(); cut += 13) {
    Sha256 h;
    h.Update(std::string_view(s).substr(0, cut));
    h.Update(std::string_view(s).substr(cut));
    EXPECT_EQ(h.HexDigest(), Hex(s)) << cut;
  }
}

}  // namespace
}  // namespace suggest::internal
