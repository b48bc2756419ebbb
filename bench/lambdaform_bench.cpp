// In-process figures for lambdaform (Google Benchmark): each stage of `lambdaform render` on the
// workload bench/gen_workload.py writes (N functions, each with its own role, VPC config,
// version and alias; N = 1, 25, 125; and 1,000 specs of 5 functions for the monorepo case).
//
//   Parse/N       spec text → YAML node tree (detail::load_yaml: the loader's own reader for the
//                 subset specs are written in, libyaml's event parser for the rest)
//   ParseLibyaml/N  the same tree through libyaml alone (detail::load_yaml_libyaml)
//   Compile/N     compile_spec(): parse + model build + validate, what the CLI calls
//   Validate/N    validate() of the compiled template (Compile/N runs it once too)
//   ModelBuild/N  the same template built through the typed C++ API (no spec; what a tool
//                 linking lambdaform does); publish_version() hashing included
//   ToTree/N      to_tree(): the ordered tree both outputs are written from
//   EmitYaml/N    to_yaml(tree)          EmitJson/N   to_json_text(tree)
//   Pipeline/N    compile_spec() + its YAML: `lambdaform render` without process and I/O
//   Monorepo/threads:T  Pipeline over the 1,000 specs on T threads (wall time)
//
// The spec-side model build has no entry point of its own (compile_spec() parses, builds and
// validates in one call); run.py reports it as Compile − Parse − Validate.
//
// The workload folder is $LAMBDAFORM_BENCH_WORKLOAD, or bench/out/workload by default:
//   python3 bench/gen_workload.py && ./lambdaform_bench
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <lambdaform/lambdaform.hpp>

// Private header of the library (the CLI uses lib/src too): the spec loader, for Parse/N.
#include "yaml_loader.hpp"

namespace lf = lambdaform;

#ifndef LAMBDAFORM_BENCH_DEFAULT_WORKLOAD
#define LAMBDAFORM_BENCH_DEFAULT_WORKLOAD "bench/out/workload"
#endif

namespace {

const char* kPinnedDate = "2025-06-01";  // the runtime table's date: same work on every day

std::string workload_dir() {
  const char* env = std::getenv("LAMBDAFORM_BENCH_WORKLOAD");
  return env && *env ? env : LAMBDAFORM_BENCH_DEFAULT_WORKLOAD;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path +
                             "; write the workload first: python3 bench/gen_workload.py "
                             "(or set LAMBDAFORM_BENCH_WORKLOAD)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Spec {
  std::string path, text;
};

const Spec& single(int n) {
  static std::map<int, Spec> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    std::string path = workload_dir() + "/single/n" + std::to_string(n) + "/stack.yaml";
    it = cache.emplace(n, Spec{path, read_file(path)}).first;
  }
  return it->second;
}

const std::vector<Spec>& monorepo() {
  static std::vector<Spec> specs = [] {
    std::vector<Spec> out;
    std::ifstream list(workload_dir() + "/mono/specs.txt");
    if (!list)
      throw std::runtime_error("no " + workload_dir() +
                               "/mono/specs.txt; run bench/gen_workload.py");
    for (std::string line; std::getline(list, line);)
      if (!line.empty()) out.push_back(Spec{line, read_file(line)});
    return out;
  }();
  return specs;
}

lf::SpecOptions options() {
  lf::SpecOptions o;
  o.today = kPinnedDate;
  return o;
}

// Compiles and insists on success: a benchmark of a failing spec measures the wrong thing.
lf::Template compiled(const Spec& s) {
  lf::SpecResult r = lf::compile_spec(s.text, s.path, options());
  if (r.failed()) {
    std::string msg = "the benchmark spec " + s.path + " does not compile:";
    for (const auto& d : r.diagnostics) msg += "\n" + lf::format(d);
    throw std::runtime_error(msg);
  }
  return std::move(*r.tmpl);
}

void set_counters(benchmark::State& state, int functions, std::size_t bytes = 0) {
  state.SetItemsProcessed(state.iterations() * functions);  // functions per second
  if (bytes) state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["functions"] = functions;
}

// Runs `body`, turning a setup failure into a skipped benchmark with the reason.
template <class F>
void guarded(benchmark::State& state, F&& body) {
  try {
    body();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    for (auto _ : state) {
    }
  }
}

