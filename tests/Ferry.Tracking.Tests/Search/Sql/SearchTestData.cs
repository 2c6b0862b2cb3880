using System.Globalization;

using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

internal sealed record TestDataset(int Id, string Name, string Digest);

internal sealed record TestInput(int DatasetId, string? Context);

internal sealed class TestRun
{
    public required int Index { get; init; }
    public required string RunId { get; init; }
    public required long ExperimentId { get; init; }
    public required string RunName { get; init; }
    public required string UserId { get; init; }
    public required string Status { get; init; }
    public required long StartTime { get; init; }
    public required long? EndTime { get; init; }
    public required string ArtifactUri { get; init; }
    public required string LifecycleStage { get; init; }
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    public List<TestInput> Inputs { get; } = [];

    public override string ToString() => $"run {Index} ({RunId[..6]})";
}

/// <summary>
/// Thirty runs built from their index by simple formulas (so a reader can work out some answers by hand),
/// covering NaN, infinite and missing metrics, mixed-case tags, LIKE and GLOB special characters,
/// shared start times (tie-breakers), missing end times and several dataset inputs.
/// </summary>
internal static class SearchTestData
{
    public const int RunCount = 30;
    public const long BaseTime = 1_700_000_000_000;

    public static readonly TestDataset[] Datasets =
    [
        new(1, "iris", "d1"),
        new(2, "wine", "d2"),
        new(3, "Iris", "d3"),
    ];

    private static readonly string[] Statuses = ["FINISHED", "FAILED", "RUNNING", "KILLED", "SCHEDULED"];
    private static readonly string[] Users = ["alice", "bob", "Carol"];
    private static readonly string[] Envs = ["prod", "Prod", "PROD", "dev"];
    private static readonly string[] Models = ["rf", "RF", "xgb", "linear", "Rf"];
    private static readonly string[] Notes = ["50%_off", "a*b", "[x]", "it's", "a_c", "abc", "a\\b", "A_C", "q?"];
    private static readonly string[] Contexts = ["train", "eval"];

    public static List<TestRun> Build()
    {
        var runs = new List<TestRun>();
        for (var i = 0; i < RunCount; i++)
        {
            var run = new TestRun
            {
                Index = i,
                RunId = RunIdFor(i),
                ExperimentId = i % 10 == 9 ? 2 : 1,
                RunName = i % 4 == 0 ? $"Trial-{i}" : $"trial-{i}",
                UserId = Users[i % 3],
                Status = Statuses[i % 5],
                StartTime = BaseTime + (i / 2) * 1000, // pairs share a start time
                EndTime = i % 5 == 2 ? null : BaseTime + (i / 2) * 1000 + 100 + i,
                ArtifactUri = $"mlflow-artifacts:/{i % 4}/{RunIdFor(i)}/artifacts",
                LifecycleStage = i % 8 == 7 ? "deleted" : "active",
            };

            // loss: NaN when i % 7 == 3, missing when i % 7 == 5, +inf at 9, -inf at 11, 0.5 at 13.
            double? loss = (i % 7) switch
            {
                3 => double.NaN,
                5 => null,
                _ => i switch
                {
                    9 => double.PositiveInfinity,
                    11 => double.NegativeInfinity,
                    13 => 0.5,
                    _ => Math.Round(((i * 37) % 100) / 100.0, 2),
                },
            };
            if (loss is { } l)
            {
                run.Metrics["loss"] = l;
            }

            if (i % 3 != 0)
            {
                run.Metrics["acc"] = 0.6 + ((i * 13) % 40) / 100.0;
            }

            if (i % 2 == 0)
            {
                run.Metrics["val.loss"] = i % 10 == 4 ? double.NaN : i / 10.0;
            }

            if (i % 4 != 3)
            {
                run.Params["lr"] = (i % 3) switch { 0 => "0.01", 1 => "0.001", _ => "0.1" };
            }

            run.Params["model"] = Models[i % Models.Length];
            run.Params["note"] = Notes[i % Notes.Length];
            if (i % 6 < 4)
            {
                run.Tags["env"] = Envs[i % 6];
            }

            run.Tags["user-name"] = Users[(i + 1) % 3];
            run.Tags["mlflow.runName"] = run.RunName;
            if (i % 5 != 4)
            {
                run.Inputs.Add(new TestInput(Datasets[i % 3].Id, i % 4 == 0 ? null : Contexts[i % 2]));
            }

            if (i % 6 == 1)
            {
                run.Inputs.Add(new TestInput(Datasets[(i + 1) % 3].Id, "eval"));
            }

            runs.Add(run);
        }

        return runs;
    }

    public static string RunIdFor(int i)
    {
        // 32 lowercase hex characters that do not sort in index order.
        var a = unchecked((uint)(i * 2654435761u));
        var b = unchecked((uint)((i + 7) * 40503u));
        return (a.ToString("x8", CultureInfo.InvariantCulture) + b.ToString("x8", CultureInfo.InvariantCulture)).PadRight(32, 'e');
    }
}
