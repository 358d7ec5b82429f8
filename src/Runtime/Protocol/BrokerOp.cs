
namespace ParallelGen.Protocol;

/// <summary>What a broker request asks for. Values never change meaning; new operations get new values.</summary>
internal enum BrokerOp : byte
{
    CreateQueue = 1,
    CreateList = 2,
    CreateDictionary = 3,
    CreatePipe = 4,
    Destroy = 5,

    /// <summary>Stop waiting for request N (its timeout passed): the broker answers N with Cancelled, unless it already answered it. No reply of its own.</summary>
    CancelWait = 6,

    /// <summary>Answers Ok, nothing else: since a connection's requests are carried out in order, its answer means every earlier one was.</summary>
    Sync = 7,

    QueuePut = 10,
    QueueGet = 11,
    QueueCount = 12,

    /// <summary>No more puts: getters drain what is left and then end (<see cref="BrokerStatus.Completed"/>).</summary>
    QueueComplete = 13,
    QueueTaskDone = 14,

    /// <summary>Waits until every item put has been marked done (a joinable queue's Join).</summary>
    QueueJoin = 15,

    /// <summary>Count, capacity and whether completed, in one round trip.</summary>
    QueueInfo = 16,

    /// <summary>Hands back slots of a bounded queue lent to this connection but not used (an int32 count); see <c>Brokering.Queues.QueueObject</c>.</summary>
    QueueReturnCredits = 17,

    ListAdd = 20,
    ListGet = 21,
    ListSet = 22,
    ListCount = 23,
    ListSnapshot = 24,
    ListInsert = 25,
    ListRemoveAt = 26,
    ListClear = 27,

    DictionarySet = 30,
    DictionaryGet = 31,
    DictionaryCount = 32,
    DictionaryKeys = 33,
    DictionaryRemove = 34,
    DictionarySnapshot = 35,
    DictionaryContainsKey = 36,
    DictionaryClear = 37,

    // The full manager (issue 12): one block of its own, so other additions to this enum merge without colliding.
    ListIndexOf = 60,
    ListRemove = 61,
    DictionaryTryAdd = 62,
    DictionaryRemoveEntry = 63,

    CreateSet = 64,
    CreateValue = 65,
    CreateArray = 66,
    CreateLock = 67,
    CreateEvent = 68,

    /// <summary>Returns the object registered under a name, creating it first if the name is new (remote managers share objects by name).</summary>
    GetOrCreateNamed = 69,

    SetAdd = 70,
    SetRemove = 71,
    SetContains = 72,
    SetCount = 73,
    SetClear = 74,
    SetSnapshot = 75,

    /// <summary>UnionWith/IntersectWith/ExceptWith/SymmetricExceptWith: a <c>SetOperation</c> (Brokering.Managers) byte, then the other items.</summary>
    SetModify = 76,

    /// <summary>IsSubsetOf/.../SetEquals: a <c>SetOperation</c> (Brokering.Managers) byte, then the other items; answers a bool.</summary>
    SetCompare = 77,

    ValueGet = 80,
    ValueSet = 81,

    ArrayGet = 82,
    ArraySet = 83,
    ArrayLength = 84,
    ArraySnapshot = 85,

    LockAcquire = 90,
    LockRelease = 91,

    EventSet = 94,
    EventClear = 95,
    EventIsSet = 96,
    EventWait = 97,

    PipeSend = 40,
    PipeReceive = 41,
    PipeAttach = 42,
    PipeHandoff = 43,
    PipeRelease = 44,

    /// <summary>Whether an end has something to receive (a message, or end-of-stream), without taking it.</summary>
    PipePoll = 45,

    /// <summary>Several posted requests to one object in one frame (see <see cref="BrokerPostBatch"/>); each is carried out as if it came alone.</summary>
    PostBatch = 46,
}

/// <summary>How a request ended.</summary>
internal enum BrokerStatus : byte
{
    Ok = 0,

    /// <summary>Nothing to take without waiting (queue or pipe empty, key absent).</summary>
    Empty = 1,

    /// <summary>A wait ended by <see cref="BrokerOp.CancelWait"/>.</summary>
    Cancelled = 2,

    /// <summary>Failed: an <see cref="BrokerErrorKind"/> and a message follow.</summary>
    Error = 3,

    /// <summary>A bounded queue had no room and the Put did not wait.</summary>
    Full = 4,

    /// <summary>The queue was completed and nothing is left in it.</summary>
    Completed = 5,
}

/// <summary>Which .NET exception an error becomes on the caller's side.</summary>
internal enum BrokerErrorKind : byte
{
    InvalidOperation = 1,
    ObjectDisposed = 2,
    EndOfStream = 3,
    KeyNotFound = 4,
    ArgumentOutOfRange = 5,
    WireFormat = 6,
    IO = 7,
}
