// Copyright libsuggest authors.
//
// SHA-256 (FIPS 180-4), for the models version: a digest of the data files a
// model loaded, which must be the same on every machine (std::hash is not).
// Not used for security.

#ifndef LIBSUGGEST_SRC_UTIL_SHA256_H_
#define LIBSUGGEST_SRC_UTIL_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace suggest::internal {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  // The 32-byte digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> Finish();
  // Lowercase hex of Finish().
  std::string HexDigest();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_UTIL_SHA256_H_
