#!/usr/bin/env bash
# Publishes the Native AOT samples and runs them: fails on any trim/AOT warning (IL2xxx/IL3xxx) from our
# code or generated code, and unless the workers really are the native binaries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/pgen-aot.XXXXXX")
trap 'rm -rf "$out"' EXIT
rid=linux-x64

publish() { # project output-dir
  local log="$out/$(basename "$2").log"
  if ! dotnet publish "$root/$1" -r $rid -c Release -o "$2" >"$log" 2>&1; then
    grep -E "error|warning" "$log" | sort -u | head -30; echo "publish of $1 failed"; exit 1
  fi
  if grep -qE "warning (IL[23][0-9]{3}|AOT)" "$log"; then
    grep -E "warning (IL[23][0-9]{3}|AOT)" "$log" | sort -u | head -30; echo "$1: trim/AOT warnings"; exit 1
  fi
}

echo "== samples/AotWorkers (Native AOT host and workers)"
publish samples/AotWorkers "$out/aot"
"$out/aot/AotWorkers"

echo "== samples/SeparateWorker (JIT host, Native AOT worker binary)"
publish samples/SeparateWorker/Worker "$out/worker"
dotnet build "$root/samples/SeparateWorker/Host" -c Release -o "$out/host" >"$out/host.log" 2>&1 || { tail -20 "$out/host.log"; exit 1; }
"$out/host/SeparateWorker.Host" "$out/worker/SeparateWorker.Worker"
echo "AOT smoke test: OK"
