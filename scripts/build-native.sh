#!/usr/bin/env bash
# Builds libmisgen.so (src/Misgen.Native, .NET Native AOT) and copies it into the Python package
# (python/misgen/lib/), beside SQLite's native library that results.db reading needs.
# Skips the build when the sources are unchanged since the last one (a hash of every source file the
# library is compiled from, kept in python/misgen/lib/build.stamp), so tests can call it every run.
# Usage: scripts/build-native.sh [--force]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="python/misgen/lib"
stamp="$out/build.stamp"
hash="$( { dotnet --version; find src/Misgen src/Misgen.Native -type f \( -name '*.cs' -o -name '*.csproj' \) \
            -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort | xargs sha256sum;
          sha256sum Directory.Build.props Directory.Packages.props; } | sha256sum | cut -d' ' -f1)"
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -f "$out/libmisgen.so" ]; then
  echo "libmisgen.so is up to date ($out)"
  exit 0
fi
# Its own artifacts folder: the build never rewrites the Misgen.dll that a running test host has loaded.
build="$root/runs/native-build"
publish="$build/publish"
rm -rf "$publish"
dotnet publish src/Misgen.Native -c Release --artifacts-path "$build" -o "$publish" \
  --disable-build-servers -nodeReuse:false -v quiet -nologo
mkdir -p "$out"
tmp="$(mktemp -d "$out/.tmp.XXXXXX")"
cp "$publish/libmisgen.so" "$publish/libe_sqlite3.so" "$tmp/"
mv -f "$tmp/libmisgen.so" "$out/libmisgen.so"
mv -f "$tmp/libe_sqlite3.so" "$out/libe_sqlite3.so"
rmdir "$tmp"
echo "$hash" > "$stamp.tmp" && mv -f "$stamp.tmp" "$stamp"
echo "built $out/libmisgen.so"
