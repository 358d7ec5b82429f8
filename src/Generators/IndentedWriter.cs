using System.Text;

namespace ParallelGen.Generators;

/// <summary>A small text writer that tracks indentation, for emitting readable generated code.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text;
    private int _depth;

    public IndentedWriter(int depth = 0, int capacity = 16)
    {
        _depth = depth;
        _text = new StringBuilder(capacity);
    }

    /// <summary>Appends text already indented for the current depth (whole lines, each ending in a newline).</summary>
    public IndentedWriter Raw(string lines)
    {
        _text.Append(lines);
        return this;
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
