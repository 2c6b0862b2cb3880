using System.Globalization;
using Ferry.Data.Schema;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ferry.Learn.Onnx;

/// <summary>
/// Decides how to serve an ONNX graph and what its signature is, or refuses it naming the input or output it cannot use.
/// </summary>
/// <remarks>
/// Inputs: one 2-D float or double input [N, F] is a matrix of F numeric columns, named by the options or f0..f{F-1};
/// otherwise every input must be [N, 1] or [N] (one per column, named by the graph), of float, double, int32, int64,
/// bool (numeric columns) or string (categorical columns). The first dimension must be dynamic or 1.
/// Task, when not given: a float tensor [N, C] (C ≠ 1) or a sequence of maps means classification, binary for two
/// classes and multiclass for more; otherwise one float per row ([N] or [N, 1]) means regression. One number per row is
/// the probability of the second class only when the task is given as binary.
/// </remarks>
internal static class OnnxSignatureReader
{
    /// <summary>The label name imported signatures carry (the graph does not name the training label).</summary>
    public const string LabelName = "label";

    public static (ModelSignature Signature, OnnxBinding Binding, IReadOnlyList<string> Notes) Read(OnnxGraph graph, OnnxImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        var (inputs, matrixInput) = ReadInputs(graph, options, notes);
        var (task, classes, kind, output, label) = ReadOutputs(graph, options, notes);
        var signature = new ModelSignature(inputs, task, LabelName, classes);
        return (signature, new OnnxBinding(matrixInput is null ? OnnxLayout.Columns : OnnxLayout.Matrix, matrixInput, kind, output, label), notes);
    }

    private static (List<InputColumn> Inputs, string? MatrixInput) ReadInputs(OnnxGraph graph, OnnxImportOptions options, List<string> notes)
    {
        if (graph.Inputs.Count == 0)
        {
            throw Unsupported(graph, "it has no inputs");
        }

        foreach (var input in graph.Inputs)
        {
            if (input.Kind != OnnxPortKind.Tensor)
            {
                throw Unsupported(graph, $"input '{input.Name}' is {input.Describe()}; Ferry feeds tensors made from table columns");
            }

            if (input.Rank == 0 || input.Dims[0] >= 0 && input.Dims[0] != 1)
            {
                throw Unsupported(graph, $"input '{input.Name}' is {input.Describe()}; Ferry needs the first dimension to be the rows (dynamic, or 1)");
            }
        }

        var named = options.Columns ?? options.HeaderColumns;
        var only = graph.Inputs.Count == 1 ? graph.Inputs[0] : null;
        if (only is { IsFloating: true, Rank: 2 } && (only.Dims[1] != 1 || named is not null))
        {
            return (MatrixColumns(graph, only, options, notes), only.Name);
        }

        if (named is not null)
        {
            throw FerryException.Usage(
                "ONNX_OPTION_INVALID",
                $"--columns names the features of one [N, F] input, but {graph.Source} has {Count(graph.Inputs.Count, "input")} named by the graph ({string.Join(", ", graph.Inputs.Select(i => i.Name))}); leave --columns out");
        }

        var columns = new List<InputColumn>();
        foreach (var input in graph.Inputs)
        {
            if (!input.IsOnePerRow)
            {
                throw Unsupported(graph, $"input '{input.Name}' is {input.Describe()}; Ferry feeds one 2-D float input [N, F], or one [N, 1] input per column");
            }

            var kind = input.Element switch
            {
                TensorElementType.Float or TensorElementType.Double or TensorElementType.Int32 or TensorElementType.Int64 => ColumnKind.Numeric,
                TensorElementType.Bool => ColumnKind.Boolean,
                TensorElementType.String => ColumnKind.Categorical,
                _ => throw Unsupported(graph, $"input '{input.Name}' is {input.Describe()}; Ferry feeds float, double, int32, int64, bool or string columns"),
            };
            columns.Add(new InputColumn(input.Name, kind));
        }

        return (columns, null);
    }

