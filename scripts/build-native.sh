#!/usr/bin/env bash
# Builds libmisgen.so (src/Misgen.Native, .NET Native AOT) and copies it into the Python package
# (python/misgen/lib/), beside SQLite's native library that results.db reading needs.
# Skips the build when the sources are unchanged since the last one (a hash of every source file the
# library is compiled from, the SDK version and the CPU's instruction set, kept in python/misgen/lib/build.stamp),
# so tests can call it every run. Builds are also kept per hash in ~/.cache/misgen/native/ (the last 5), so a
# fresh clone of the same sources on the same machine (CI) copies instead of compiling (~35 CPU-seconds).
# Usage: scripts/build-native.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="python/misgen/lib"
stamp="$out/build.stamp"
hash="$( { dotnet --version; uname -m; grep -m1 '^flags' /proc/cpuinfo || true; find src/Misgen src/Misgen.Native -type f \( -name '*.cs' -o -name '*.csproj' \) \
            -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort | xargs sha256sum;
          sha256sum Directory.Build.props Directory.Packages.props; } | sha256sum | cut -d' ' -f1)"
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -f "$out/libmisgen.so" ]; then
  echo "libmisgen.so is up to date ($out)"
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/misgen/native"
install_from() { # copies libmisgen.so and libe_sqlite3.so from folder $1 into the package, atomically per file
  mkdir -p "$out"
  local tmp
  tmp="$(mktemp -d "$out/.tmp.XXXXXX")"
  cp "$1/libmisgen.so" "$1/libe_sqlite3.so" "$tmp/"
  mv -f "$tmp/libmisgen.so" "$out/libmisgen.so"
  mv -f "$tmp/libe_sqlite3.so" "$out/libe_sqlite3.so"
  rmdir "$tmp"
  echo "$hash" > "$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
}
if [ "${1:-}" != "--force" ] && [ -f "$cache/$hash/libmisgen.so" ] && [ -f "$cache/$hash/libe_sqlite3.so" ]; then
  install_from "$cache/$hash"
  echo "copied libmisgen.so from $cache/$hash"
  exit 0
fi
# Its own artifacts folder: the build never rewrites the Misgen.dll that a running test host has loaded.
build="$root/runs/native-build"
publish="$build/publish"
rm -rf "$publish"
dotnet publish src/Misgen.Native -c Release --artifacts-path "$build" -o "$publish" \
  --disable-build-servers -nodeReuse:false -v quiet -nologo
install_from "$publish"
# Keep this build for fresh clones of the same sources; a cache that cannot be written is no error.
if mkdir -p "$cache/.tmp.$$" 2>/dev/null && cp "$publish/libmisgen.so" "$publish/libe_sqlite3.so" "$cache/.tmp.$$/" 2>/dev/null; then
  rm -rf "${cache:?}/$hash" && mv "$cache/.tmp.$$" "$cache/$hash" || rm -rf "$cache/.tmp.$$"
  ls -1dt "$cache"/*/ 2>/dev/null | tail -n +6 | xargs -r rm -rf
else
  rm -rf "$cache/.tmp.$$" 2>/dev/null || true
fi
echo "built $out/libmisgen.so"
