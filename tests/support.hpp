#pragma once
// Shared helpers for the tests: a small valid template and diagnostics as comparable text.

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <lambdaform/lambdaform.hpp>

namespace lftest {

namespace lf = lambdaform;

/// A parameter of the given type.
inline lf::Parameter param(std::string type) {
  lf::Parameter p;
  p.type = std::move(type);
  return p;
}

/// Attributes with a condition and DependsOn.
inline lf::ResourceAttributes attrs(std::optional<std::string> condition,
                                    std::vector<std::string> depends_on) {
  lf::ResourceAttributes a;
  a.condition = std::move(condition);
  a.depends_on = std::move(depends_on);
  return a;
}

/// An output with a value.
inline lf::Output output(lf::Intrinsic value) {
  lf::Output o;
  o.value = lf::Value<lf::Json>(std::move(value));
  return o;
}

/// A trust policy for lambda.amazonaws.com.
inline lf::Json lambda_trust_policy() {
  return lf::Json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})");
}

/// A template with one role and one valid inline python function, plus handles to both.
struct Sample {
  lf::Template t;
  lf::Handle<lf::Role> role;
  lf::Handle<lf::Function> fn;
};

inline Sample sample() {
  Sample s;
  lf::Role role;
  role.assume_role_policy_document = lambda_trust_policy();
  role.managed_policy_arns = lf::List<std::string>{
      lf::sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")};
  s.role = s.t.add("FnRole", role);
  lf::Function fn;
  fn.runtime = "python3.12";
  fn.handler = "index.handler";
  lf::Code code;
  code.zip_file = "def handler(event, context):\n    return 'ok'\n";
  fn.code = code;
  fn.role = lf::get_att(s.role, "Arn");
  s.fn = s.t.add("Fn", fn);
  return s;
}

/// Each diagnostic as format() writes it.
inline std::vector<std::string> lines(const lf::Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(lf::format(d));
  return out;
}

/// Validates with a fixed date so runtime deprecation results do not move with the calendar.
inline std::vector<std::string> check(const lf::Template& t,
                                      const std::string& today = "2026-11-27") {
  lf::ValidateOptions o;
  o.today = today;
  return lines(lf::validate(t, o));
}

/// Compiles spec text named stack.yaml with a fixed date (runtime deprecations do not move).
inline lf::SpecResult compile(const std::string& text, lf::SpecOptions o = {}) {
  if (o.today.empty()) o.today = "2026-11-27";
  return lf::compile_spec(text, "stack.yaml", o);
}

/// A fresh temporary folder (mkdtemp), removed with everything in it at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "lf-test-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed");
    path = t;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  /// Writes `content` to `rel` below the folder (creating folders), mode 0755 or 0600.
  void write(const std::string& rel, const std::string& content, bool exec = false) const {
    std::filesystem::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << content;
    std::filesystem::permissions(
        path / rel, exec ? std::filesystem::perms(0755) : std::filesystem::perms(0600));
  }
};

/// What a command printed on stdout and its pclose() status.
struct CommandOutput {
  std::string out;
  int status = -1;
};

/// Runs `command` with popen (a shell command line) and collects its stdout.
inline CommandOutput run_command(const std::string& command) {
  CommandOutput r;
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  r.status = ::pclose(p);
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace lftest
