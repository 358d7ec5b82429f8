// Tests start real worker processes on a 2-core machine: run them one at a time so they don't fight for cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
