#pragma once
// The CLI's operator new and delete (cli/alloc.cpp): small blocks come from per-thread free lists
// carved from larger chunks of malloc's heap. They belong to the executable, never to the
// library: a program that links lambdaform keeps its own allocator.

#include <cstddef>

// Sanitizers bring their own operator new, which checks every block: where one is on,
// cli/alloc.cpp defines none (LAMBDAFORM_CLI_OWN_NEW 0).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LAMBDAFORM_CLI_OWN_NEW 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define LAMBDAFORM_CLI_OWN_NEW 0
#endif
#endif
#ifndef LAMBDAFORM_CLI_OWN_NEW
#define LAMBDAFORM_CLI_OWN_NEW 1
#endif

namespace lambdaform::cli {

/// How operator new is served in this process.
enum class AllocatorMode {
  own,     ///< blocks up to kLargestSmallBlock bytes from per-thread free lists, larger from malloc
  malloc,  ///< every block from malloc: LD_PRELOAD names a library that may watch or replace it
  builtin,  ///< the C++ runtime's (or a sanitizer's) operator new: cli/alloc.cpp is compiled out
};

/// The largest request served from the free lists; larger ones go to malloc.
inline constexpr std::size_t kLargestSmallBlock = 504;

/// The mode a process started with this LD_PRELOAD (may be null) gets where cli/alloc.cpp is
/// compiled in: malloc when it names any library but valgrind's core preload.
AllocatorMode allocator_mode_for(const char* ld_preload);

/// The mode of this process, fixed at its first allocation.
AllocatorMode allocator_mode();

/// Chunks taken from malloc by the calling thread's free lists, and their bytes (for tests).
struct AllocatorChunks {
  std::size_t count = 0;  ///< chunks taken
  std::size_t bytes = 0;  ///< their total size
};

/// The calling thread's chunks so far.
AllocatorChunks allocator_chunks();

}  // namespace lambdaform::cli