    private static List<InputColumn> MatrixColumns(OnnxGraph graph, OnnxPort input, OnnxImportOptions options, List<string> notes)
    {
        var width = input.Dims[1];
        IReadOnlyList<string> names;
        if (options.Columns is { } given)
        {
            names = given;
            if (width >= 0 && names.Count != width)
            {
                throw FerryException.Usage("ONNX_OPTION_INVALID", $"--columns names {Count(names.Count, "column")}, but input '{input.Name}' is {input.Describe()}: give {width} names");
            }
        }
        else if (options.HeaderColumns is { } header)
        {
            names = width < 0 ? header : FromHeader(header, width, input);
        }
        else if (width > 0)
        {
            names = [.. Enumerable.Range(0, (int)width).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture))];
            notes.Add($"the {width} features of input '{input.Name}' are named f0..f{width - 1}; give --columns or --columns-from to name them");
        }
        else
        {
            throw Unsupported(graph, $"input '{input.Name}' is {input.Describe()}: its number of features is not fixed, so give --columns or --columns-from to name them");
        }

        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 || string.IsNullOrWhiteSpace(g.Key));
        if (repeated is not null)
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", string.IsNullOrWhiteSpace(repeated.Key) ? "a column name is empty; name every feature" : $"the column name '{repeated.Key}' appears twice; name every feature once");
        }

        return [.. names.Select(n => new InputColumn(n, ColumnKind.Numeric))];
    }

    private static List<string> FromHeader(IReadOnlyList<string> header, long width, OnnxPort input)
    {
        if (header.Count == width)
        {
            return [.. header];
        }

        var labels = header.Where(h => SchemaInference.LabelNames.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        if (header.Count == width + 1 && labels.Count == 1)
        {
            return [.. header.Where(h => h != labels[0])];
        }

        throw FerryException.Usage(
            "ONNX_OPTION_INVALID",
            $"the header of --columns-from has {Count(header.Count, "column")}, but input '{input.Name}' is {input.Describe()}: "
            + $"give a file with {width} columns (or {width} plus a label column named label, target, class or y), or name them with --columns");
    }

    private static (TaskKind Task, IReadOnlyList<string> Classes, OnnxOutputKind Kind, string Output, string? Label) ReadOutputs(OnnxGraph graph, OnnxImportOptions options, List<string> notes)
    {
        var matrices = graph.Outputs.Where(o => o.IsScoreMatrix).OrderByDescending(o => o.Name.Contains("prob", StringComparison.OrdinalIgnoreCase)).ToList();
        var maps = graph.Outputs.Where(o => o.Kind == OnnxPortKind.SequenceOfMaps && o.Element is TensorElementType.Float or TensorElementType.Double
            && o.MapKey is TensorElementType.String or TensorElementType.Int64).ToList();
        var singles = graph.Outputs.Where(o => o.IsFloating && o.IsOnePerRow).ToList();
        var labels = graph.Outputs.Where(o => o.IsOnePerRow && o.Element is TensorElementType.String or TensorElementType.Int64 or TensorElementType.Int32).ToList();
        var task = options.Task ?? (matrices.Count + maps.Count > 0 ? (TaskKind?)null : singles.Count > 0 ? TaskKind.Regression : throw NoUsableOutput(graph, labels));

        if (task == TaskKind.Regression)
        {
            if (options.Classes is not null)
            {
                throw FerryException.Usage("ONNX_OPTION_INVALID", "--classes names a classifier's classes, but the task is regression; leave --classes out");
            }

            var value = singles.FirstOrDefault()
                ?? throw Unsupported(graph, $"the task is regression but no output gives one float per row ([N] or [N, 1]); its outputs: {Describe(graph.Outputs)}");
            return (TaskKind.Regression, [], OnnxOutputKind.Value, value.Name, null);
        }

        OnnxPort probabilities;
        OnnxOutputKind kind;
        long? width = null;
        if (matrices.Count > 0)
        {
            probabilities = matrices[0];
            kind = OnnxOutputKind.Probabilities;
            width = probabilities.Dims[1] >= 0 ? probabilities.Dims[1] : null;
        }
        else if (maps.Count > 0)
        {
            probabilities = maps[0];
            kind = OnnxOutputKind.ProbabilityMaps;
        }
        else if (task == TaskKind.Binary && singles.Count > 0)
        {
            probabilities = singles[0];
            kind = OnnxOutputKind.Sigmoid;
            width = 2;
        }
        else
        {
            throw NoUsableOutput(graph, labels);
        }

        var classes = Classes(graph, options, probabilities, width, notes);
        var inferred = classes.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass;
        if (task is { } asked && asked != inferred)
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", $"--task {Name(asked)}, but output '{probabilities.Name}' gives {Count(classes.Count, "class", "classes")} ({string.Join(", ", classes)}): that is {Name(inferred)}");
        }

        var label = kind == OnnxOutputKind.Sigmoid ? null : labels.FirstOrDefault()?.Name;
        return (inferred, classes, kind, probabilities.Name, label);
    }

    private static IReadOnlyList<string> Classes(OnnxGraph graph, OnnxImportOptions options, OnnxPort output, long? width, List<string> notes)
    {
        IReadOnlyList<string> classes;
        string from;
        if (options.Classes is { } given)
        {
            (classes, from) = (given, "--classes");
        }
        else if (graph.MetadataLabels is { } metadata)
        {
            (classes, from) = (metadata, "the model's metadata");
            notes.Add($"class labels from the model's metadata: {string.Join(", ", metadata)}");
        }
        else if (graph.GraphLabels is { } labels)
        {
            (classes, from) = (labels, "the graph's classifier");
            notes.Add($"class labels from the graph: {string.Join(", ", labels)}");
        }
        else if (width is { } c)
        {
            classes = [.. Enumerable.Range(0, (int)c).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            from = "the output's width";
            notes.Add($"the classes are named 0..{c - 1}; give --classes to name them");
        }
        else
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", $"output '{output.Name}' is {output.Describe()} and the graph does not name its classes; give them with --classes a,b,c (in probability order)");
        }

        if (width is { } w && classes.Count != w)
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", $"{from} names {Count(classes.Count, "class", "classes")}, but output '{output.Name}' is {output.Describe()}: give {w} classes");
        }

        if (classes.Count < 2)
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", $"{from} names {Count(classes.Count, "class", "classes")}; a classifier needs at least 2");
        }

        if (classes.Distinct(StringComparer.Ordinal).Count() != classes.Count || classes.Any(string.IsNullOrWhiteSpace))
        {
            throw FerryException.Usage("ONNX_OPTION_INVALID", $"{from} repeats a class or leaves one empty ({string.Join(", ", classes)}); name each class once");
        }

        return classes;
    }

    private static FerryException NoUsableOutput(OnnxGraph graph, List<OnnxPort> labels) =>
        labels.Count > 0 && graph.Outputs.All(o => !o.IsFloating || o.IsOnePerRow)
            ? Unsupported(graph, $"output '{labels[0].Name}' ({labels[0].Describe()}) gives class labels only; Ferry needs class probabilities "
                + "(a float tensor [N, C], or skl2onnx's seq(map)); export the model with its probability output")
            : Unsupported(graph, $"none of its outputs is class probabilities (float [N, C] or seq(map)) or one float per row ([N] or [N, 1]); its outputs: {Describe(graph.Outputs)}");

    private static string Describe(IEnumerable<OnnxPort> ports) => string.Join(", ", ports.Select(p => $"'{p.Name}' {p.Describe()}"));

    private static string Name(TaskKind task) => task.ToString().ToLowerInvariant();

    private static string Count(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";

    /// <summary>The model cannot be served as Ferry serves tables.</summary>
    public static FerryException Unsupported(OnnxGraph graph, string problem) =>
        FerryException.Invalid("ONNX_UNSUPPORTED", $"Ferry cannot serve this ONNX model: {problem}", new SourceLocation(graph.Source));
}
