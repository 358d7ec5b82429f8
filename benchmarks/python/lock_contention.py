#!/usr/bin/env python3
"""lock_contention: multiprocessing.Lock acquire/release.

  lock_contention.<ctx>.uncontended_opsps   one process: `lock.acquire(); lock.release()` pairs per second
  lock_contention.<ctx>.contended_2proc_opsps  2 child processes each doing N pairs on one lock at once:
                                               total pairs / wall, from Event.set() (children already
                                               running) until both released a 'done' Semaphore
Median over repeats; '# name n= min= max=' comment lines give the spread.
"""
import multiprocessing as mp
import os
import statistics
import sys
import time

UNCONTENDED = 500_000
CONTENDED = 100_000
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_BUDGET_S", "50"))
CONTEXTS = ("fork",)


def emit(name, samples, unit):
    med = statistics.median(samples)
    print(f"{name} {med:.6g} {unit}")
    print(f"# {name} n={len(samples)} min={min(samples):.6g} max={max(samples):.6g}")
    sys.stdout.flush()


def hammer(lock, go, done, n):
    go.wait()
    acquire, release = lock.acquire, lock.release
    for _ in range(n):
        acquire()
        release()
    done.release()


def uncontended(ctx):
    lock = ctx.Lock()
    acquire, release = lock.acquire, lock.release
    t0 = time.perf_counter()
    for _ in range(UNCONTENDED):
        acquire()
        release()
    return UNCONTENDED / (time.perf_counter() - t0)


def contended(ctx):
    lock, go, done = ctx.Lock(), ctx.Event(), ctx.Semaphore(0)
    ps = [ctx.Process(target=hammer, args=(lock, go, done, CONTENDED)) for _ in range(2)]
    for p in ps:
        p.start()
    time.sleep(0.05 if ctx.get_start_method() == "fork" else 0.3)  # let both reach go.wait()
    t0 = time.perf_counter()
    go.set()
    done.acquire()
    done.acquire()
    dt = time.perf_counter() - t0
    for p in ps:
        p.join()
    return 2 * CONTENDED / dt


def main():
    print(f"# python {sys.version.split()[0]} cpus={os.cpu_count()} uncontended={UNCONTENDED} contended={CONTENDED}x2 repeats={REPEATS}")
    for name in CONTEXTS:
        ctx = mp.get_context(name)
        free, busy = [], []
        for _ in range(REPEATS):
            if free and time.monotonic() > DEADLINE:
                break
            free.append(uncontended(ctx))
            busy.append(contended(ctx))
        emit(f"lock_contention.{name}.uncontended_opsps", free, "ops/s")
        emit(f"lock_contention.{name}.contended_2proc_opsps", busy, "ops/s")


if __name__ == "__main__":
    main()
