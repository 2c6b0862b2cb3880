using System.CommandLine;
using System.Text;
using Ferry.Data.Analysis;
using Ferry.Data.Loading;
using Ferry.Data.Schema;

namespace Ferry.Cli.Commands;

/// <summary>The options that say how to read and interpret a dataset, shared by the data commands.</summary>
internal sealed class DatasetOptions
{
    public Option<string?> Label { get; } = new("--label") { Description = "Label column (default: a column named label, target, class or y)" };

    public Option<string?> Task { get; } = new("--task")
    {
        Description = "Task: binary, multiclass or regression (default: inferred from the label)",
        CustomParser = r => r.Tokens.Count == 0 ? null : r.Tokens[0].Value.ToLowerInvariant() switch
        {
            "binary" or "multiclass" or "regression" => r.Tokens[0].Value.ToLowerInvariant(),
            var other => Fail(r, $"--task must be binary, multiclass or regression, not '{other}'"),
        },
    };

    public Option<string?> Delimiter { get; } = new("--delimiter")
    {
        Description = "CSV field delimiter: ',', ';', 'tab' or '|' (default: detected)",
        CustomParser = r => r.Tokens.Count == 0 ? null : r.Tokens[0].Value switch
        {
            "," or ";" or "|" => r.Tokens[0].Value,
            "tab" or "\\t" or "\t" => "\t",
            var other => Fail(r, $"--delimiter must be ',', ';', 'tab' or '|', not '{other}'"),
        },
    };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The CSV has no header row (default: detected)" };

    public Option<string?> Encoding { get; } = new("--encoding")
    {
        Description = "Text encoding: utf-8 or latin1 (default: UTF-8, falling back to Latin-1 when the file is not UTF-8)",
        CustomParser = r => r.Tokens.Count == 0 ? null : r.Tokens[0].Value.ToLowerInvariant() switch
        {
            "utf-8" or "utf8" => "utf-8",
            "latin1" or "latin-1" or "iso-8859-1" => "latin1",
            var other => Fail(r, $"--encoding must be utf-8 or latin1, not '{other}'"),
        },
    };

    public Option<bool> Strict { get; } = new("--strict") { Description = "Stop at the first bad row instead of counting and skipping it" };

    public void AddTo(Command command)
    {
        command.Options.Add(Label);
        command.Options.Add(Task);
        command.Options.Add(Delimiter);
        command.Options.Add(NoHeader);
        command.Options.Add(Encoding);
        command.Options.Add(Strict);
    }

    /// <summary>The task a <c>--task</c> value or a config's <c>task:</c> names; null for none.</summary>
    public static TaskKind? TaskOf(string? text) => text?.ToLowerInvariant() switch
    {
        null => null,
        "binary" => TaskKind.Binary,
        "multiclass" => TaskKind.Multiclass,
        "regression" => TaskKind.Regression,
        _ => throw FerryException.Usage("TASK_UNKNOWN", $"task '{text}' is not known; use binary, multiclass or regression"),
    };

    public AnalyzeOptions Read(ParseResult parse, string? testPath = null) => new()
    {
        Label = parse.GetValue(Label),
        Task = TaskOf(parse.GetValue(Task)),
        TestPath = testPath,
        Load = new TableLoadOptions
        {
            Delimiter = parse.GetValue(Delimiter)?[0],
            HasHeader = parse.GetValue(NoHeader) ? false : null,
            Encoding = parse.GetValue(Encoding) switch
            {
                "utf-8" => new UTF8Encoding(false),
                "latin1" => System.Text.Encoding.Latin1,
                _ => null,
            },
            Strict = parse.GetValue(Strict),
        },
    };

    private static string? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}
