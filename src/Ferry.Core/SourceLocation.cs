namespace Ferry;

/// <summary>A place in a source file: the file and, where known, the 1-based line and the column name or number.</summary>
/// <param name="File">The file path as the user gave it.</param>
/// <param name="Line">The 1-based physical line, if known.</param>
/// <param name="Column">The column name (or 1-based number as text), if known.</param>
public sealed record SourceLocation(string File, long? Line = null, string? Column = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        var text = File;
        if (Line is { } line)
        {
            text += $":{line}";
        }

        if (Column is { } column)
        {
            text += $" (column '{column}')";
        }

        return text;
    }
}
