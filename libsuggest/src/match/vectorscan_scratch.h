// Copyright libsuggest authors.
//
// A thread's Vectorscan scratch space, shared by the scans of match/
// (prescreen.cc, rule_locator.cc; each keeps its own thread_local one, since
// their serial numbers are counted apart). Only included where
// SUGGEST_HAVE_VECTORSCAN is set.

#ifndef LIBSUGGEST_SRC_MATCH_VECTORSCAN_SCRATCH_H_
#define LIBSUGGEST_SRC_MATCH_VECTORSCAN_SCRATCH_H_

#include <hs/hs.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace suggest::internal {

// One scratch space, grown to fit every database it meets. hs_alloc_scratch
// costs tens of microseconds even when the space already fits, so it
// remembers which owners (by serial number, never by address: a freed
// database's address can come back) it has been grown for.
struct ThreadScratch {
  hs_scratch_t* scratch = nullptr;
  std::vector<uint64_t> fitted;

  ThreadScratch() = default;
  ThreadScratch(const ThreadScratch&) = delete;
  ThreadScratch& operator=(const ThreadScratch&) = delete;
  ~ThreadScratch() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }

  // Grows the space for the databases of the owner `serial` (once per
  // owner; null databases are skipped); false if Vectorscan could not
  // allocate it.
  bool Fit(uint64_t serial, std::initializer_list<const hs_database_t*> dbs) {
    if (std::find(fitted.begin(), fitted.end(), serial) != fitted.end()) return true;
    for (const hs_database_t* db : dbs)
      if (db != nullptr && hs_alloc_scratch(db, &scratch) != HS_SUCCESS) return false;
    fitted.push_back(serial);
    return true;
  }
};

}  // namespace suggest::internal

#endif  // LIBSUGGEST_SRC_MATCH_VECTORSCAN_SCRATCH_H_
