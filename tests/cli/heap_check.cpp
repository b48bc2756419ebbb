// The CLI's heap preparation (cli/heap.cpp), in a process of its own so that the heap it looks
// at is fresh: a block carved from heap the allocator has just grown is not resident, and after
// prefault_heap it is. Exits 0 when that holds, 1 with the figures when not, 77 (skipped) when
// another allocator than glibc's sits under malloc (sanitizers) or the kernel cannot populate.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "heap.hpp"

#if defined(__SANITIZE_ADDRESS__) || !defined(__GLIBC__) || !defined(MADV_POPULATE_WRITE)

int main() {
  std::puts("heap_check: skipped (malloc is not glibc's, or no MADV_POPULATE_WRITE)");
  return 77;
}

#else

namespace {

// How many of the pages wholly inside [p, p + bytes) are resident. It allocates nothing: a block
// allocated here would sit between the block measured and the top of the heap.
std::size_t resident_pages(void* p, std::size_t bytes, std::size_t& pages) {
  static unsigned char in[4096];
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
  pages = (end - begin) / page;
  if (pages > sizeof in || ::mincore(reinterpret_cast<void*>(begin), end - begin, in) != 0)
    return 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < pages; ++i) n += in[i] & 1;
  return n;
}

int fail(const char* what, std::size_t resident, std::size_t pages) {
  std::fprintf(stderr, "heap_check: %s: %zu of %zu pages resident\n", what, resident, pages);
  return 1;
}

}  // namespace

int main() {
  using namespace lambdaform::cli;
  if (expected_heap(0) != (128u << 10) || expected_heap(72425) != (128u << 10) + 72425u * 48 ||
      expected_heap(1u << 20) != (16u << 20)) {
    std::fprintf(stderr, "heap_check: expected_heap is not 128 KiB + 48 x spec, at most 16 MiB\n");
    return 1;
  }
  // Kernels before 5.14 refuse the advice: then prefault_heap does nothing, by design.
  void* probe = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const bool populates = probe != MAP_FAILED && ::madvise(probe, 4096, MADV_POPULATE_WRITE) == 0;
  if (probe != MAP_FAILED) ::munmap(probe, 4096);
  if (!populates) {
    std::puts("heap_check: skipped (the kernel does not populate)");
    return 77;
  }
  tune_allocator();
  constexpr std::size_t kBlock = 2 << 20;
  std::size_t pages = 0;

  // Control: without preparation, a block from freshly grown heap is not resident (so the
  // measurement below can tell the difference).
  void* cold = std::malloc(kBlock);
  const std::size_t cold_resident = resident_pages(cold, kBlock, pages);
  std::free(cold);
  if (cold_resident * 2 > pages)
    return fail("a fresh block is already resident", cold_resident, pages);

  // The control block went back to the top of the heap, untouched: prefault_heap populates it
  // and the next block is carved from the same place.
  prefault_heap(4 * kBlock);
  void* warm = std::malloc(kBlock);
  const std::size_t warm_resident = resident_pages(warm, kBlock, pages);
  std::free(warm);
  if (warm_resident != pages) return fail("after prefault_heap", warm_resident, pages);
  std::printf("heap_check: fresh block %zu of %zu pages resident, after prefault_heap %zu of %zu\n",
              cold_resident, pages, warm_resident, pages);
  return 0;
}

#endif
