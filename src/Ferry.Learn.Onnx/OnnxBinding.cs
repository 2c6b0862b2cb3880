using Ferry.Learn.Packaging;

namespace Ferry.Learn.Onnx;

/// <summary>How the table's columns reach the graph's inputs.</summary>
internal enum OnnxLayout
{
    /// <summary>One 2-D float or double input [N, F]; the signature's columns in order are its F features.</summary>
    Matrix,

    /// <summary>One [N, 1] (or [N]) input per column, named by the graph (skl2onnx's style).</summary>
    Columns,
}

/// <summary>Which output gives the prediction, and how to read it.</summary>
internal enum OnnxOutputKind
{
    /// <summary>A float or double tensor [N, C] of class probabilities.</summary>
    Probabilities,

    /// <summary>A sequence of N maps from class label to probability (skl2onnx's ZipMap).</summary>
    ProbabilityMaps,

    /// <summary>One number per row, the probability of the second class (binary, by <c>--task binary</c>).</summary>
    Sigmoid,

    /// <summary>One number per row, the regression value.</summary>
    Value,
}

/// <summary>
/// What Ferry decided at import about an ONNX graph: the input layout, the output to read and an optional label
/// output. Stored in the package's <c>model.json</c> settings, so serving reads the graph exactly as import did.
/// </summary>
internal sealed record OnnxBinding(OnnxLayout Layout, string? MatrixInput, OnnxOutputKind OutputKind, string Output, string? LabelOutput)
{
    public const string LayoutSetting = "onnx.layout";
    public const string InputSetting = "onnx.input";
    public const string OutputKindSetting = "onnx.output.kind";
    public const string OutputSetting = "onnx.output";
    public const string LabelSetting = "onnx.label";

    /// <summary>The settings to write into <c>model.json</c>.</summary>
    public Dictionary<string, string> ToSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LayoutSetting] = Layout == OnnxLayout.Matrix ? "matrix" : "columns",
            [OutputKindSetting] = KindName(OutputKind),
            [OutputSetting] = Output,
        };
        if (MatrixInput is not null)
        {
            settings[InputSetting] = MatrixInput;
        }

        if (LabelOutput is not null)
        {
            settings[LabelSetting] = LabelOutput;
        }

        return settings;
    }

    /// <summary>Reads the binding back from a package's settings.</summary>
    /// <exception cref="FerryException">PACKAGE_INVALID naming the missing or unknown setting.</exception>
    public static OnnxBinding FromSettings(IReadOnlyDictionary<string, string>? settings, string source)
    {
        string Required(string key) =>
            settings?.GetValueOrDefault(key) is { Length: > 0 } value
                ? value
                : throw Invalid(source, $"its model.json lacks the setting '{key}' an onnx package needs; import the .onnx file again");

        var layout = Required(LayoutSetting) switch
        {
            "matrix" => OnnxLayout.Matrix,
            "columns" => OnnxLayout.Columns,
            var other => throw Invalid(source, $"its setting {LayoutSetting} is '{other}'; this Ferry knows matrix and columns"),
        };
        var kind = Required(OutputKindSetting) switch
        {
            "probabilities" => OnnxOutputKind.Probabilities,
            "probability-maps" => OnnxOutputKind.ProbabilityMaps,
            "sigmoid" => OnnxOutputKind.Sigmoid,
            "value" => OnnxOutputKind.Value,
            var other => throw Invalid(source, $"its setting {OutputKindSetting} is '{other}'; this Ferry knows probabilities, probability-maps, sigmoid and value"),
        };
        return new OnnxBinding(layout, layout == OnnxLayout.Matrix ? Required(InputSetting) : null, kind, Required(OutputSetting), settings?.GetValueOrDefault(LabelSetting));
    }

    private static string KindName(OnnxOutputKind kind) => kind switch
    {
        OnnxOutputKind.Probabilities => "probabilities",
        OnnxOutputKind.ProbabilityMaps => "probability-maps",
        OnnxOutputKind.Sigmoid => "sigmoid",
        _ => "value",
    };

    private static FerryException Invalid(string source, string problem) =>
        FerryException.Invalid("PACKAGE_INVALID", $"model package '{source}' cannot be used: {problem}");
}
