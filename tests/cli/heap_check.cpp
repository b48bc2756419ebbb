// The CLI's heap preparation (cli/heap.cpp), in a process of its own so that the heap it looks
// at is fresh: a block carved from heap the allocator has just grown is not resident, nor after
// prefault_heap_for a spec above the size limit, a folder or a missing file; after
// prefault_heap_for a spec at the limit it is, and where the kernel gives transparent huge pages
// it starts on a huge-page boundary inside huge pages. Exits 0 when that holds, 1 with the
// figures when not, 77 (skipped) when another allocator than glibc's sits under malloc
// (sanitizers), the kernel cannot populate, or fresh heap is resident already (nothing to tell
// apart).
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

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

// A /proc file's text, read with system calls into a static buffer (allocates nothing).
const char* read_proc(const char* path) {
  static char text[1 << 20];
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  std::size_t n = 0;
  if (fd >= 0) {
    ssize_t got = 0;
    while (n < sizeof text - 1 && (got = ::read(fd, text + n, sizeof text - 1 - n)) > 0)
      n += static_cast<std::size_t>(got);
    ::close(fd);
  }
  text[n] = '\0';
  return text;
}

// The "NAME value" field of /proc/vmstat, or ~0 when it is not there.
unsigned long long vmstat(const char* name) {
  const char* text = read_proc("/proc/vmstat");
  const std::size_t len = std::strlen(name);
  for (const char* line = text; *line != '\0';) {
    if (std::strncmp(line, name, len) == 0 && line[len] == ' ')
      return std::strtoull(line + len + 1, nullptr, 10);
    const char* next = std::strchr(line, '\n');
    if (!next) break;
    line = next + 1;
  }
  return ~0ull;
}

// The AnonHugePages figure (kB) of the mapping that holds `p`, from /proc/self/smaps; ~0 when
// the mapping or the figure is not found.
unsigned long long anon_huge_kb(const void* p) {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  const char* text = read_proc("/proc/self/smaps");
  bool inside = false;
  for (const char* line = text; *line != '\0';) {
    char* end = nullptr;
    const unsigned long long lo = std::strtoull(line, &end, 16);
    if (end != line && *end == '-') {
      const unsigned long long hi = std::strtoull(end + 1, nullptr, 16);
      inside = lo <= at && at < hi;
    } else if (inside && std::strncmp(line, "AnonHugePages:", 14) == 0) {
      return std::strtoull(line + 14, nullptr, 10);
    }
    const char* next = std::strchr(line, '\n');
    if (!next) break;
    line = next + 1;
  }
  return ~0ull;
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
  static_assert(4 * (64 << 10) * 48 > 4 * kBlock, "the test spec's heap covers the blocks");
  std::size_t pages = 0;

  // Control: without preparation, a block from freshly grown heap is not resident (so the
  // measurement below can tell the difference).
  void* cold = std::malloc(kBlock);
  const std::size_t cold_resident = resident_pages(cold, kBlock, pages);
  std::free(cold);
  if (cold_resident * 2 > pages) {  // e.g. transparent huge pages set to "always"
    std::printf("heap_check: skipped (a fresh block is already resident: %zu of %zu pages)\n",
                cold_resident, pages);
    return 77;
  }

  // A spec above the size limit is refused unread: nothing is populated for it; nor for a path
  // that is not a regular file. The file is written with system calls: a FILE would be
  // allocated between the measured block and the top of the heap.
  char path[] = "/tmp/lambdaform-heap-check-XXXXXX";
  const int fd = ::mkstemp(path);
  static char chunk[64 << 10];
  bool written = fd >= 0;
  for (int i = 0; written && i < 4; ++i) written = ::write(fd, chunk, sizeof chunk) == sizeof chunk;
  if (fd >= 0) ::close(fd);
  if (!written) {
    ::unlink(path);
    std::fprintf(stderr, "heap_check: cannot write %s\n", path);
    return 1;
  }
  const std::size_t spec_bytes = 4 * sizeof chunk;  // expected_heap: about 12.1 MiB
  prefault_heap_for(path, spec_bytes - 1);
  prefault_heap_for("/tmp", 1 << 20);
  prefault_heap_for("/nonexistent/lambdaform/spec.yaml", 1 << 20);
  void* refused = std::malloc(kBlock);
  const std::size_t refused_resident = resident_pages(refused, kBlock, pages);
  std::free(refused);
  if (refused_resident > cold_resident) {
    ::unlink(path);
    return fail("after prefault_heap_for a spec above the limit", refused_resident, pages);
  }

  // The control block went back to the top of the heap, untouched: prefault_heap_for populates
  // the heap's next pages (the spec is at the limit) and the next block is carved from them.
  // Where the kernel hands out transparent huge pages, the next block starts on a huge-page
  // boundary (the spacer below it is kept) and its mapping holds huge pages. Everything is
  // measured before the block is freed.
  const std::size_t huge = transparent_huge_page_size();
  const unsigned long long fallbacks = vmstat("thp_fault_fallback");
  prefault_heap_for(path, spec_bytes);
  ::unlink(path);
  void* warm = std::malloc(kBlock);
  const std::size_t warm_resident = resident_pages(warm, kBlock, pages);
  const auto offset = reinterpret_cast<std::uintptr_t>(warm) & (huge - 1);
  const unsigned long long huge_kb = huge ? anon_huge_kb(warm) : 0;
  std::free(warm);
  if (warm_resident != pages) return fail("after prefault_heap_for", warm_resident, pages);
  std::printf(
      "heap_check: fresh block %zu of %zu pages resident, after a refused spec %zu, after "
      "prefault_heap_for %zu\n",
      cold_resident, pages, refused_resident, warm_resident);
  if (huge == 0) {
    std::puts("heap_check: no transparent huge pages here (mode never): small pages");
    return 0;
  }
  if (offset != 0) {
    std::fprintf(stderr,
                 "heap_check: the block after prefault_heap_for is %zu bytes past a %zu-byte "
                 "huge-page boundary\n",
                 static_cast<std::size_t>(offset), huge);
    return 1;
  }
  // expected_heap is 12.1 MiB here: 7 huge pages of 2 MiB. The control blocks above moved the
  // top chunk's header into one of those ranges (a small page touched before the advice), and
  // that range stays in small pages; a render's heap has no such page.
  if (huge_kb != ~0ull && huge_kb < 12 * 1024 && vmstat("thp_fault_fallback") != fallbacks) {
    std::printf(
        "heap_check: the kernel had too few huge pages free (thp_fault_fallback grew): "
        "%llu kB of huge pages\n",
        huge_kb);
    return 0;
  }
  if (huge_kb == ~0ull || huge_kb < 12 * 1024) {
    std::fprintf(stderr, "heap_check: the heap's mapping holds %llu kB of huge pages, not 12 MiB\n",
                 huge_kb);
    return 1;
  }
  std::printf("heap_check: the block starts on a huge-page boundary; %llu kB of huge pages\n",
              huge_kb);
  return 0;
}

#endif
