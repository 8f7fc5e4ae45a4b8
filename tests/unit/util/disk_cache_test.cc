// Copyright libsuggest authors.
#include "util/disk_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "match/prescreen.h"
#include "../../testing/env.h"

namespace suggest::internal {
namespace {

// A fresh directory for one test; cache() is the cache directory a load
// would be given (LoadOptions::cache_dir), not yet created. The variables
// DiskCacheDir reads are restored afterwards.
class DiskCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("suggest-cache-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string cache() const { return (dir_ / "sub").string(); }
  suggest::testing::SavedEnv env_{"SUGGEST_CACHE_DIR", "XDG_CACHE_HOME", "HOME"};
  std::filesystem::path dir_;
};

TEST(KeyHasherTest, SeparatesPartsAndIsStable) {
  EXPECT_NE(KeyHasher().Add("ab").Add("c").Hex(), KeyHasher().Add("a").Add("bc").Hex());
  EXPECT_EQ(KeyHasher().Add("x").Hex(), KeyHasher().Add("x").Hex());
  EXPECT_EQ(KeyHasher().Hex(), "cbf29ce484222325");  // the FNV-1a 64 offset basis
  EXPECT_EQ(KeyHasher().Add("x").Hex().size(), 16u);
}

TEST_F(DiskCacheTest, RoundTripCreatesTheDirectory) {
  DiskCacheScope scope("", /*write=*/false, cache());
  EXPECT_FALSE(ReadDiskCache("a.bin").has_value());
  const std::string bytes("one\0two", 7);
  ASSERT_TRUE(WriteDiskCache("a.bin", bytes));
  EXPECT_TRUE(std::filesystem::is_directory(dir_ / "sub"));
  auto back = ReadDiskCache("a.bin");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->view(), bytes);
  // No temporary file is left beside the entry.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "sub")) ++files, (void)e;
  EXPECT_EQ(files, 1u);
}

// An entry is mapped at its exact size (CacheBytes): several MiB of every
// byte value come back byte for byte, and an empty entry is empty bytes.
TEST_F(DiskCacheTest, LargeAndEmptyEntriesReadBackExactly) {
  DiskCacheScope scope("", /*write=*/false, cache());
  std::string big(5 * 1024 * 1024 + 3, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131 + i / 7) & 0xFF);
  ASSERT_TRUE(WriteDiskCache("big.bin", big));
  auto back = ReadDiskCache("big.bin");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->size(), big.size());
  EXPECT_TRUE(back->view() == big);
  ASSERT_TRUE(WriteDiskCache("empty.bin", ""));
  auto empty = ReadDiskCache("empty.bin");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->size(), 0u);
}

// The library keeps no cache unless a load asks for one: without a scope,
// or in a scope without a cache directory, nothing is read or written,
// whatever the environment says.
TEST_F(DiskCacheTest, NoCacheDirectoryMeansNoReadsAndNoWrites) {
  ::setenv("SUGGEST_CACHE_DIR", cache().c_str(), 1);
  EXPECT_FALSE(WriteDiskCache("a.bin", "x"));
  EXPECT_FALSE(ReadDiskCache("a.bin").has_value());
  {
    DiskCacheScope scope("", /*write=*/false, "");
    EXPECT_FALSE(WriteDiskCache("a.bin", "x"));
    EXPECT_FALSE(ReadDiskCache("a.bin").has_value());
  }
  EXPECT_FALSE(std::filesystem::exists(dir_));
}

// CheckedFile (issue 18 item 4): found only for the same `what` and the
// same bytes, with the content it wrote; a torn or foreign entry under its
// name is a miss, and without a scope nothing is found or stored.
TEST_F(DiskCacheTest, CheckedFileIsFoundOnlyForTheSameBytes) {
  const CheckedFile pack("rule pack", "a = 1\n");
  EXPECT_FALSE(pack.Found());
  EXPECT_FALSE(pack.Record());
  DiskCacheScope scope("", /*write=*/false, cache());
  EXPECT_FALSE(pack.Found());
  ASSERT_TRUE(pack.Record());
  EXPECT_TRUE(pack.Found());
  EXPECT_TRUE(CheckedFile("rule pack", "a = 1\n").Found());
  EXPECT_FALSE(CheckedFile("rule pack", "a = 2\n").Found());
  EXPECT_FALSE(CheckedFile("context", "a = 1\n").Found());
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(cache())) entries.push_back(e.path());
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].filename().string().rfind("checked-", 0), 0u);
  for (const char* torn : {"", "checked", "checked rule pack 0000000000000000\n"}) {
    std::ofstream(entries[0], std::ios::binary | std::ios::trunc) << torn;
    EXPECT_FALSE(pack.Found()) << torn;
  }
}

