namespace ParallelGen.Tests;

/// <summary>The manager's collections, values and arrays used from worker processes (issue 12): each test starts a manager and at most 3 workers.</summary>
public sealed class ManagerCollectionTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_shared_list_is_an_IList_in_worker_processes_and_enumerates_a_snapshot()
    {
        using var manager = Manager.Start();
        IList<string> list = manager.List<string>();
        foreach (string item in new[] { "a", "b", "c" })
        {
            list.Add(item);
        }

        WorkerProcess<string> worker = WorkerProcess.Start(M.EditList, (ManagedList<string>)list);

        Assert.Equal("True,True,2,head|a|c", await worker.Completion.WaitAsync(Generous, TestContext.Current.CancellationToken));
        Assert.Equal(["head", "a", "c"], list);
        Assert.False(list.IsReadOnly);
        Assert.Equal(-1, list.IndexOf("b"));
        Assert.False(list.Remove("b"));

        // The enumeration works on a snapshot: adding while enumerating neither throws nor shows up.
        var seen = new List<string>();
        foreach (string item in list)
        {
            seen.Add(item);
            list.Add(item + "!");
        }

        Assert.Equal(["head", "a", "c"], seen);
        Assert.Equal(6, list.Count);
        IReadOnlyList<string> readOnly = (ManagedList<string>)list;
        Assert.Equal("c!", readOnly[5]);
    }

    [Fact]
    public async Task A_shared_dictionary_is_an_IDictionary_and_only_one_process_wins_TryAdd()
    {
        using var manager = Manager.Start();
        ManagedDictionary<string, int> claims = manager.Dictionary<string, int>();

        WorkerProcess<bool>[] racers = [.. Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(M.ClaimKey, claims, "leader"))];
        bool[] won = await Task.WhenAll(racers.Select(r => r.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Single(won, w => w);
        int leader = claims["leader"];
        Assert.Contains(leader, racers.Select(r => r.Pid));

        IDictionary<string, int> dictionary = claims;
        dictionary.Add("one", 1);
        Assert.Throws<ArgumentException>(() => dictionary.Add("one", 2));
        Assert.True(dictionary.Contains(new KeyValuePair<string, int>("one", 1)));
        Assert.False(dictionary.Contains(new KeyValuePair<string, int>("one", 2)));
        Assert.False(dictionary.Remove(new KeyValuePair<string, int>("one", 2)));
        Assert.Equal(["leader", "one"], dictionary.Keys.Order());
        Assert.Equal([1, leader], dictionary.Values.Order());
        Assert.True(dictionary.Keys.IsReadOnly);

        var copy = new KeyValuePair<string, int>[3];
        dictionary.CopyTo(copy, 1);
        Assert.Equal(["leader", "one"], copy.Skip(1).Select(entry => entry.Key).Order());
        Assert.True(dictionary.Remove(new KeyValuePair<string, int>("one", 1)));
        IReadOnlyDictionary<string, int> readOnly = claims;
        Assert.Equal(["leader"], readOnly.Keys);
        Assert.False(readOnly.ContainsKey("one"));
    }

    [Fact]
    public async Task A_shared_set_is_an_ISet_shared_by_processes_and_takes_other_collections_in_one_request()
    {
        using var manager = Manager.Start();
        ManagedSet<int> set = manager.Set<int>();

        // Three processes add overlapping ranges: each number is new for exactly one of them.
        WorkerProcess<int>[] adders = [.. Enumerable.Range(0, 3).Select(i => WorkerProcess.Start(M.AddRange, set, i * 10, 20))];
        int[] added = await Task.WhenAll(adders.Select(a => a.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.Equal(40, added.Sum());
        Assert.Equal(40, set.Count);
        Assert.True(set.SetEquals(Enumerable.Range(0, 40)));
        Assert.False(set.Add(5));
        Assert.Contains(39, (ISet<int>)set);
        Assert.True(set.IsSupersetOf([1, 2, 3]));
        Assert.True(set.IsProperSubsetOf(Enumerable.Range(0, 41)));
        Assert.False(set.IsProperSupersetOf(Enumerable.Range(0, 40)));
        Assert.True(set.IsSubsetOf(Enumerable.Range(0, 40)));
        Assert.True(set.Overlaps([-1, 39]));

        set.IntersectWith(Enumerable.Range(30, 20));
        Assert.Equal(Enumerable.Range(30, 10), set.Order());
        set.UnionWith([100, 101]);
        set.ExceptWith([30, 31]);
        set.SymmetricExceptWith([32, 200]);
        Assert.Equal([33, 34, 35, 36, 37, 38, 39, 100, 101, 200], set.ToHashSet().Order());
        Assert.True(set.Remove(200));
        Assert.False(set.Remove(200));

        int[] copy = new int[set.Count];
        set.CopyTo(copy, 0);
        Assert.Equal(set.Order(), copy.Order());
        set.Clear();
        Assert.Empty(set);
    }

    [Fact]
    public async Task A_managed_value_and_array_are_written_by_workers_and_read_by_the_parent()
    {
        using var manager = Manager.Start();
        ManagedValue<string> status = manager.Value("starting");
        ManagedArray<(int, string)> slots = manager.Array<(int, string)>(3);
        Assert.Equal("starting", status.Value);
        Assert.Equal(3, slots.Length);
        Assert.Equal((0, (string)null!), slots[2]);

        WorkerProcess[] writers = [.. Enumerable.Range(1, 2).Select(i => WorkerProcess.Start(M.WriteValueAndSlot, status, slots, i))];
        await Task.WhenAll(writers.Select(w => w.Completion)).WaitAsync(Generous, TestContext.Current.CancellationToken);

        Assert.StartsWith("written by ", status.Value, StringComparison.Ordinal);
        Assert.Equal([(0, null!), (1, "slot 1"), (4, "slot 2")], slots.ToArray());
        slots[0] = (-1, "parent");
        Assert.Equal((-1, "parent"), slots[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => slots[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => manager.Array<int>(-1));
        status.Value = "done";
        Assert.Equal("done", status.Value);
    }

    [Fact]
    public void Named_objects_are_the_same_object_and_a_name_keeps_its_kind()
    {
        using var manager = Manager.Start();
        ManagedList<int> first = manager.List<int>("numbers");
        first.Add(7);
        Assert.Equal([7], manager.List<int>("numbers"));

        ManagedValue<int> counter = manager.Value("counter", 5);
        Assert.Equal(5, manager.Value("counter", 99).Value);
        counter.Value = 6;
        Assert.Equal(6, manager.Value("counter", 0).Value);

        // The type argument is inferred here and named nowhere else: the generator still registers its codec.
        var pair = manager.Value(("pi", 3.25m));
        Assert.Equal(("pi", 3.25m), pair.Value);

        var wrongKind = Assert.Throws<InvalidOperationException>(() => manager.Set<int>("numbers"));
        Assert.Contains("'numbers'", wrongKind.Message, StringComparison.Ordinal);
        Assert.Contains("list of System.Int32", wrongKind.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => manager.List<string>("numbers"));
        Assert.Throws<ArgumentException>(() => manager.Lock(""));
    }
}
