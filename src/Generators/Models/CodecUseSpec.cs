namespace ParallelGen.Generators.Models;

/// <summary>
/// A type whose values travel inside a runtime object (queue item, pipe message, manager list or
/// dictionary entry), and the codec that carries it: registered at start-up, since those generic
/// classes can't receive a codec through a call site.
/// </summary>
internal sealed record CodecUseSpec(string Type, string Codec);
