using System.Text;

namespace Ferry.Data.Loading;

/// <summary>How to read a table file. Every setting has a default that detects what it can.</summary>
public sealed record TableLoadOptions
{
    /// <summary>The field delimiter; null detects it from the first lines (comma, semicolon, tab or pipe).</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first row is a header; null detects it.</summary>
    public bool? HasHeader { get; init; }

    /// <summary>The text encoding; null reads UTF-8 (with or without BOM) and falls back to Latin-1 for files that are not UTF-8.</summary>
    public Encoding? Encoding { get; init; }

    /// <summary>When true the first bad row stops the load with an error; otherwise bad rows are counted and skipped.</summary>
    public bool Strict { get; init; }

    /// <summary>How many bad rows are kept with full detail; the rest are only counted. Default 1000.</summary>
    public int MaxBadRowDetails { get; init; } = 1000;

    /// <summary>The most columns a table may have. Default 10,000.</summary>
    public int MaxColumns { get; init; } = 10_000;

    /// <summary>The longest field accepted, in characters. Default 1 MiB.</summary>
    public int MaxFieldLength { get; init; } = 1 << 20;
}
