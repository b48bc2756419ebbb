// The CLI's global operator new and delete. A 125-function render makes about 62,000
// allocations, 97% of them of 256 bytes or less; glibc's malloc and free took a fifth of its
// instructions, mostly in their slow paths once glibc's per-thread cache (7 blocks a size) is
// full (bench/README.md, session 13). Here a block of up to kLargestSmallBlock bytes comes from
// the calling thread's free list for its 16-byte size class, or else is carved from the
// thread's current chunk; freed, it goes on the freeing thread's list. Chunks are never
// returned: the process is short. Larger blocks go to malloc.
//
// Each block has an 8-byte header before it: its size class, or kLargeTag. The header keeps
// unsized delete working and puts every block on a 16-byte boundary, as operator new must.
#include "alloc.hpp"

#include <cstdint>
#include <cstdlib>
#include <new>
#include <string_view>
#include <type_traits>

namespace lambdaform::cli {

// A preloaded library may watch or replace malloc (valgrind's memcheck and massif, heaptrack,
// jemalloc): it then gets every block. valgrind's core preload alone (callgrind, cachegrind)
// replaces nothing: they measure what runs without them.
AllocatorMode allocator_mode_for(const char* ld_preload) {
  std::string_view rest = ld_preload ? ld_preload : "";
  while (!rest.empty()) {
    const std::size_t cut = rest.find_first_of(": ");  // ld.so takes both separators
    const std::string_view entry = rest.substr(0, cut);
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    if (entry.empty()) continue;
    const std::size_t slash = entry.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? entry : entry.substr(slash + 1);
    if (name.substr(0, 15) != "vgpreload_core-") return AllocatorMode::malloc;
  }
  return AllocatorMode::own;
}

}  // namespace lambdaform::cli

#if LAMBDAFORM_CLI_OWN_NEW

