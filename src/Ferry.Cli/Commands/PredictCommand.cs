using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Data.Analysis;
using Ferry.Data.Loading;
using Column = Ferry.Data.Tables.Column;
using DataTable = Ferry.Data.Tables.Table;
using StringColumn = Ferry.Data.Tables.StringColumn;
using Ferry.Learn;
using Ferry.Learn.Torch.Images;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry predict MODEL FILE</c>: scores a CSV or Parquet table in batches with a model package, a registered
/// version or an alias, and writes the predictions as CSV.
/// </summary>
/// <remarks>
/// The table is read whole (Ferry.Data's loaders return one table), then scored and written batch by batch, so the
/// output and the model's work never hold more than a batch; the input must fit in memory as columns.
/// </remarks>
internal static class PredictCommand
{
    public const int DefaultBatchSize = 10_000;

    public static Command Create(CliApp app, CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "A model package (folder or .zip), or a registered model as NAME@ALIAS or NAME/VERSION" };
        var file = new Argument<string>("FILE") { Description = "The rows to score: CSV or Parquet, with the model's input columns (others are ignored); for an image model, a folder of images" };
        var output = new Option<string?>("--output", "-o") { Description = "The CSV file to write ('-' or none: standard output)" };
        var id = new Option<string?>("--id") { Description = "Copy this key column into the output instead of numbering the rows from 1" };
        var batch = new Option<int>("--batch-size") { Description = "Rows scored at a time", DefaultValueFactory = _ => DefaultBatchSize };
        var command = new Command("predict", "Score a table with a model: one row of predictions per input row") { model, file, output, id, batch };
        app.AddExamples(command,
            "ferry predict churn@champion customers.csv -o scores.csv",
            "ferry predict churn/3 customers.parquet --id customer_id",
            "ferry predict ./.ferry/models/iris-20250101-120000 samples/iris.csv");
        command.SetAction(async (parse, ct) =>
        {
            var batchSize = parse.GetValue(batch);
            if (batchSize < 1)
            {
                throw FerryException.Usage("OPTION_INVALID", $"--batch-size is {batchSize}; give a positive number of rows");
            }

            var target = parse.GetValue(output) is { Length: > 0 } o && o != "-" ? Path.GetFullPath(o) : null;
            await PredictAsync(context, parse, parse.GetValue(model)!, parse.GetValue(file)!, target, parse.GetValue(id), batchSize, ct);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Resolves <paramref name="modelReference"/>, scores <paramref name="data"/> into <paramref name="target"/> (null: standard output) and reports it on standard error.</summary>
    public static async Task<int> PredictAsync(CliContext context, ParseResult parse, string modelReference, string data, string? target, string? idName, int batchSize, CancellationToken ct)
    {
        var resolved = await PackageResolver.OpenAsync(context, parse, modelReference, ct);
        using var package = resolved.Package;
        using var predictor = await CliContext.Flavors().LoadPredictorAsync(package, ct);
        if (!Directory.Exists(data) && predictor is ImagePredictor { ReadsTableRows: false })
        {
            throw FerryException.Usage("PREDICT_NEEDS_IMAGES", $"{resolved.Name} is an image model and takes a folder of images, not the table '{data}'");
        }

        var rows = Directory.Exists(data)
            ? await ScoreFolderAsync(context, predictor as ImagePredictor, data, target, ct)
            : await ScoreAsync(context, predictor, data, target, idName, batchSize, ct);
        var manifest = package.Manifest;
        var error = context.Console.Error;
        error.MarkupLine($"Scored [bold]{rows.ToString("N0", CultureInfo.InvariantCulture)}[/] rows with [bold]{Markup.Escape(resolved.Name)}[/] "
            + $"(flavor {Markup.Escape(manifest.Flavor)}, learner {Markup.Escape(manifest.Learner)}, {manifest.Signature.Task.ToString().ToLowerInvariant()})"
            + $" → {Markup.Escape(target ?? "standard output")}");
        if (resolved.Downloaded)
        {
            error.MarkupLine("[grey]The package was downloaded into the Ferry home's cache; the next predict with it reads it from there.[/]");
        }

        return rows;
    }

    private static Task<int> ScoreAsync(CliContext context, IPredictor predictor, string data, string? target, string? idName, int batchSize, CancellationToken ct)
    {
        if (!context.Console.Interactive)
        {
            return ScoreAsync(context, predictor, data, target, idName, batchSize, null, null, ct);
        }

        return context.Console.Error.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var reading = progress.AddTask($"reading {Markup.Escape(Path.GetFileName(data))}", maxValue: 1.0);
                var scoring = progress.AddTask("scoring", autoStart: false);
                var read = new ProgressReport<LoadProgress>(p =>
                {
                    if (p.TotalBytes is > 0 and var total)
                    {
                        reading.Value = Math.Min(1.0, (double)p.BytesRead / total);
                    }
                });
                return await ScoreAsync(context, predictor, data, target, idName, batchSize, read, (done, all) =>
                {
                    reading.Value = reading.MaxValue;
                    if (!scoring.IsStarted)
                    {
                        scoring.MaxValue = Math.Max(all, 1);
                        scoring.StartTask();
                    }

                    scoring.Value = done;
                }, ct);
            });
    }

