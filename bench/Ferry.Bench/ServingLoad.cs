using System.Diagnostics;
using System.Net;

namespace Ferry.Bench;

/// <summary>What one load phase measured.</summary>
/// <param name="Requests">Requests answered 200.</param>
/// <param name="Failed">Requests answered otherwise or not at all.</param>
/// <param name="Seconds">How long the phase ran.</param>
/// <param name="LatenciesMs">Each successful request's latency, sorted.</param>
/// <param name="Errors">The first few failures, for the report.</param>
internal sealed record LoadResult(long Requests, long Failed, double Seconds, double[] LatenciesMs, IReadOnlyList<string> Errors)
{
    public double PerSecond => Requests / Seconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)(p * LatenciesMs.Length))];
}

/// <summary>Closed-loop load: a fixed number of clients, each sending its next request when the last one is answered.</summary>
internal static class ServingLoad
{
    /// <summary>Runs <paramref name="concurrency"/> clients for <paramref name="duration"/>: POSTs of <paramref name="body"/>, or GETs when it is null.</summary>
    public static async Task<LoadResult> RunAsync(HttpClient client, string path, byte[]? body, int concurrency, TimeSpan duration, Func<Task>? during = null)
    {
        var latencies = new List<double>[concurrency];
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long failed = 0;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();

        async Task ClientAsync(int index)
        {
            var own = latencies[index] = [];
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var content = body is null ? null : new ByteArrayContent(body);
                    content?.Headers.ContentType = new("application/json");
                    using var response = content is null ? await client.GetAsync(path, CancellationToken.None) : await client.PostAsync(path, content, CancellationToken.None);
                    await response.Content.LoadIntoBufferAsync(CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        continue;
                    }

                    Interlocked.Increment(ref failed);
                    if (errors.Count < 5)
                    {
                        errors.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                    }
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref failed);
                    errors.Enqueue(e.Message);
                }
            }
        }

        var clients = Enumerable.Range(0, concurrency).Select(i => Task.Run(() => ClientAsync(i))).ToList();
        if (during is not null)
        {
            await during();
        }

        await Task.WhenAll(clients);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(all.Length, failed, seconds, all, [.. errors]);
    }
}