void BM_Parse(benchmark::State& state) {
  guarded(state, [&] {
    const Spec& s = single(static_cast<int>(state.range(0)));
    for (auto _ : state) {
      lf::detail::LoadResult r = lf::detail::load_yaml(s.text, s.path);
      benchmark::DoNotOptimize(r);
    }
    set_counters(state, static_cast<int>(state.range(0)), s.text.size());
  });
}

void BM_ParseLibyaml(benchmark::State& state) {
  guarded(state, [&] {
    const Spec& s = single(static_cast<int>(state.range(0)));
    for (auto _ : state) {
      lf::detail::LoadResult r = lf::detail::load_yaml_libyaml(s.text, s.path);
      benchmark::DoNotOptimize(r);
    }
    set_counters(state, static_cast<int>(state.range(0)), s.text.size());
  });
}

void BM_Compile(benchmark::State& state) {
  guarded(state, [&] {
    const Spec& s = single(static_cast<int>(state.range(0)));
    compiled(s);  // fails loudly on a broken workload
    const lf::SpecOptions o = options();
    for (auto _ : state) {
      lf::SpecResult r = lf::compile_spec(s.text, s.path, o);
      benchmark::DoNotOptimize(r);
    }
    set_counters(state, static_cast<int>(state.range(0)), s.text.size());
  });
}

void BM_Validate(benchmark::State& state) {
  guarded(state, [&] {
    const lf::Template t = compiled(single(static_cast<int>(state.range(0))));
    lf::ValidateOptions vo;
    vo.today = kPinnedDate;
    for (auto _ : state) {
      lf::Diagnostics d = lf::validate(t, vo);
      benchmark::DoNotOptimize(d);
    }
    set_counters(state, static_cast<int>(state.range(0)));
  });
}

// The benchmark template through the typed API, as a tool linking the library builds it.
lf::Template build_with_api(int n) {
  lf::Template t;
  t.description = "lambdaform benchmark, built through the C++ API";
  const lf::Json trust = lf::Json::parse(
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  char id[16];
  for (int i = 1; i <= n; ++i) {
    std::snprintf(id, sizeof id, "Fn%04d", i);
    const std::string fn = id;
    std::snprintf(id, sizeof id, "fn%04d", i);
    const std::string lower = id;
    const std::string param = "/bench/" + lower + "/config";

    lf::Role role;
    role.assume_role_policy_document = trust;
    role.managed_policy_arns = lf::List<std::string>{
        lf::sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
        lf::sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")};
    lf::Policy policy;
    policy.policy_name = "read-config";
    policy.policy_document = lf::Json{
        {"Version", "2012-10-17"},
        {"Statement",
         lf::Json::array({lf::Json{
             {"Effect", "Allow"},
             {"Action", "ssm:GetParameter"},
             {"Resource",
              lf::sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" +
                      param)
                  .to_json()}}})}};
    role.policies = lf::List<lf::Policy>{policy};
    auto role_handle = t.add(fn + "Exec", std::move(role));

    lf::Code code;
    code.s3_bucket = "bench-artifacts-123456789012";
    code.s3_key = "functions/bench/" + lower + ".zip";
    lf::Environment env;
    env.variables =
        lf::Map<std::string>{{"STAGE", "prod"}, {"LOG_LEVEL", "INFO"}, {"CONFIG_PARAM", param}};
    lf::VpcConfig vpc;
    vpc.security_group_ids = lf::List<std::string>{"sg-0a1b2c3d4e5f60001", "sg-0a1b2c3d4e5f60002"};
    vpc.subnet_ids = lf::List<std::string>{"subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"};
    lf::Function f;
    f.runtime = "python3.12";
    f.handler = "app.handler";
    f.code = code;
    f.role = lf::get_att(role_handle, "Arn");
    f.memory_size = 256;
    f.timeout = 30;
    f.environment = env;
    f.vpc_config = vpc;
    auto fn_handle = t.add(fn, std::move(f));

    auto [version, hash] = lf::publish_version(t, fn_handle);
    lf::Alias live;
    live.name = "live";
    live.function_name = lf::ref(fn_handle);
    live.function_version = lf::get_att(version, "Version");
    t.add(fn + "Aliaslive", std::move(live));
  }
  return t;
}

void BM_ModelBuild(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    lf::Template t = build_with_api(n);
    benchmark::DoNotOptimize(t);
  }
  set_counters(state, n);
}

