namespace ParallelGen.Serialization;

/// <summary>Carries a <see cref="bool"/> as one byte; anything but 0 or 1 is rejected.</summary>
public readonly struct BooleanCodec : IWireCodec<bool>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, bool value) => writer.WriteByte(value ? (byte)1 : (byte)0);

    /// <inheritdoc/>
    public static bool Read(ref WireReader reader)
    {
        byte b = reader.ReadByte();
        if (b > 1)
        {
            ThrowCorrupt(in reader, b);
        }

        return b != 0;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ThrowCorrupt(in WireReader reader, byte b) =>
        throw reader.Error($"Corrupt Boolean: byte {b} at offset {reader.Position - 1} is neither 0 nor 1");
}

/// <summary>Carries a <see cref="string"/> (or <see langword="null"/>) as UTF-8.</summary>
public readonly struct StringCodec : IWireCodec<string?>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, string? value) => writer.WriteString(value);

    /// <inheritdoc/>
    public static string? Read(ref WireReader reader) => reader.ReadString();

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="decimal"/> as its four 32-bit parts; invalid scales or flags are rejected.</summary>
public readonly struct DecimalCodec : IWireCodec<decimal>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        writer.WriteUnmanagedSpan<int>(bits);
    }

    /// <inheritdoc/>
    public static decimal Read(ref WireReader reader)
    {
        Span<int> bits = stackalloc int[4];
        int at = reader.Position;
        reader.ReadUnmanagedSpan(bits, "Decimal");
        try
        {
            return new decimal(bits);
        }
        catch (ArgumentException e)
        {
            throw new WireFormatException(reader.Error($"Corrupt Decimal at offset {at}").Message, e);
        }
    }

    /// <inheritdoc/>
    public static int MinWireSize => 16;
}

/// <summary>Carries a <see cref="DateTime"/> with its <see cref="DateTimeKind"/>.</summary>
public readonly struct DateTimeCodec : IWireCodec<DateTime>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, DateTime value)
    {
        writer.WriteInt64(value.Ticks);
        writer.WriteByte((byte)value.Kind);
    }

    /// <inheritdoc/>
    public static DateTime Read(ref WireReader reader)
    {
        int at = reader.Position;
        long ticks = reader.ReadInt64();
        byte kind = reader.ReadByte();
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks || kind > (byte)DateTimeKind.Local)
        {
            throw reader.Error($"Corrupt DateTime at offset {at}: ticks {ticks}, kind {kind}");
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <inheritdoc/>
    public static int MinWireSize => 9;
}

/// <summary>Carries a <see cref="DateTimeOffset"/> as UTC ticks and its offset in minutes.</summary>
public readonly struct DateTimeOffsetCodec : IWireCodec<DateTimeOffset>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, DateTimeOffset value)
    {
        writer.WriteInt64(value.Ticks);
        writer.WriteUnmanaged((short)value.TotalOffsetMinutes);
    }

    /// <inheritdoc/>
    public static DateTimeOffset Read(ref WireReader reader)
    {
        int at = reader.Position;
        long ticks = reader.ReadInt64();
        short minutes = reader.ReadUnmanaged<short>();
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentException e)
        {
            throw new WireFormatException(reader.Error($"Corrupt DateTimeOffset at offset {at}").Message, e);
        }
    }

    /// <inheritdoc/>
    public static int MinWireSize => 10;
}

/// <summary>Carries a <see cref="DateOnly"/> as its day number.</summary>
public readonly struct DateOnlyCodec : IWireCodec<DateOnly>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, DateOnly value) => writer.WriteInt32(value.DayNumber);

    /// <inheritdoc/>
    public static DateOnly Read(ref WireReader reader)
    {
        int day = reader.ReadInt32();
        if ((uint)day > (uint)DateOnly.MaxValue.DayNumber)
        {
            throw reader.Error($"Corrupt DateOnly: day number {day} at offset {reader.Position - 4}");
        }

        return DateOnly.FromDayNumber(day);
    }

    /// <inheritdoc/>
    public static int MinWireSize => 4;
}

/// <summary>Carries a <see cref="TimeOnly"/> as its ticks.</summary>
public readonly struct TimeOnlyCodec : IWireCodec<TimeOnly>
{
    /// <inheritdoc/>
    public static void Write(WireWriter writer, TimeOnly value) => writer.WriteInt64(value.Ticks);

    /// <inheritdoc/>
    public static TimeOnly Read(ref WireReader reader)
    {
        long ticks = reader.ReadInt64();
        if ((ulong)ticks > (ulong)TimeOnly.MaxValue.Ticks)
        {
            throw reader.Error($"Corrupt TimeOnly: ticks {ticks} at offset {reader.Position - 8}");
        }

        return new TimeOnly(ticks);
    }

    /// <inheritdoc/>
    public static int MinWireSize => 8;
}
