using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Ferry.Serving.Tests;

namespace Ferry.Hosting.Tests.Serving;

/// <summary>Swaps and overload over real HTTP: no request fails while versions come and go, and a full queue answers 503.</summary>
public sealed class ServingRolloutTests
{
    [Fact]
    public async Task Versions_swapped_under_concurrent_http_load_fail_no_request_and_rolling_back_takes_effect()
    {
        var sdca = await ServingPackages.GetAsync("breast_cancer");
        var lightgbm = await ServingPackages.GetAsync("breast_cancer", "lightgbm");
        await using var server = await ServingFixture.StartAsync([("cancer", 1, sdca)]);
        var body = RowJson.OpenInference(sdca.TestRows, [0]);
        var answered = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        async Task ClientAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var reply = await server.PostAsync("/v2/models/cancer/infer", body);
                if (reply.Status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)reply.Status}: {reply.Body}");
                    continue;
                }

                answered.AddOrUpdate(reply.Json!["model_version"]!.GetValue<string>(), 1, (_, n) => n + 1);
            }
        }

        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(ClientAsync)).ToList();
        for (var version = 2; version <= 4; version++)
        {
            ServingPackages.CopyTo(version % 2 == 0 ? lightgbm : sdca, Path.Combine(server.Models, "cancer", version.ToString(CultureInfo.InvariantCulture)));
            var label = version.ToString(CultureInfo.InvariantCulture);
            await WaitForAsync(() => answered.ContainsKey(label));
        }

        // Rolling back on a folder source is removing the bad version: the one before it serves again.
        Directory.Delete(Path.Combine(server.Models, "cancer", "4"), recursive: true);
        var before = answered.GetValueOrDefault("3");
        await WaitForAsync(() => answered.GetValueOrDefault("3") > before + 20);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.Equal(["1", "2", "3", "4"], answered.Keys.Order());
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_instead_of_growing()
    {
        var sdca = await ServingPackages.GetAsync("breast_cancer");
        // One waiting request at most, and batches that wait long for company: the third concurrent request finds the queue full.
        await using var server = await ServingFixture.StartAsync([("cancer", 1, sdca)], o => o with
        {
            Batching = o.Batching with { MaxQueuedRequests = 1, MaxBatchRows = 1000, MaxWait = TimeSpan.FromSeconds(2) },
        });
        var body = RowJson.OpenInference(sdca.TestRows, [0]);

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => server.PostAsync("/v2/models/cancer/infer", body)));

        var busy = replies.Where(r => r.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, r => Assert.Equal("1", r.Headers!["Retry-After"]));
        Assert.All(busy, r => Assert.Equal("SERVER_BUSY", r.Json!["error_code"]!.GetValue<string>()));
        Assert.Contains(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies, r => Assert.Contains(r.Status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