namespace lambdaform::cli {
namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kHeader = 8;
constexpr std::size_t kClasses = (kLargestSmallBlock + kHeader) / kGranule + 1;
constexpr std::uint64_t kLargeTag = 0x4c4152474542'4c4bULL;  // "LARGEBLK"
// Chunks double from 8 KiB: the first are taken before the CLI prepares the heap a render will
// use (heap.cpp), and a small one keeps that region of small pages small.
constexpr std::size_t kFirstChunk = 8u << 10;
constexpr std::size_t kLargestChunk = 256u << 10;

static_assert((kLargestSmallBlock + kHeader) % kGranule == 0);
static_assert(alignof(std::max_align_t) <= kGranule);
static_assert(__STDCPP_DEFAULT_NEW_ALIGNMENT__ <= kGranule);

struct FreeBlock {
  FreeBlock* next;
};

// Trivially constructible (no member initialisers): a thread's cache is zero-initialised
// thread-local storage, reached without an initialisation check.
struct Cache {
  FreeBlock* heads[kClasses];
  char* cursor;  // the next block's header
  char* end;
  std::size_t next_chunk;
  std::size_t chunk_count;
  std::size_t chunk_bytes;
};
static_assert(std::is_trivially_default_constructible_v<Cache>);

thread_local Cache cache;

// Fixed at the process's first allocation, made before it starts any thread (the CLI's worker
// threads, like the tests', start after allocations); read-only afterwards.
enum : int { kUndecided = 0, kOwn = 1, kMalloc = 2 };
int mode = kUndecided;

int decide_mode() {
  return allocator_mode_for(std::getenv("LD_PRELOAD")) == AllocatorMode::own ? kOwn : kMalloc;
}

inline std::uint64_t& header_of(void* p) {
  return *reinterpret_cast<std::uint64_t*>(static_cast<char*>(p) - kHeader);
}

// The next block of `size` bytes (header included) from the current chunk, which has room.
inline void* carve(Cache& c, std::size_t size, std::size_t cls) {
  char* block = c.cursor + kHeader;
  c.cursor += size;
  header_of(block) = cls;
  return block;
}

[[gnu::noinline]] void* refill_and_carve(Cache& c, std::size_t size, std::size_t cls) {
  if (c.next_chunk == 0) c.next_chunk = kFirstChunk;
  const std::size_t bytes = c.next_chunk;
  char* fresh = static_cast<char*>(std::malloc(bytes));
  if (!fresh) return nullptr;
  if (c.next_chunk < kLargestChunk) c.next_chunk *= 2;
  ++c.chunk_count;
  c.chunk_bytes += bytes;
  // malloc's blocks are 16-byte aligned: the first header at +8 puts the first block at +16.
  c.cursor = fresh + kHeader;
  c.end = fresh + bytes;
  return carve(c, size, cls);
}

[[gnu::noinline]] void* allocate_other(std::size_t n) noexcept;

inline void* allocate(std::size_t n) noexcept {
  if (n <= kLargestSmallBlock && mode == kOwn) {
    const std::size_t size = (n + kHeader + kGranule - 1) & ~(kGranule - 1);
    const std::size_t cls = size / kGranule;
    Cache& c = cache;
    if (FreeBlock* b = c.heads[cls]) {
      c.heads[cls] = b->next;
      return b;
    }
    if (static_cast<std::size_t>(c.end - c.cursor) >= size) return carve(c, size, cls);
    return refill_and_carve(c, size, cls);
  }
  return allocate_other(n);
}

// Large blocks, and every block before the mode is decided or in malloc mode.
void* allocate_other(std::size_t n) noexcept {
  if (mode == kUndecided) mode = decide_mode();
  if (mode == kMalloc) return std::malloc(n == 0 ? 1 : n);
  if (n <= kLargestSmallBlock) return allocate(n);
  if (n > SIZE_MAX - 2 * kGranule) return nullptr;
  char* raw = static_cast<char*>(std::malloc(n + kGranule));
  if (!raw) return nullptr;
  char* block = raw + kGranule;
  header_of(block) = kLargeTag;
  return block;
}

inline void release(void* p) noexcept {
  if (!p) return;
  if (mode == kMalloc) {
    std::free(p);
    return;
  }
  const std::uint64_t tag = header_of(p);
  if (tag == kLargeTag) {
    std::free(static_cast<char*>(p) - kGranule);
    return;
  }
  // Not a block of ours, or its header overwritten: stop before a free list is corrupted.
  if (tag - 1 >= kClasses - 1) std::abort();
  Cache& c = cache;
  auto* b = static_cast<FreeBlock*>(p);
  b->next = c.heads[tag];
  c.heads[tag] = b;
}

// The standard's loop after a failed allocation: call the new-handler, if any, and try again.
[[gnu::noinline]] void* retry_or_throw(std::size_t n) {
  while (true) {
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
    if (void* p = allocate(n)) return p;
  }
}

inline void* allocate_or_throw(std::size_t n) {
  if (void* p = allocate(n)) return p;
  return retry_or_throw(n);
}

void* allocate_nothrow(std::size_t n) noexcept {
  try {
    return allocate_or_throw(n);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

AllocatorMode allocator_mode() {
  if (mode == kUndecided) mode = decide_mode();
  return mode == kOwn ? AllocatorMode::own : AllocatorMode::malloc;
}

AllocatorChunks allocator_chunks() {
  return {cache.chunk_count, cache.chunk_bytes};
}

}  // namespace lambdaform::cli

void* operator new(std::size_t n) {
  return lambdaform::cli::allocate_or_throw(n);
}
void* operator new[](std::size_t n) {
  return lambdaform::cli::allocate_or_throw(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return lambdaform::cli::allocate_nothrow(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return lambdaform::cli::allocate_nothrow(n);
}
void operator delete(void* p) noexcept {
  lambdaform::cli::release(p);
}
void operator delete[](void* p) noexcept {
  lambdaform::cli::release(p);
}
void operator delete(void* p, std::size_t) noexcept {
  lambdaform::cli::release(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  lambdaform::cli::release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  lambdaform::cli::release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  lambdaform::cli::release(p);
}

#else  // a sanitizer's operator new

namespace lambdaform::cli {
AllocatorMode allocator_mode() {
  return AllocatorMode::builtin;
}
AllocatorChunks allocator_chunks() {
  return {};
}
}  // namespace lambdaform::cli

#endif
