#!/usr/bin/env bash
# Installs the built library into a private prefix, then builds the README's library example
# against it twice: through find_package(lambdaform) and through pkg-config. The example must
# compile as written, run, and print a template cfn-lint accepts.
#
#   run.sh BUILD_DIR SOURCE_DIR [CXX_FLAGS]
#
# CXX_FLAGS are the library build's (e.g. the sanitizers of `make test-sanitize`): a consumer of
# an instrumented static library is compiled and linked with them too.
set -euo pipefail
build=$1
src=$2
flags=${3:-}
work=$build/find_package_test
rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"

# The README's example, exactly as written between its markers.
python3 - "$src/README.md" "$work/main.cpp" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- library-example -->\s*```cpp\n(.*?)```", text, re.S)
if not m:
    sys.exit("README.md has no ```cpp block after <!-- library-example -->")
open(sys.argv[2], "w", encoding="utf-8").write(m.group(1))
PY

cmake -S "$src/tests/find_package" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DEXAMPLE_SOURCE="$work/main.cpp" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
  > "$work/configure.log"
cmake --build "$work/cmake" > "$work/build.log"
"$work/cmake/consumer" > "$work/find_package.yaml"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
# shellcheck disable=SC2046,SC2086
g++ -std=c++17 $flags "$work/main.cpp" -o "$work/pkgconfig_consumer" $(pkg-config --cflags --libs --static lambdaform)
"$work/pkgconfig_consumer" > "$work/pkgconfig.yaml"

cmp "$work/find_package.yaml" "$work/pkgconfig.yaml"
grep -q "Type: AWS::Lambda::Alias" "$work/find_package.yaml"
cfn-lint --format parseable -- "$work/find_package.yaml"
echo "find_package + pkg-config consumers built; README example renders a cfn-lint clean template"
