// Replays saved inputs through the fuzz targets without libFuzzer, so the normal (gcc) build
// and its test suite run every regression on every run. Built with the target sources and
// -DLAMBDAFORM_NO_LIBFUZZER (see fuzz_common.hpp).
//
//   replay_regressions [--quiet] [--timeout=SECONDS] ROOT... [TARGET=DIR_OR_FILE]...
//
// ROOT is a folder with one sub-folder per target (tests/fuzz/regressions, tests/fuzz/corpus):
// every regular file below ROOT/<target>/ (recursively, dot-files skipped) is run through that
// target. TARGET=PATH runs PATH (a file, or every file below a folder) through TARGET only.
// A target that fails a property or crashes aborts the program (non-zero exit); the file being
// run is printed before it runs. An input that runs longer than --timeout (10 s, as the fuzzers'
// -timeout=10; 0 turns it off) is a hang: exit 3. Exit 0 when every input ran, 2 on a usage
// error.
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

namespace fs = std::filesystem;

namespace {

std::map<std::string, lf_fuzz::TestOneInput>& registry() {
  static std::map<std::string, lf_fuzz::TestOneInput> targets;
  return targets;
}

std::vector<fs::path> files_below(const fs::path& p) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) {
    out.push_back(p);
    return out;
  }
  if (!fs::is_directory(p, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().filename().string().rfind('.', 0) == 0) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The input being run, for the timeout message (written from a signal handler).
char g_current[4096];

extern "C" void on_timeout(int) {
  const char head[] = "\nreplay_regressions: timeout, the input ran longer than --timeout: ";
  (void)!write(2, head, sizeof head - 1);
  (void)!write(2, g_current, std::strlen(g_current));
  (void)!write(2, "\n", 1);
  _exit(3);
}

}  // namespace

bool lf_fuzz::register_target(const char* name, TestOneInput fn) {
  registry()[name] = fn;
  return true;
}

int main(int argc, char** argv) {
  bool quiet = false;
  unsigned timeout = 10;
  std::vector<std::pair<std::string, fs::path>> jobs;  // target, path
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--quiet") {
      quiet = true;
    } else if (arg.rfind("--timeout=", 0) == 0) {
      timeout = static_cast<unsigned>(std::strtoul(arg.c_str() + 10, nullptr, 10));
    } else if (arg == "-h" || arg == "--help") {
      std::printf("usage: %s [--quiet] [--timeout=SECONDS] ROOT... [TARGET=PATH]...\ntargets:", argv[0]);
      for (const auto& [name, fn] : registry()) std::printf(" %s", name.c_str());
      std::printf("\n");
      return 0;
    } else if (auto eq = arg.find('='); eq != std::string::npos) {
      std::string target = arg.substr(0, eq);
      if (!registry().count(target)) {
        std::fprintf(stderr, "replay_regressions: unknown target '%s'\n", target.c_str());
        return 2;
      }
      if (!fs::exists(arg.substr(eq + 1))) {
        std::fprintf(stderr, "replay_regressions: no such file or folder '%s'\n", arg.c_str() + eq + 1);
        return 2;
      }
      jobs.emplace_back(target, arg.substr(eq + 1));
    } else {
      if (!fs::is_directory(arg)) {
        std::fprintf(stderr, "replay_regressions: '%s' is not a folder\n", arg.c_str());
        return 2;
      }
      for (const auto& [name, fn] : registry()) jobs.emplace_back(name, fs::path(arg) / name);
    }
  }
  if (jobs.empty()) {
    std::fprintf(stderr, "usage: %s [--quiet] [--timeout=SECONDS] ROOT... [TARGET=PATH]...\n", argv[0]);
    return 2;
  }

  std::map<std::string, std::size_t> counts;
  for (const auto& [target, root] : jobs) {
    for (const fs::path& file : files_below(root)) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!quiet) std::fprintf(stderr, "%s %s\n", target.c_str(), file.c_str());
      std::fflush(stderr);
      std::snprintf(g_current, sizeof g_current, "%s %s", target.c_str(), file.c_str());
      std::signal(SIGALRM, on_timeout);
      alarm(timeout);
      registry()[target](reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      alarm(0);
      ++counts[target];
    }
  }
  std::size_t total = 0;
  for (const auto& [target, n] : counts) {
    std::printf("%s: %zu inputs replayed\n", target.c_str(), n);
    total += n;
  }
  std::printf("replay_regressions: %zu inputs, all passed\n", total);
  return 0;
}
