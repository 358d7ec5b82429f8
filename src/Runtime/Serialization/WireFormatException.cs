namespace ParallelGen.Serialization;

/// <summary>Bytes on the wire did not hold what they were expected to hold (truncated, corrupt or hostile input).</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception with a message that names what was being read and where.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that revealed the problem.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public WireFormatException()
        : base("Malformed data on the wire.")
    {
    }
}
