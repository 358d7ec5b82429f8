namespace ParallelGen.Generators;

/// <summary>Names of the incremental pipeline's steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string Workers = nameof(Workers);
    public const string CallSites = nameof(CallSites);
    public const string Assembly = nameof(Assembly);
    public const string CollectedWorkers = nameof(CollectedWorkers);
    public const string CollectedCallSites = nameof(CollectedCallSites);
    public const string ResolvedCallSites = nameof(ResolvedCallSites);
    public const string CodecUses = nameof(CodecUses);
    public const string CollectedCodecUses = nameof(CollectedCodecUses);
    public const string NamedCodecs = nameof(NamedCodecs);
    public const string StackCapture = nameof(StackCapture);
    public const string Codecs = nameof(Codecs);
}