    private static async Task<int> ScoreAsync(
        CliContext context, IPredictor predictor, string data, string? target, string? idName, int batchSize,
        IProgress<LoadProgress>? read, Action<int, int>? scored, CancellationToken ct)
    {
        var table = await LoadAsync(data, read, ct);
        var signature = predictor.Signature;
        var absent = signature.Inputs.Where(i => table.IndexOf(i.Name) < 0).Select(i => i.Name).ToList();
        if (absent.Count > 0)
        {
            throw FerryException.Invalid(
                "INPUT_INVALID",
                $"it has no column{(absent.Count == 1 ? "" : "s")} {string.Join(", ", absent.Select(a => $"'{a}'"))}, which the model reads (it reads {string.Join(", ", signature.Inputs.Select(i => i.Name))}); add {(absent.Count == 1 ? "it" : "them")} (empty values are allowed)",
                new SourceLocation(data, Column: absent[0]));
        }

        Column? ids = null;
        if (idName is not null && !table.TryGetColumn(idName, out ids))
        {
            throw FerryException.Usage("COLUMN_NOT_FOUND", $"--id names column '{idName}', which {data} does not have (its columns: {string.Join(", ", table.Columns.Select(c => c.Name))})");
        }

        var header = PredictionWriter.Header(idName ?? "row", signature);
        if (header.Skip(1).Contains(header[0], StringComparer.Ordinal))
        {
            throw FerryException.Usage("OPTION_INVALID", $"--id '{idName}' has the name of a prediction column; rename that column in {data} first");
        }

        await using var writer = PredictionWriter.Open(target, context.Console.RawOut);
        await writer.WriteHeaderAsync(header, ct);
        var indices = new int[Math.Min(batchSize, table.RowCount)];
        scored?.Invoke(0, table.RowCount);
        for (var start = 0; start < table.RowCount; start += batchSize)
        {
            var count = Math.Min(batchSize, table.RowCount - start);
            var rows = table;
            if (count != table.RowCount)
            {
                for (var i = 0; i < count; i++)
                {
                    indices[i] = start + i;
                }

                rows = table.SelectRows(indices.AsSpan(0, count));
            }

            Predictions predictions;
            try
            {
                predictions = await predictor.PredictAsync(rows, ct);
            }
            catch (FerryException e) when (e.Location?.File == "input")
            {
                throw InFile(e, data, start);
            }

            await writer.WriteBatchAsync(predictions, start, ids, ct);
            scored?.Invoke(start + count, table.RowCount);
        }

        await writer.CommitAsync(ct);
        return table.RowCount;
    }

    /// <summary>Scores every readable image of a folder (loose files or class subfolders): one row per image, named by its path in the folder.</summary>
    private static async Task<int> ScoreFolderAsync(CliContext context, ImagePredictor? predictor, string folder, string? target, CancellationToken ct)
    {
        if (predictor is null)
        {
            throw FerryException.Usage("PREDICT_FOLDER_NOT_IMAGE_MODEL", $"'{folder}' is a folder, and only image models score folders of images; give this model a CSV or Parquet file");
        }

        var result = await predictor.PredictFolderAsync(folder, null, ct);
        var items = result.Images.Dataset.Items;
        var header = PredictionWriter.Header("image", predictor.Signature);
        await using (var writer = PredictionWriter.Open(target, context.Console.RawOut))
        {
            await writer.WriteHeaderAsync(header, ct);
            await writer.WriteBatchAsync(result.Predictions, 0, StringColumn.FromValues("image", items.Select(i => i.Id)), ct);
            await writer.CommitAsync(ct);
        }

        foreach (var note in result.Images.Notes)
        {
            context.Console.Error.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
        }

        if (result.Images.BadImageCount > 0)
        {
            var first = result.Images.BadImages[0];
            context.Console.Error.MarkupLine($"[yellow]{result.Images.BadImageCount} image(s) could not be read and have no prediction; the first: {Markup.Escape(first.Path)} ({Markup.Escape(first.Reason)})[/]");
        }

        return items.Count;
    }

    private static async Task<DataTable> LoadAsync(string data, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        // Not strict, so the bad rows come back with their details; but no row may be skipped, or every later row id would be off.
        var load = await DatasetAnalyzer.LoadTableAsync(data, new TableLoadOptions(), progress, ct);
        if (load.BadRowCount > 0)
        {
            var first = load.BadRows[0];
            throw FerryException.Invalid(
                "INPUT_INVALID",
                $"the row on line {first.Line} cannot be read: it {first.Reason.TrimStart()}"
                    + (load.BadRowCount > 1 ? $" ({load.BadRowCount} bad rows in all)" : "")
                    + "; ferry predict scores every row, so fix it (leave a value empty for missing)",
                new SourceLocation(data, first.Line, first.Column));
        }

        return load.Table;
    }

    /// <summary>A predictor's error about a batch's row, restated for the row of the file.</summary>
    internal static FerryException InFile(FerryException error, string file, int offset)
    {
        var location = error.Location!;
        var message = error.Message;
        if (location.Line is { } line)
        {
            var row = line + offset;
            var restated = Regex.Replace(message, $@"\brow {line}\b", $"row {row}");
            message = restated != message ? restated : $"row {row}: {message}";
        }

        return new FerryException(error.Kind, error.Code, message, new SourceLocation(file, Column: location.Column), error);
    }

    // Progress<T> posts to the thread pool; the bar only needs the latest value, set in place.
    private sealed class ProgressReport<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