// DiskCacheDir (suggest::DefaultCacheDir): the per-user place callers may
// choose.
TEST_F(DiskCacheTest, DefaultDirectoryFollowsTheEnvironment) {
  ::setenv("SUGGEST_CACHE_DIR", "off", 1);
  EXPECT_EQ(DiskCacheDir(), "");
  ::setenv("SUGGEST_CACHE_DIR", "/x/y", 1);
  EXPECT_EQ(DiskCacheDir(), "/x/y");
  ::unsetenv("SUGGEST_CACHE_DIR");
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(DiskCacheDir(), "/xdg/libsuggest");
  ::setenv("XDG_CACHE_HOME", "relative", 1);  // not absolute: ignored
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DiskCacheDir(), "/home/u/.cache/libsuggest");
  ::unsetenv("XDG_CACHE_HOME");
  ::unsetenv("HOME");
  EXPECT_EQ(DiskCacheDir(), "");
}

// An entry is mapped, not copied: an empty file is empty bytes, a directory
// or a missing file is a miss, and a moved-from holder owns nothing.
TEST_F(DiskCacheTest, MappedEntries) {
  DiskCacheScope scope("", /*write=*/false, cache());
  ASSERT_TRUE(WriteDiskCache("empty.bin", ""));
  auto empty = ReadDiskCache("empty.bin");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->size(), 0u);
  std::filesystem::create_directories(dir_ / "sub" / "dir.bin");
  EXPECT_FALSE(ReadDiskCache("dir.bin").has_value());
  EXPECT_FALSE(ReadDiskCache("missing.bin").has_value());
  const std::string big(3 * 4096 + 17, 'q');
  ASSERT_TRUE(WriteDiskCache("big.bin", big));
  auto one = ReadDiskCache("big.bin");
  ASSERT_TRUE(one.has_value());
  CacheBytes two = std::move(*one);
  EXPECT_EQ(one->size(), 0u);
  EXPECT_EQ(two.view(), big);
}

TEST_F(DiskCacheTest, UnwritableDirectoryIsAMiss) {
  DiskCacheScope scope("", /*write=*/false, "/proc/suggest-cannot-exist");
  EXPECT_FALSE(WriteDiskCache("a.bin", "x"));
  EXPECT_FALSE(ReadDiskCache("a.bin").has_value());
}

// The prescreen stores its compiled database and reads it back; a torn or
// foreign entry is ignored and the screen is compiled again.
TEST_F(DiskCacheTest, PrescreenSurvivesACorruptEntry) {
  const std::vector<std::string> patterns = {"\\bfusion\\b", "\\bklippel-? ?feil\\b"};
  DiskCacheScope scope("", /*write=*/false, cache());
  auto first = Prescreen::Build(patterns);
  if (!first->active()) GTEST_SKIP() << first->inactive_reason();
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "sub")) entries.push_back(e);
  ASSERT_EQ(entries.size(), 2u);  // the ASCII and the UTF-8 database
  auto again = Prescreen::Build(patterns);
  EXPECT_TRUE(again->active());
  EXPECT_TRUE(again->Rejects("nothing here"));
  EXPECT_FALSE(again->Rejects("Klippel Feil"));

  for (const std::string& junk : {std::string(), std::string("not a database"),
                                  std::string(4096, '\x7f')}) {
    for (const auto& entry : entries)
      std::ofstream(entry, std::ios::binary | std::ios::trunc) << junk;
    auto rebuilt = Prescreen::Build(patterns);
    EXPECT_TRUE(rebuilt->active());
    EXPECT_TRUE(rebuilt->Rejects("nothing here"));
    EXPECT_FALSE(rebuilt->Rejects("a FUSION"));
    EXPECT_FALSE(rebuilt->RejectsNormalized("une fusion \xC3\xA9tendue"));
    EXPECT_TRUE(rebuilt->RejectsNormalized("rien \xC3\xA0 voir"));
  }
}

}  // namespace
}  // namespace suggest::internal
