#include "heap.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

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

void prefault_heap(std::size_t bytes) {
#if defined(__GLIBC__) && defined(MADV_POPULATE_WRITE)
  // One block of `bytes` comes from the top of the heap (tune_allocator keeps it off mmap);
  // freed, it merges back into the top, where the allocations that follow are carved from.
  // Nothing may be allocated in between. Measured: a first-touch page fault took 1.4 us on one
  // 2-core machine and 11 us on another (a virtual machine); populated in one call a page took
  // 1.1 us and 5.6 us (0.9 us in the call, 4.7 us at the first touch: the host's share).
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  if (page == 0 || (page & (page - 1)) != 0 || bytes < 16 * page) return;
  void* block = std::malloc(bytes);
  if (!block) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(block) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(block) + bytes) & ~(page - 1);
  if (end > begin)
    (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
  std::free(block);
#else
  (void)bytes;
#endif
}

void prefault_heap_for(const std::string& spec_path, std::size_t max_spec_bytes) {
  struct stat st {};
  if (::stat(spec_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<std::uintmax_t>(st.st_size) > max_spec_bytes)
    return;
  prefault_heap(expected_heap(static_cast<std::size_t>(st.st_size)));
}

}  // namespace lambdaform::cli
