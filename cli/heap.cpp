#include "heap.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace lambdaform::cli {

// Growing the heap in 8 MiB steps, never trimming it and keeping large blocks (a template's
// text) off mmap saves a sixth of a 125-function render's page faults and about a third of its
// system time (bench/README.md). Untouched pages of the padding are never made resident, so
// peak RSS does not grow.
void tune_allocator() {
#if defined(__GLIBC__)
  mallopt(M_TOP_PAD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

// Measured on the benchmark's specs (bench/README.md): the heap's high-water mark was 46-49
// times the spec's size (the node tree, the model, the version hashes, the YAML text) above
// about 128 KiB of the C++ runtime's own in session 9, and 40-41 times since the loader reads
// such specs without libyaml (session 10, massif); 48 keeps a margin. A spec of another shape
// may need less: the pages populated and never used cost 0.9-1.1 us each, a fraction of the
// faults saved.
std::size_t expected_heap(std::size_t spec_bytes) {
  constexpr std::size_t kFixed = 128 << 10;
  constexpr std::size_t kPerSpecByte = 48;
  constexpr std::size_t kMax = 16 << 20;  // below M_MMAP_THRESHOLD: one block of the heap
  return std::min(kMax, kFixed + std::min(spec_bytes, kMax) * kPerSpecByte);
}

namespace {

// The largest huge page asked for: 64 KiB-page kernels have 512 MiB huge pages, far more than a
// render's heap. Huge pages are taken for a heap of at least a quarter of one.
constexpr std::size_t kLargestHugePage = 2u << 20;

#if defined(__linux__)
// The first line of a small sysfs file, read with system calls only: a FILE would be allocated
// on the heap being prepared. Empty when it cannot be read.
std::size_t read_small_file(const char* path, char* buf, std::size_t size) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const ssize_t n = ::read(fd, buf, size - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  return static_cast<std::size_t>(n);
}
#endif

}  // namespace

std::size_t transparent_huge_page_size() {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  char buf[128];
  // "always [madvise] never": a process may ask for huge pages unless the mode is "never".
  if (read_small_file("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof buf) == 0 ||
      std::strstr(buf, "[never]") != nullptr)
    return 0;
  if (read_small_file("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", buf, sizeof buf) == 0)
    return 0;
  char* end = nullptr;
  const unsigned long long size = std::strtoull(buf, &end, 10);
  if (end == buf || size == 0 || (size & (size - 1)) != 0 || size > kLargestHugePage) return 0;
  return static_cast<std::size_t>(size);
#else
  return 0;
#endif
}

void prefault_heap(std::size_t bytes, std::size_t huge_page) {
#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE)
  // One block of `bytes` comes from the top of the heap (tune_allocator keeps it off mmap);
  // freed, it merges back into the top, where the allocations that follow are carved from.
  // Nothing may be allocated in between. Measured: a first-touch page fault took 1.4 us on one
  // 2-core machine and 10-11 us on another (a paravirtualized virtual machine);
  // populated in one call a page took 1.1 us and 5.6 us (0.9 us in the call, 4.7 us at the
  // first touch: the host's share). On the second machine a 2 MiB transparent huge page took
  // 0.15-0.3 us for each 4 KiB of it (bench/README.md, session 11).
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  if (page == 0 || (page & (page - 1)) != 0 || bytes < 16 * page) return;
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
  if (huge_page >= page && (huge_page & (huge_page - 1)) == 0 && bytes >= huge_page / 4) {
    // Whole huge pages: the heap's top is moved to the next huge-page boundary by a spacer block
    // that stays allocated and untouched (address space only), so that the allocations that
    // follow are carved from huge pages instead of from the small pages before the boundary.
    const std::size_t span = (bytes + huge_page - 1) & ~(huge_page - 1);
    void* block = std::malloc(span + 2 * huge_page);
    if (!block) return;
    const auto at = reinterpret_cast<std::uintptr_t>(block);
    begin = (at + huge_page - 1) & ~(huge_page - 1);
    // At least 128 KiB of spacer, so that it is carved from the top, not from a freed chunk.
    if (begin - at < (128u << 10)) begin += huge_page;
    end = begin + span;
    std::free(block);
    // glibc's chunks: the spacer's starts 16 bytes before `at`; one of begin - at - 16 bytes
    // ends 16 bytes before `begin`, where the top chunk's header goes, so that the next block
    // handed out starts at `begin`.
    void* spacer = std::malloc(begin - at - 16);
    if (!spacer) return;
    // Kept until the process exits, still reachable (volatile: the store must stay for leak
    // checkers to see it). Freed, it would merge back into the top of the heap.
    [[maybe_unused]] static void* volatile keep = nullptr;
    keep = spacer;
    (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  } else {
    void* block = std::malloc(bytes);
    if (!block) return;
    begin = (reinterpret_cast<std::uintptr_t>(block) + page - 1) & ~(page - 1);
    end = (reinterpret_cast<std::uintptr_t>(block) + bytes) & ~(page - 1);
    std::free(block);
  }
  if (end > begin)
    (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)bytes;
  (void)huge_page;
#endif
}

void prefault_heap_for(const std::string& spec_path, std::size_t max_spec_bytes) {
  struct stat st {};
  if (::stat(spec_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::uintmax_t>(st.st_size) > max_spec_bytes)
    return;
  const std::size_t bytes = expected_heap(static_cast<std::size_t>(st.st_size));
  // Below a quarter of the largest huge page small pages do: the two sysfs reads are skipped for
  // the common small spec.
  prefault_heap(bytes, bytes >= kLargestHugePage / 4 ? transparent_huge_page_size() : 0);
}

}  // namespace lambdaform::cli
