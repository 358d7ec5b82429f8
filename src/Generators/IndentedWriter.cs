using System;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace ParallelGen.Generators;

/// <summary>A small text writer that tracks indentation, for emitting readable generated code.</summary>
internal sealed class IndentedWriter
{
    // Not pre-sized: a StringBuilder grows by linking chunks of at most 8,000 characters (nothing is copied), while one
    // buffer sized for a big file is a large-object-heap array.
    private readonly StringBuilder _text = new();
    private int _depth;

    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public IndentedWriter Open(string line)
    {
        Line(line);
        Line("{");
        _depth++;
        return this;
    }

    public IndentedWriter Close(string suffix = "")
    {
        _depth--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();

    /// <summary>The text, UTF-8, for <c>AddSource</c>.</summary>
    /// <remarks>
    /// A big file (the table, the interceptors and the codecs of hundreds of workers run to 0.3-1 MB) is copied from the
    /// builder's chunks into the compiler's chunked text, never spelled as one string: a string over 85,000 bytes is
    /// allocated on the large object heap, and each few megabytes allocated there start a full (gen2) collection. On a
    /// project with 500 workers our three big strings (and their pre-sized buffers) set off such a collection, ~45 ms,
    /// inside the generator's run.
    /// </remarks>
    public SourceText ToSourceText() => SourceText.From(new Reader(_text), _text.Length, Encoding.UTF8);

    /// <summary>Reads a builder in place, so that <see cref="SourceText.From(TextReader, int, Encoding, SourceHashAlgorithm)"/> can copy it chunk by chunk.</summary>
    private sealed class Reader(StringBuilder text) : TextReader
    {
        private int _position;

        public override int Peek() => _position < text.Length ? text[_position] : -1;

        public override int Read() => _position < text.Length ? text[_position++] : -1;

        public override int Read(char[] buffer, int index, int count)
        {
            int read = Math.Min(count, text.Length - _position);
            if (read <= 0)
            {
                return 0;
            }

            text.CopyTo(_position, buffer, index, read);
            _position += read;
            return read;
        }

        /// <summary>What the compiler asks of a small text: one string, as <see cref="SourceText.From(string, Encoding, SourceHashAlgorithm)"/> would hold.</summary>
        public override string ReadToEnd()
        {
            string rest = text.ToString(_position, text.Length - _position);
            _position = text.Length;
            return rest;
        }
    }
}
