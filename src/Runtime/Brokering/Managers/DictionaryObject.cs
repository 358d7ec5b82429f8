using ParallelGen.Brokering.Server;
using ParallelGen.Protocol;
using ParallelGen.Serialization;

namespace ParallelGen.Brokering.Managers;

/// <summary>
/// A dictionary a manager holds for its proxies (Python's <c>manager.dict()</c>). Keys are compared
/// by their serialized bytes, so two keys are the same when they travel as the same bytes.
/// </summary>
internal sealed class DictionaryObject(BrokerServer server, long id) : ImmediateObject(server, id)
{
    private readonly Dictionary<SerializedKey, (byte[] Key, byte[] Value)> _entries = [];

    public override string Kind => "dictionary";

    protected override bool TryAnswerLocked(BrokerOp op, ReadOnlySpan<byte> operands, BrokerReply reply, out byte[]? answer)
    {
        answer = null;
        switch (op)
        {
            case BrokerOp.DictionarySet:
                BrokerLimits.CheckItemCount(_entries.Count + 1L, "dictionary");
            {
                var reader = new WireReader(operands);
                int keyLength = reader.ReadLength(1, "dictionary key");
                byte[] key = reader.ReadBytes(keyLength, "dictionary key").ToArray();
                _entries[new SerializedKey(key)] = (key, operands[reader.Position..].ToArray());
                return true;
            }

            case BrokerOp.DictionaryTryAdd:
                BrokerLimits.CheckItemCount(_entries.Count + 1L, "dictionary");
            {
                var reader = new WireReader(operands);
                int keyLength = reader.ReadLength(1, "dictionary key");
                byte[] key = reader.ReadBytes(keyLength, "dictionary key").ToArray();
                reply.TryOk(_entries.TryAdd(new SerializedKey(key), (key, operands[reader.Position..].ToArray())));
                return false;
            }

            case BrokerOp.DictionaryRemoveEntry:
            {
                // Removes the key only while it still maps to exactly this value (ICollection<KeyValuePair>.Remove).
                var reader = new WireReader(operands);
                int keyLength = reader.ReadLength(1, "dictionary key");
                var key = new SerializedKey(reader.ReadBytes(keyLength, "dictionary key").ToArray());
                bool matches = _entries.TryGetValue(key, out (byte[] Key, byte[] Value) current) && operands[reader.Position..].SequenceEqual(current.Value);
                reply.TryOk(matches && _entries.Remove(key));
                return false;
            }

            case BrokerOp.DictionaryGet:
                if (!_entries.TryGetValue(new SerializedKey(operands.ToArray()), out (byte[] Key, byte[] Value) entry))
                {
                    reply.TryComplete(BrokerStatus.Empty, default);
                    return false;
                }

                answer = entry.Value;
                return true;
            case BrokerOp.DictionaryContainsKey:
                reply.TryOk(_entries.ContainsKey(new SerializedKey(operands.ToArray())));
                return false;
            case BrokerOp.DictionaryRemove:
                reply.TryOk(_entries.Remove(new SerializedKey(operands.ToArray())));
                return false;
            case BrokerOp.DictionaryCount:
                reply.TryOk(_entries.Count);
                return false;
            case BrokerOp.DictionaryClear:
                _entries.Clear();
                return true;
            case BrokerOp.DictionaryKeys:
            case BrokerOp.DictionarySnapshot:
                answer = Snapshot(withValues: op == BrokerOp.DictionarySnapshot);
                return true;
            default:
                reply.TryError(BrokerErrorKind.InvalidOperation, $"A dictionary does not support {op}.");
                return false;
        }
    }

    private byte[] Snapshot(bool withValues)
    {
        using var writer = new WireWriter();
        writer.WriteLength(_entries.Count);
        foreach ((byte[] key, byte[] value) in _entries.Values)
        {
            writer.WriteLength(key.Length);
            writer.WriteUnmanagedSpan<byte>(key);
            if (withValues)
            {
                writer.WriteLength(value.Length);
                writer.WriteUnmanagedSpan<byte>(value);
            }
        }

        return writer.WrittenSpan.ToArray();
    }
}
