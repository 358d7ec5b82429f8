using System.Buffers.Binary;

namespace ParallelGen.Protocol;

/// <summary>
/// The operands of a <see cref="BrokerOp.PostBatch"/> request: requests a process posted to one object one after another (a
/// producer's Puts or Sends, answered only on failure), carried in one frame so the broker reads, looks up and answers them
/// as one. After the request header (whose id is minus the object's id, as for one posted request): the operation every
/// entry carries (1 byte), then each entry's operands as a length (int32, little-endian) and the bytes. The one place that
/// knows this layout.
/// </summary>
internal static class BrokerPostBatch
{
    /// <summary>Bytes before the first entry: the operation.</summary>
    public const int PrefixLength = 1;

    /// <summary>Bytes an entry needs beyond its operands: the length.</summary>
    public const int EntryOverhead = 4;

    /// <summary>Writes the prefix: the operation every entry carries.</summary>
    public static void WritePrefix(Span<byte> destination, BrokerOp op) => destination[0] = (byte)op;

    /// <summary>Writes one entry (<see cref="EntryOverhead"/> + <paramref name="operands"/>.Length bytes).</summary>
    public static void WriteEntry(Span<byte> destination, ReadOnlySpan<byte> operands)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, operands.Length);
        operands.CopyTo(destination[EntryOverhead..]);
    }

    /// <summary>Reads the entries of a batch's operands, in the order they were posted.</summary>
    public ref struct Reader
    {
        private ReadOnlySpan<byte> _rest;

        /// <exception cref="InvalidDataException">The batch is empty (not even its operation).</exception>
        public Reader(ReadOnlySpan<byte> operands)
        {
            if (operands.Length < PrefixLength)
            {
                throw new InvalidDataException($"A {BrokerOp.PostBatch} request carries no operation: it starts with the operation its entries carry.");
            }

            Op = (BrokerOp)operands[0];
            _rest = operands[PrefixLength..];
        }

        /// <summary>The operation every entry carries.</summary>
        public BrokerOp Op { get; }

        /// <summary>The next entry's operands; <see langword="false"/> after the last.</summary>
        /// <exception cref="InvalidDataException">An entry's length runs past the end of the batch.</exception>
        // On the per-message path: compiled optimized at its first call instead of after tiering (docs/performance.md).
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool TryNext(out ReadOnlySpan<byte> operands)
        {
            if (_rest.IsEmpty)
            {
                operands = default;
                return false;
            }

            int length = _rest.Length >= EntryOverhead ? BinaryPrimitives.ReadInt32LittleEndian(_rest) : -1;
            if (length < 0 || length > _rest.Length - EntryOverhead)
            {
                throw new InvalidDataException($"A {BrokerOp.PostBatch} entry claims {length} bytes where {_rest.Length - EntryOverhead} are left: the batch is corrupt.");
            }

            operands = _rest.Slice(EntryOverhead, length);
            _rest = _rest[(EntryOverhead + length)..];
            return true;
        }
    }
}
