using Ferry.Data.Schema;

namespace Ferry.Learn.Onnx;

/// <summary>What the user tells <c>ferry models import</c> that the graph may not say. Every setting is optional.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>The task; null infers it from the outputs (see <see cref="OnnxImporter"/>).</summary>
    public TaskKind? Task { get; init; }

    /// <summary>The class labels in probability-column order; null takes them from the graph's metadata or classifier node, else 0..C-1.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Names for the features of a single [N, F] input, in order; null names them f0..f{F-1}.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>
    /// A sample file's header to name the features of a single [N, F] input: used whole when it has F names, or
    /// without its label column (named label, target, class or y) when it has F + 1.
    /// </summary>
    public IReadOnlyList<string>? HeaderColumns { get; init; }
}
