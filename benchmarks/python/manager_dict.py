#!/usr/bin/env python3
"""manager_dict: Manager().dict() operations from the parent process, small int keys and values.

Every operation on a dict proxy is a synchronous round trip to the manager server process.
  manager_dict.<ctx>.set_opsps   d[k] = v      (k cycles over 100 keys)
  manager_dict.<ctx>.get_opsps   d[k]
  manager_dict.<ctx>.opsps       all set and get operations / their total time
The server is started (and the keys created) before the clock runs. Median over repeats;
'# name n= min= max=' comment lines give the spread.
"""
import multiprocessing as mp
import os
import statistics
import sys
import time

N = 10_000
KEYS = 100
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_BUDGET_S", "40"))
CONTEXTS = ("spawn", "fork")


def emit(name, samples, unit):
    med = statistics.median(samples)
    print(f"{name} {med:.6g} {unit}")
    print(f"# {name} n={len(samples)} min={min(samples):.6g} max={max(samples):.6g}")
    sys.stdout.flush()


def run(ctx):
    sets, gets, both = [], [], []
    with ctx.Manager() as m:
        d = m.dict()
        for k in range(KEYS):
            d[k] = k
        for _ in range(REPEATS):
            if sets and time.monotonic() + 2 * N / min(sets) > DEADLINE:
                break
            t0 = time.perf_counter()
            for i in range(N):
                d[i % KEYS] = i
            t1 = time.perf_counter()
            s = 0
            for i in range(N):
                s += d[i % KEYS]
            t2 = time.perf_counter()
            assert s == sum(range(N - KEYS, N)) * (N // KEYS)  # every key holds its last value
            sets.append(N / (t1 - t0))
            gets.append(N / (t2 - t1))
            both.append(2 * N / (t2 - t0))
    return sets, gets, both


def main():
    print(f"# python {sys.version.split()[0]} cpus={os.cpu_count()} N={N} keys={KEYS} repeats={REPEATS}")
    for name in CONTEXTS:
        sets, gets, both = run(mp.get_context(name))
        emit(f"manager_dict.{name}.set_opsps", sets, "ops/s")
        emit(f"manager_dict.{name}.get_opsps", gets, "ops/s")
        emit(f"manager_dict.{name}.opsps", both, "ops/s")


if __name__ == "__main__":
    main()
