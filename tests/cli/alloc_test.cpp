// The CLI's operator new and delete (cli/alloc.cpp). This test program links them, so every
// allocation it makes, Catch2's included, goes through them.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "alloc.hpp"

using lambdaform::cli::allocator_chunks;
using lambdaform::cli::allocator_mode;
using lambdaform::cli::AllocatorChunks;
using lambdaform::cli::AllocatorMode;
using lambdaform::cli::kLargestSmallBlock;

namespace {

// tests/CMakeLists.txt also runs this program with LD_PRELOAD naming a library (malloc mode).
AllocatorMode expected_mode() {
  if (!LAMBDAFORM_CLI_OWN_NEW) return AllocatorMode::builtin;
  return lambdaform::cli::allocator_mode_for(std::getenv("LD_PRELOAD"));
}

bool own() {
  return allocator_mode() == AllocatorMode::own;
}

unsigned char pattern(std::size_t n, std::size_t i) {
  return static_cast<unsigned char>((n * 31 + i) % 251);
}

}  // namespace

TEST_CASE(
    "Allocator: the CLI's own allocator serves this process unless a sanitizer's or a "
    "preloaded library's does",
    "[cli][alloc]") {
  CHECK(allocator_mode() == expected_mode());
}

TEST_CASE("Allocator: a preloaded library other than valgrind's core preload gets every block",
          "[cli][alloc]") {
  using lambdaform::cli::allocator_mode_for;
  CHECK(allocator_mode_for(nullptr) == AllocatorMode::own);
  CHECK(allocator_mode_for("") == AllocatorMode::own);
  // callgrind and cachegrind
  CHECK(allocator_mode_for("/usr/libexec/valgrind/vgpreload_core-amd64-linux.so") ==
        AllocatorMode::own);
  // memcheck
  CHECK(allocator_mode_for("/usr/libexec/valgrind/vgpreload_core-amd64-linux.so:"
                           "/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so") ==
        AllocatorMode::malloc);
  CHECK(allocator_mode_for("/usr/lib/heaptrack/libheaptrack_preload.so") == AllocatorMode::malloc);
  CHECK(allocator_mode_for("libjemalloc.so.2") == AllocatorMode::malloc);
  CHECK(allocator_mode_for(" vgpreload_core-x86-linux.so  libjemalloc.so.2") ==
        AllocatorMode::malloc);
  CHECK(allocator_mode_for("::") == AllocatorMode::own);
}

TEST_CASE("Allocator: blocks of every size up to 2 KiB are 16-byte aligned and do not overlap",
          "[cli][alloc]") {
  std::vector<unsigned char*> blocks;
  for (std::size_t n = 0; n <= 2048; ++n) {
    auto* p = static_cast<unsigned char*>(::operator new(n));
    REQUIRE(reinterpret_cast<std::uintptr_t>(p) % 16 == 0);
    for (std::size_t i = 0; i < n; ++i) p[i] = pattern(n, i);
    blocks.push_back(p);
  }
  std::size_t damaged = 0;
  for (std::size_t n = 0; n <= 2048; ++n)
    for (std::size_t i = 0; i < n; ++i)
      if (blocks[n][i] != pattern(n, i)) ++damaged;
  CHECK(damaged == 0);
  // Sized and unsized delete both find the block's class.
  for (std::size_t n = 0; n <= 2048; ++n) {
    if (n % 2)
      ::operator delete(blocks[n], n);
    else
      ::operator delete(blocks[n]);
  }
}

TEST_CASE("Allocator: a freed small block is the next one handed out in its 16-byte size class",
          "[cli][alloc]") {
  if (!own()) return;            // the sanitizer's allocator keeps freed blocks in quarantine
  void* p = ::operator new(40);  // 40 + 8-byte header: the 48-byte class
  ::operator delete(p);
  void* q = ::operator new(33);  // 33 + 8 rounds up to 48 too
  CHECK(q == p);
  void* r = ::operator new(41);  // 49: the 64-byte class
  CHECK(r != p);
  ::operator delete(q);
  ::operator delete(r);
  void* big = ::operator new(kLargestSmallBlock);
  ::operator delete(big);
  CHECK(::operator new(kLargestSmallBlock - 7) == big);  // the same 512-byte class
  ::operator delete(big);
}