void BM_ToTree(benchmark::State& state) {
  guarded(state, [&] {
    const lf::Template t = compiled(single(static_cast<int>(state.range(0))));
    for (auto _ : state) {
      lf::Json tree = lf::to_tree(t);
      benchmark::DoNotOptimize(tree);
    }
    set_counters(state, static_cast<int>(state.range(0)));
  });
}

void BM_EmitYaml(benchmark::State& state) {
  guarded(state, [&] {
    const lf::Json tree = lf::to_tree(compiled(single(static_cast<int>(state.range(0)))));
    std::size_t bytes = 0;
    for (auto _ : state) {
      std::string y = lf::to_yaml(tree);
      bytes = y.size();
      benchmark::DoNotOptimize(y);
    }
    set_counters(state, static_cast<int>(state.range(0)), bytes);
  });
}

void BM_EmitJson(benchmark::State& state) {
  guarded(state, [&] {
    const lf::Json tree = lf::to_tree(compiled(single(static_cast<int>(state.range(0)))));
    std::size_t bytes = 0;
    for (auto _ : state) {
      std::string j = lf::to_json_text(tree);
      bytes = j.size();
      benchmark::DoNotOptimize(j);
    }
    set_counters(state, static_cast<int>(state.range(0)), bytes);
  });
}

// What `lambdaform render SPEC` computes, minus process start, file reads and writes: like the
// CLI, it takes the YAML validation rendered (SpecResult::yaml) when there is one.
std::string pipeline(const Spec& s, const lf::SpecOptions& o) {
  lf::SpecResult r = lf::compile_spec(s.text, s.path, o);
  if (r.failed()) throw std::runtime_error(s.path + " does not compile");
  if (!r.yaml.empty()) return std::move(r.yaml);
  return lf::render(*r.tmpl, lf::Format::yaml);
}

void BM_Pipeline(benchmark::State& state) {
  guarded(state, [&] {
    const Spec& s = single(static_cast<int>(state.range(0)));
    const lf::SpecOptions o = options();
    std::size_t bytes = pipeline(s, o).size();
    for (auto _ : state) {
      std::string out = pipeline(s, o);
      benchmark::DoNotOptimize(out);
    }
    set_counters(state, static_cast<int>(state.range(0)), bytes);
  });
}

// The monorepo case in one process: the lower bound of what `render --all` can cost.
void BM_Monorepo(benchmark::State& state) {
  guarded(state, [&] {
    const auto& specs = monorepo();
    const lf::SpecOptions o = options();
    const int threads = static_cast<int>(state.range(0));
    std::size_t functions = 0;
    for (const auto& s : specs)
      functions += static_cast<std::size_t>(compiled(s).resources.size() / 4);
    // Google Benchmark's CPU time counts the main thread only: this counts every thread.
    auto process_cpu = [] {
      rusage ru{};
      getrusage(RUSAGE_SELF, &ru);
      return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
             static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
    };
    const double cpu0 = process_cpu();
    for (auto _ : state) {
      std::atomic<std::size_t> next{0};
      auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < specs.size();) {
          std::string out = pipeline(specs[i], o);
          benchmark::DoNotOptimize(out);
        }
      };
      std::vector<std::thread> pool;
      for (int t = 1; t < threads; ++t) pool.emplace_back(work);
      work();
      for (auto& t : pool) t.join();
    }
    state.counters["cpu_all_threads_s"] =
        (process_cpu() - cpu0) /
        static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
    set_counters(state, static_cast<int>(functions));
    state.counters["specs"] = static_cast<double>(specs.size());
  });
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int n : {1, 25, 125}) b->Arg(n);
  b->ArgName("N")->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(BM_Parse)->Apply(sizes);
BENCHMARK(BM_ParseLibyaml)->Apply(sizes);
BENCHMARK(BM_Compile)->Apply(sizes);
BENCHMARK(BM_Validate)->Apply(sizes);
BENCHMARK(BM_ModelBuild)->Apply(sizes);
BENCHMARK(BM_ToTree)->Apply(sizes);
BENCHMARK(BM_EmitYaml)->Apply(sizes);
BENCHMARK(BM_EmitJson)->Apply(sizes);
BENCHMARK(BM_Pipeline)->Apply(sizes);
BENCHMARK(BM_Monorepo)
    ->Arg(1)
    ->Arg(2)
    ->ArgName("threads")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_MAIN();
