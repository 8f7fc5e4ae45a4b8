// Copyright libsuggest authors.
//
// A deliberate data race, built only for the ThreadSanitizer run: the test
// tsan.canary passes only if TSan reports it and stops the process with exit
// code 66, proving that the tsan tests are instrumented and that a report
// fails a test.

#include <thread>

int counter = 0;  // shared without synchronization, on purpose

int main() {
  std::thread a([] { ++counter; });
  std::thread b([] { ++counter; });
  a.join();
  b.join();
  return 0;
}