TEST_CASE("Allocator: chunks double from 8 KiB to 256 KiB and blocks above 504 bytes take none",
          "[cli][alloc]") {
  if (!own()) return;
  // Reserved here: the thread below must allocate nothing but the blocks it counts.
  std::vector<AllocatorChunks> seen;
  seen.reserve(4);
  std::vector<void*> kept;
  kept.reserve(2000);
  // A new thread starts without chunks.
  std::thread t([&] {
    seen.push_back(allocator_chunks());
    for (int i = 0; i < 64; ++i) kept.push_back(::operator new(kLargestSmallBlock + 1));
    seen.push_back(allocator_chunks());
    kept.push_back(::operator new(8));  // 16 bytes with its header: the first chunk
    seen.push_back(allocator_chunks());
    // The chunks of 8 to 256 KiB hold 15 + 31 + 63 + 127 + 255 + 511 = 1,002 blocks of 512
    // bytes (the 16-byte block above and each chunk's first 8 bytes and tail lost); 1,100 start a
    // seventh chunk, of 256 KiB again.
    const std::size_t blocks = 1100;
    for (std::size_t i = 0; i < blocks; ++i) kept.push_back(::operator new(kLargestSmallBlock));
    seen.push_back(allocator_chunks());
    for (void* p : kept) ::operator delete(p);
    kept.clear();
  });
  t.join();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].count == 0);
  CHECK(seen[1].count == 0);
  CHECK(seen[2].count == 1);
  CHECK(seen[2].bytes == 8192);
  CHECK(seen[3].count == 7);
  CHECK(seen[3].bytes == (8u + 16 + 32 + 64 + 128 + 256 + 256) << 10);
}

TEST_CASE("Allocator: a block freed on another thread is reused by the thread that freed it",
          "[cli][alloc]") {
  if (!own()) return;
  void* p = nullptr;
  void* again = nullptr;
  std::thread a([&] { p = ::operator new(100); });
  a.join();
  std::thread b([&] {
    ::operator delete(p);
    again = ::operator new(100);
  });
  b.join();
  CHECK(again == p);
  ::operator delete(again);
}

TEST_CASE("Allocator: two threads churning strings and maps keep every byte they wrote",
          "[cli][alloc]") {
  auto churn = [](unsigned seed, std::size_t& damaged) {
    std::mt19937 rng(seed);
    std::map<int, std::string> live;
    for (int i = 0; i < 200000; ++i) {
      const int key = static_cast<int>(rng() % 512);
      auto it = live.find(key);
      if (it != live.end()) {
        const std::string& s = it->second;
        for (std::size_t j = 0; j < s.size(); ++j)
          if (s[j] != static_cast<char>('a' + (key + j) % 26)) ++damaged;
        live.erase(it);
      } else {
        std::string s(rng() % 1200, '\0');
        for (std::size_t j = 0; j < s.size(); ++j) s[j] = static_cast<char>('a' + (key + j) % 26);
        live.emplace(key, std::move(s));
      }
    }
  };
  std::size_t damaged_a = 0;
  std::size_t damaged_b = 0;
  std::thread a([&] { churn(1, damaged_a); });
  std::thread b([&] { churn(2, damaged_b); });
  a.join();
  b.join();
  CHECK(damaged_a == 0);
  CHECK(damaged_b == 0);
}

namespace {
int handler_calls = 0;
void give_up() {
  ++handler_calls;
  std::set_new_handler(nullptr);
}
}  // namespace

TEST_CASE("Allocator: a request that cannot be met calls the new-handler, then throws bad_alloc",
          "[cli][alloc]") {
  if (!own()) return;  // a sanitizer reports such a request and stops the program
  volatile std::size_t huge = SIZE_MAX - 8;  // volatile: GCC warns about the constant
  handler_calls = 0;
  std::set_new_handler(give_up);
  CHECK_THROWS_AS(::operator new(huge), std::bad_alloc);
  CHECK(handler_calls == 1);
  CHECK(::operator new(huge, std::nothrow) == nullptr);
  CHECK(std::get_new_handler() == nullptr);
}

TEST_CASE("Allocator: deleting a pointer whose header is no size class of ours aborts",
          "[cli][alloc]") {
  if (!own()) return;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // A block of zeros from malloc: the 8 bytes before +16 read as class 0.
    auto* raw = static_cast<char*>(std::calloc(1, 64));
    void* volatile not_ours = raw + 16;  // volatile: GCC warns about the mismatch it is
    ::operator delete(not_ours);
    _exit(0);  // not reached when the header is refused
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
}
