#!/usr/bin/env bash
# Pool cold start (constructed -> first result back, 2 workers), side by side in one run:
# Parallel.Gen as Native AOT and as JIT, and Python's multiprocessing with fork and spawn.
# Usage: bash benchmarks/startup-compare.sh [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
repeats=${1:-7}
out=$(mktemp -d "${TMPDIR:-/tmp}/pgen-startup.XXXXXX")
trap 'rm -rf "$out"' EXIT
dotnet publish "$root/benchmarks/Startup" -r linux-x64 -c Release -o "$out/aot" >"$out/aot.log" 2>&1 || { tail -20 "$out/aot.log"; exit 1; }
dotnet build "$root/benchmarks/Startup" -c Release -o "$out/jit" >"$out/jit.log" 2>&1 || { tail -20 "$out/jit.log"; exit 1; }
{
  "$out/aot/Startup" "$repeats" aot
  "$out/jit/Startup" "$repeats" jit
  if command -v python3 >/dev/null; then
    BENCH_REPEATS=$repeats python3 "$root/benchmarks/python/pool_startup.py" | grep -E "pool2_first_task_ms"
  else
    echo "# python3 not found: Python's side skipped"
  fi
} | tee "$out/results.txt"
echo
awk '
  !/^#/ { v[$1] = $2 }
  END {
    fork = v["pool_startup.fork.pool2_first_task_ms"]; spawn = v["pool_startup.spawn.pool2_first_task_ms"];
    aot = v["startup.aot.pool2_first_task_ms"]; jit = v["startup.jit.pool2_first_task_ms"];
    printf "| pool(2) constructed -> first result | median ms | vs Python fork | vs Python spawn |\n|---|---|---|---|\n";
    printf "| Parallel.Gen, Native AOT | %.1f | %s | %s |\n", aot, fork ? sprintf("%.2fx", aot / fork) : "-", spawn ? sprintf("%.2fx", aot / spawn) : "-";
    printf "| Parallel.Gen, JIT | %.1f | %s | %s |\n", jit, fork ? sprintf("%.2fx", jit / fork) : "-", spawn ? sprintf("%.2fx", jit / spawn) : "-";
    if (fork) printf "| Python 3 multiprocessing, fork | %.1f | 1.00x | %.2fx |\n", fork, fork / spawn;
    if (spawn) printf "| Python 3 multiprocessing, spawn | %.1f | %.2fx | 1.00x |\n", spawn, spawn / fork;
  }' "$out/results.txt"
