using System.CommandLine;
using System.Globalization;
using Ferry.Data.Analysis;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Schema;
using Ferry.Data.Splits;
using DataTable = Ferry.Data.Tables.Table;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry data split FILE -o DIR</c>: deterministic train/validation/test or k-fold files.</summary>
internal static class DataSplitCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A CSV or Parquet file" };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write the parts to (must not exist)", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the shuffle; the same seed gives the same split", DefaultValueFactory = _ => 42 };
        var validation = new Option<double>("--validation") { Description = "Fraction of rows for validation", DefaultValueFactory = _ => 0.1 };
        var test = new Option<double>("--test") { Description = "Fraction of rows for test", DefaultValueFactory = _ => 0.2 };
        var folds = new Option<int?>("--folds") { Description = "Write K folds (fold-N/train.csv, fold-N/validation.csv) instead of one split" };
        var group = new Option<string?>("--group") { Description = "Keep rows with the same value of this column in one part" };
        var time = new Option<string?>("--time") { Description = "Split by this datetime column: oldest rows train, newest test" };
        var noStratify = new Option<bool>("--no-stratify") { Description = "Do not keep the label's class shares equal across parts" };
        var dataset = new DatasetOptions();
        var command = new Command("split", "Split a dataset deterministically: stratified, k-fold, by group or by time")
            { file, output, seed, validation, test, folds, group, time, noStratify };
        dataset.AddTo(command);
        app.AddExamples(command,
            "ferry data split samples/penguins.csv -o splits/penguins",
            "ferry data split samples/iris.csv -o splits/iris-5fold --folds 5 --seed 7",
            "ferry data split visits.csv -o splits/visits --group patient_id --label readmitted",
            "ferry data split sales.csv -o splits/sales --time date --test 0.2 --validation 0.1");

        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(group) is not null && parse.GetValue(time) is not null)
            {
                throw FerryException.Usage("SPLIT_OPTIONS", "--group and --time cannot be used together: choose one way to split");
            }

            var target = Path.GetFullPath(parse.GetValue(output)!);
            if (Directory.Exists(target) || File.Exists(target))
            {
                throw FerryException.Usage("OUTPUT_EXISTS", $"{target} already exists: choose a new folder, or delete it first");
            }

            var analysis = await DataInspectCommand.Analyze(context, parse.GetValue(file)!, dataset.Read(parse), ct);
            if (analysis.Images is not null)
            {
                throw FerryException.Usage("SPLIT_IMAGES", "splitting image folders into files is not supported yet; split a table (CSV or Parquet)");
            }

            var table = analysis.Table;
            var stratify = parse.GetValue(noStratify) ? null : analysis.Schema.Label;
            var parts = Plan(table, stratify, parse.GetValue(seed), parse.GetValue(validation), parse.GetValue(test), parse.GetValue(folds), parse.GetValue(group), parse.GetValue(time));
            await AtomicDirectory.WriteAsync(target, async (staging, token) =>
            {
                foreach (var (name, rows) in parts)
                {
                    var path = Path.Combine(staging, name + ".csv");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    await CsvTableWriter.WriteAsync(table.SelectRows(rows), path, token);
                }
            }, ct);

            WriteSummary(context.Console.Out, table, analysis.Schema, parts, target);
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>The parts to write, as (relative file name without extension, row indices).</summary>
    public static List<(string Name, int[] Rows)> Plan(DataTable table, string? stratify, ulong seed, double validation, double test, int? folds, string? group, string? time)
    {
        if (folds is { } k)
        {
            var foldList = group is not null ? Splitter.GroupKFold(table, group, k, seed) : Splitter.KFold(table, k, stratify, seed);
            return [.. foldList.SelectMany(f => new[]
            {
                ($"fold-{f.Index + 1}/train", f.Train),
                ($"fold-{f.Index + 1}/validation", f.Validation),
            })];
        }

        var split = time is not null ? Splitter.ByTime(table, time, validation, test)
            : group is not null ? Splitter.ByGroup(table, group, validation, test, seed)
            : Splitter.TrainValidationTest(table, stratify, validation, test, seed);
        var parts = new List<(string, int[])> { ("train", split.Train) };
        if (split.Validation.Length > 0)
        {
            parts.Add(("validation", split.Validation));
        }

        if (split.Test.Length > 0)
        {
            parts.Add(("test", split.Test));
        }

        return parts;
    }

    private static void WriteSummary(IAnsiConsole console, DataTable table, DatasetSchema schema, List<(string Name, int[] Rows)> parts, string target)
    {
        var label = table[schema.Label];
        var classes = schema.Task == TaskKind.Regression ? [] : schema.Classes.Take(6).ToList();
        var view = new Spectre.Console.Table().Border(TableBorder.Rounded).Title($"[bold]Split[/] written to {Markup.Escape(target)}");
        view.AddColumn("Part");
        view.AddColumn(new TableColumn("Rows").RightAligned());
        foreach (var c in classes)
        {
            view.AddColumn(new TableColumn(Markup.Escape(c)).RightAligned());
        }

        foreach (var (name, rows) in parts)
        {
            var cells = new List<string> { Markup.Escape(name + ".csv"), rows.Length.ToString("N0", CultureInfo.InvariantCulture) };
            foreach (var c in classes)
            {
                var share = rows.Length == 0 ? 0 : 100.0 * rows.Count(r => label.GetText(r) == c) / rows.Length;
                cells.Add($"{share:0.0}%");
            }

            view.AddRow([.. cells]);
        }

        console.Write(view);
    }
}
