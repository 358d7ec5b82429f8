#!/usr/bin/env python3
"""bounded_queue: one producer process -> the parent through multiprocessing.Queue(maxsize=100), small ints.

  bounded_queue.<ctx>.maxsize100_msgps   child put(i) (blocks while 100 are queued), parent get()
The child is started first and waits on an Event; the clock runs from Event.set() to the
parent's receipt of the last message, so process start is excluded.
Median over repeats; '# name n= min= max=' comment lines give the spread.
"""
import multiprocessing as mp
import os
import statistics
import sys
import time

N = 100_000
MAXSIZE = 100
REPEATS = int(os.environ.get("BENCH_REPEATS", "4"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_BUDGET_S", "40"))
CONTEXTS = ("fork",)


def emit(name, samples, unit):
    med = statistics.median(samples)
    print(f"{name} {med:.6g} {unit}")
    print(f"# {name} n={len(samples)} min={min(samples):.6g} max={max(samples):.6g}")
    sys.stdout.flush()


def producer(q, go, n):
    go.wait()
    put = q.put
    for i in range(n):
        put(i)


def run(ctx):
    go = ctx.Event()
    q = ctx.Queue(maxsize=MAXSIZE)
    p = ctx.Process(target=producer, args=(q, go, N))
    p.start()
    time.sleep(0.05 if ctx.get_start_method() == "fork" else 0.3)  # let the child reach go.wait()
    get = q.get
    t0 = time.perf_counter()
    go.set()
    s = 0
    for _ in range(N):
        s += get()
    dt = time.perf_counter() - t0
    p.join()
    assert s == N * (N - 1) // 2
    return N / dt


def main():
    print(f"# python {sys.version.split()[0]} cpus={os.cpu_count()} N={N} maxsize={MAXSIZE} repeats={REPEATS}")
    for name in CONTEXTS:
        ctx = mp.get_context(name)
        samples = []
        for _ in range(REPEATS):
            if samples and time.monotonic() + N / min(samples) + 1 > DEADLINE:
                break
            samples.append(run(ctx))
        emit(f"bounded_queue.{name}.maxsize{MAXSIZE}_msgps", samples, "msgs/s")


if __name__ == "__main__":
    main()
