using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ParallelGen.Brokering.Client;
using ParallelGen.Brokering.Managers;
using ParallelGen.Brokering.Pipes;
using ParallelGen.Brokering.Queues;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Server;

/// <summary>
/// Hosts queues, pipes, lists and dictionaries for other processes and dispatches their requests.
/// Each process hosts its own (<see cref="LocalBroker"/>) for the objects it creates; a
/// <see cref="Manager"/> is a process that does nothing else. Transport-agnostic: the listeners and
/// the in-process session all call <see cref="Dispatch"/>.
/// </summary>
internal sealed class BrokerServer
{
    private readonly ConcurrentDictionary<long, BrokerObject> _objects = new();
    private readonly Action? _onEmpty;
    private long _nextId;

    /// <param name="onEmpty">Called when the last hosted object goes away (the local broker stops listening then).</param>
    public BrokerServer(Action? onEmpty = null)
    {
        _onEmpty = onEmpty;
        LocalCaller = new BrokerCaller(Environment.ProcessId);
    }

    public int HostProcessId { get; } = Environment.ProcessId;

    /// <summary>The hosting process itself, as a peer.</summary>
    public BrokerCaller LocalCaller { get; }

    public int ObjectCount => _objects.Count;

    /// <summary>Objects a manager shares by name (<see cref="BrokerOp.GetOrCreateNamed"/>).</summary>
    public NamedObjects Names { get; } = new();

    /// <summary>Whether someone waits on object <paramref name="id"/> (diagnostics and tests).</summary>
    public bool HasWaiter(long id) => _objects.TryGetValue(id, out BrokerObject? hosted) && hosted.HasWaiters;

    /// <summary>Creates an object of <paramref name="kind"/> for <paramref name="creator"/>, with what <paramref name="operands"/> say (a queue's capacity and whether it is joinable).</summary>
    public long Create(BrokerOp kind, BrokerCaller creator, ReadOnlySpan<byte> operands = default)
    {
        long id = Interlocked.Increment(ref _nextId);
        BrokerObject created = kind switch
        {
            BrokerOp.CreateQueue => QueueObject.Create(this, id, operands),
            BrokerOp.CreateList => new ListObject(this, id),
            BrokerOp.CreateDictionary => new DictionaryObject(this, id),
            BrokerOp.CreatePipe => new PipeObject(this, id),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a creation request."),
        };

        _objects[id] = created;
        (created as PipeObject)?.AttachCreator(creator);
        return id;
    }

    /// <summary>A fresh object id, for objects created with operands (<see cref="ManagerObjects"/>); <see cref="Add"/> registers the object.</summary>
    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(BrokerObject created) => _objects[created.Id] = created;

    public bool Contains(long id) => _objects.ContainsKey(id);

    /// <summary>The object hosted under <paramref name="id"/>, for this process's own fast paths (<see cref="LocalTaker"/>); <see langword="null"/> when gone.</summary>
    public BrokerObject? Find(long id) => _objects.GetValueOrDefault(id);

    /// <summary>Forgets <paramref name="hosted"/> (destroyed, or a pipe whose ends are both closed).</summary>
    public void Remove(BrokerObject hosted)
    {
        if (_objects.TryRemove(new KeyValuePair<long, BrokerObject>(hosted.Id, hosted)) && _objects.IsEmpty)
        {
            _onEmpty?.Invoke();
        }
    }

    /// <summary>Runs one request from <paramref name="caller"/>; the answer goes to <paramref name="reply"/>, now or when a wait ends.</summary>
    // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Dispatch(BrokerCaller caller, BrokerOp op, long objectId, ReadOnlySpan<byte> operands, BrokerReply reply)
    {
        try
        {
            if (ManagerObjects.TryDispatch(this, caller, op, operands, reply))
            {
                return;
            }

            switch (op)
            {
                case BrokerOp.CreateQueue:
                case BrokerOp.CreateList:
                case BrokerOp.CreateDictionary:
                case BrokerOp.CreatePipe:
                    reply.TryOk(Create(op, caller, operands));
                    return;
                case BrokerOp.Destroy:
                    if (_objects.TryGetValue(objectId, out BrokerObject? doomed))
                    {
                        doomed.Destroy();
                        Remove(doomed);
                    }

                    reply.TryOk();
                    return;
                case BrokerOp.Sync:
                    reply.TryOk();
                    return;
                case BrokerOp.CancelWait:
                    if (operands.Length >= 8)
                    {
                        caller.CancelWait(BinaryPrimitives.ReadInt64LittleEndian(operands));
                    }

                    return;
            }

            if (!_objects.TryGetValue(objectId, out BrokerObject? target))
            {
                reply.TryError(BrokerErrorKind.ObjectDisposed, $"Process {HostProcessId} no longer hosts object #{objectId}: its owner disposed it.");
                return;
            }

            target.Handle(caller, op, operands, reply);
        }
        catch (BrokerRequestException e)
        {
            reply.TryError(e.Kind, e.Message);
        }
        catch (WireFormatException e)
        {
            reply.TryError(BrokerErrorKind.WireFormat, e.Message);
        }
        catch (ArgumentOutOfRangeException e)
        {
            reply.TryError(BrokerErrorKind.ArgumentOutOfRange, e.Message);
        }
        catch (OutOfMemoryException)
        {
            // The allocation that failed is garbage now: this request fails, the host (a manager serving others) carries on.
            reply.TryError(BrokerErrorKind.InvalidOperation, $"Process {HostProcessId} ran out of memory carrying out {op}; the request was dropped and nothing changed.");
        }
        catch (Exception e)
        {
            // Whatever went wrong is this request's failure, never the host's: its connection thread must keep serving.
            reply.TryError(BrokerErrorKind.InvalidOperation, $"Process {HostProcessId} could not carry out {op}: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Ends every hosted object (the host is shutting down).</summary>
    public void DestroyAll()
    {
        foreach (BrokerObject hosted in _objects.Values)
        {
            hosted.Destroy();
            _objects.TryRemove(hosted.Id, out _);
        }
    }
}

/// <summary>A request that can't be carried out; its caller gets the exception <see cref="Kind"/> stands for, with this message.</summary>
internal sealed class BrokerRequestException(BrokerErrorKind kind, string message) : Exception(message)
{
    public BrokerErrorKind Kind { get; } = kind;
}
