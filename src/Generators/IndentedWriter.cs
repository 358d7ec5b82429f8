using System.Text;

namespace ParallelGen.Generators;

/// <summary>A small text writer that tracks indentation, for emitting readable generated code.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text;
    private int _depth;

    /// <param name="capacity">Characters the text will likely reach: a big file then grows its buffer a few times, not hundreds.</param>
    public IndentedWriter(int capacity = 16)
    {
        _text = new StringBuilder(capacity);
    }

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
}
