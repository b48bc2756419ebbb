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

/// The size of a transparent huge page when this process may ask for them (Linux, mode "always"
/// or "madvise", at most 2 MiB); 0 otherwise.
std::size_t transparent_huge_page_size();

/// Makes the next `bytes` of the heap resident in one system call (MADV_POPULATE_WRITE), so
/// that the allocations that follow do not take a page fault each. With a `huge_page` size and
/// at least a quarter of one to prepare, whole huge pages from the next huge-page boundary
/// (MADV_HUGEPAGE). Does nothing where the kernel or the C library cannot (then the pages fault
/// in as usual).
void prefault_heap(std::size_t bytes, std::size_t huge_page = 0);

/// prefault_heap(expected_heap(size of the file at `spec_path`)), with the huge-page size when
/// that heap is 512 KiB or more; nothing when the file cannot be read or is larger than
/// `max_spec_bytes` (the compiler refuses it unread).
void prefault_heap_for(const std::string& spec_path, std::size_t max_spec_bytes);

}  // namespace lambdaform::cli
