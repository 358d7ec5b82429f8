#!/usr/bin/env python3
"""map_chunks: Pool(2).map(square, range(N)) throughput against chunk size (fork), for the chunk-size chart.

  map_chunks.fork.chunk_<size>_tps   warm pool, median over repeats
Stdlib only; bounded well under 60 s.
"""
import multiprocessing as mp
import os
import statistics
import sys
import time

N = 1_000_000
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
SIZES = (100, 1_000, 10_000, 62_500, 125_000)


def square(x):
    return x * x


def main():
    print(f"# python {sys.version.split()[0]} cpus={os.cpu_count()} N={N} repeats={REPEATS}")
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map(square, range(1000))
        for size in SIZES:
            samples = []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                r = pool.map(square, range(N), chunksize=size)
                samples.append(N / (time.perf_counter() - t0))
                assert len(r) == N
            print(f"map_chunks.fork.chunk_{size}_tps {statistics.median(samples):.6g} tasks/s")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
