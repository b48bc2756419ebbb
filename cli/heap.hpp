#pragma once
// The CLI's process-wide allocator settings. They belong to the executable, never to the
// library: a program that links lambdaform keeps its own allocator as it set it.

#include <cstddef>
#include <string>

namespace lambdaform::cli {

/// Sets glibc's malloc for a short process that allocates a few MiB in small pieces and exits:
/// the heap grows in 8 MiB steps, is never trimmed, and large blocks stay off mmap.
void tune_allocator();

/// The heap a single-spec command is expected to reach for a spec of `spec_bytes` bytes.
std::size_t expected_heap(std::size_t spec_bytes);

/// Makes the next `bytes` of the heap resident in one system call (MADV_POPULATE_WRITE), so
/// that the allocations that follow do not take a page fault each. Does nothing where the
/// kernel or the C library cannot (then the pages fault in as usual).
void prefault_heap(std::size_t bytes);

/// prefault_heap(expected_heap(size of the file at `spec_path`)); nothing when it cannot be read
/// or is larger than `max_spec_bytes` (the compiler refuses it unread).
void prefault_heap_for(const std::string& spec_path, std::size_t max_spec_bytes);

}  // namespace lambdaform::cli
