using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ferry.Data.Loading;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;
using Ferry.Hosting;
using Ferry.Hosting.Serving;
using Ferry.Serving.Management;
using Ferry.Tracking.Registry;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>What serving the quickstart's model showed.</summary>
/// <param name="Requests">Requests sent (one test row each).</param>
/// <param name="Answered">Requests answered 200.</param>
/// <param name="Versions">The versions that answered.</param>
/// <param name="MedianMs">Median latency seen by the client.</param>
/// <param name="Labelled">Predictions the true label was attached to through the feedback endpoint.</param>
/// <param name="Correct">Answered requests whose label matched the true one.</param>
/// <param name="Errors">The first few refusals, if any.</param>
internal sealed record ServedTraffic(int Requests, int Answered, IReadOnlyList<string> Versions, double MedianMs, int Labelled, int Correct, IReadOnlyList<string> Errors);

/// <summary>
/// The quickstart's serving step: promote the challenger to champion, start the model server in-process on a free
/// loopback port, send the test part as live traffic (one row per request, TF Serving's <c>:predict</c>), and attach
/// each row's true label through the feedback endpoint, so the prediction log holds labelled traffic for monitoring.
/// </summary>
internal static class QuickstartServing
{
    public static async Task<ServedTraffic> RunAsync(CliContext context, ParseResult parse, string model, string testFile, string label, CancellationToken ct)
    {
        await using (var store = await TrackingAccess.OpenAsync(context, parse, ct))
        {
            var registry = (IModelRegistry)store;
            var deployment = new Deployment(registry, await registry.GetRegisteredModelAsync(model, ct));
            await deployment.PromoteAsync(ct);
        }

        var options = new TrackingServerOptions
        {
            Home = context.Home(parse),
            StoreUri = context.StoreUri(parse),
            ArtifactStoreUri = context.ArtifactsUri(parse),
            S3 = context.S3Options(),
            Port = 0,
            Time = context.Time,
            Tracking = false,
            Serving = new ServingOptions { Flavors = CliContext.Flavors(), Models = [model], Manager = new ManagerOptions { PollInterval = TimeSpan.FromMilliseconds(500) } },
        };
        await using var server = TrackingServer.Build(options);
        await server.StartAsync(ct);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(server.Urls.First()) };
            await WaitReadyAsync(client, ct);
            var table = (await CsvTableReader.LoadAsync(testFile, new TableLoadOptions(), null, ct)).Table;
            return await SendAsync(client, model, table, label, ct);
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Prints what the step did.</summary>
    public static void Print(CliContext context, string model, ServedTraffic traffic)
    {
        var console = context.Console.Out;
        console.MarkupLine($"  {Markup.Escape(model)}@champion served {traffic.Answered} of {traffic.Requests} test rows over HTTP (version {Markup.Escape(string.Join(", ", traffic.Versions))}), median {traffic.MedianMs:0.#} ms per request");
        console.MarkupLine($"  {traffic.Labelled} predictions got their true label through /v1/feedback; {traffic.Correct} of {traffic.Answered} were right");
        foreach (var error in traffic.Errors)
        {
            console.MarkupLine($"  [yellow]refused:[/] {Markup.Escape(error)}");
        }
    }

    private static async Task WaitReadyAsync(HttpClient client, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (!(await client.GetAsync(new Uri("/v2/health/ready", UriKind.Relative), timeout.Token)).IsSuccessStatusCode)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task<ServedTraffic> SendAsync(HttpClient client, string model, Ferry.Data.Tables.Table table, string label, CancellationToken ct)
    {
        var truth = table[label];
        var inputs = table.Columns.Where(c => c.Name != label).ToList();
        var latencies = new List<double>();
        var versions = new SortedSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var answered = new List<(string RequestId, string Truth)>();
        var correct = 0;
        for (var row = 0; row < table.RowCount; row++)
        {
            var instance = new JsonObject(inputs.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)Value(c, row))));
            var started = Stopwatch.GetTimestamp();
            using var response = await client.PostAsJsonAsync(new Uri($"/v1/models/{Uri.EscapeDataString(model)}:predict", UriKind.Relative), new JsonObject { ["instances"] = new JsonArray(instance) }, ct);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            if (!response.IsSuccessStatusCode)
            {
                if (errors.Count < 3)
                {
                    errors.Add($"row {row + 1}: {body["error"]}");
                }

                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            versions.Add(body["model_version"]!.GetValue<string>());
            var expected = truth.GetText(row);
            correct += body["predictions"]![0]!["label"]!.GetValue<string>() == expected ? 1 : 0;
            if (expected is not null)
            {
                answered.Add((response.Headers.GetValues("X-Request-Id").First(), expected));
            }
        }

        var labelled = 0;
        foreach (var (requestId, expected) in answered)
        {
            labelled += await FeedbackAsync(client, requestId, expected, ct) ? 1 : 0;
        }

        latencies.Sort();
        return new ServedTraffic(table.RowCount, latencies.Count, [.. versions], latencies.Count == 0 ? double.NaN : latencies[latencies.Count / 2], labelled, correct, errors);
    }

    /// <summary>Attaches a label, waiting briefly for the prediction log's background writer to store the prediction.</summary>
    private static async Task<bool> FeedbackAsync(HttpClient client, string requestId, string label, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var response = await client.PostAsJsonAsync(new Uri("/v1/feedback", UriKind.Relative), new { request_id = requestId, label }, ct);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            await Task.Delay(100, ct);
        }

        return false;
    }

    private static JsonValue? Value(Column column, int row) =>
        column.IsMissing(row) ? null : column is NumericColumn numbers ? JsonValue.Create(numbers[row]) : JsonValue.Create(column.GetText(row));
}
