using System.Text;
using Ferry.Serving.Metrics;

namespace Ferry.Serving.Tests.Metrics;

public sealed class ServingMetricsTests
{
    private static readonly ServableId Penguins1 = new("penguins", 1);

    [Fact]
    public void Requests_are_counted_per_label_set_and_durations_fill_cumulative_buckets()
    {
        var metrics = new ServingMetrics();
        double[] seconds = [0.0002, 0.0007, 0.003, 0.003, 0.04, 0.2, 0.9, 3, 12];
        foreach (var (s, i) in seconds.Select((s, i) => (s, i)))
        {
            metrics.RecordRequest("penguins", 1, i % 3 == 0 ? "v2" : "rest", i == 4 ? 400 : 200, s);
        }

        metrics.RecordRequest("penguins", null, "rest", 503, 0.001);

        var text = ExpositionText.Parse(metrics.Render());
        var rest200 = seconds.Where((_, i) => i % 3 != 0 && i != 4).Count();
        Assert.Equal(rest200, text.Value("ferry_requests_total", ("model", "penguins"), ("version", "1"), ("protocol", "rest"), ("code", "200")));
        Assert.Equal(1, text.Value("ferry_requests_total", ("version", "1"), ("code", "400")));
        Assert.Equal(1, text.Value("ferry_requests_total", ("version", ""), ("code", "503")));
        Assert.Equal("counter", text.Types["ferry_requests_total"]);
        Assert.Equal("histogram", text.Types["ferry_request_duration_seconds"]);

        var buckets = text.Buckets("ferry_request_duration_seconds", ("version", "1"));
        Assert.Equal(0.0005, buckets[0].Le);
        Assert.Equal(10, buckets[^2].Le);
        Assert.Equal(double.PositiveInfinity, buckets[^1].Le);
        foreach (var (le, count) in buckets)
        {
            Assert.Equal(seconds.Count(s => s <= le), count);
        }

        Assert.Equal(seconds.Length, text.Value("ferry_request_duration_seconds_count", ("version", "1")));
        Assert.Equal(seconds.Sum(), text.Value("ferry_request_duration_seconds_sum", ("version", "1")), 9);
    }

    [Theory]
    [InlineData("we\"ird")]
    [InlineData(@"back\slash")]
    [InlineData("new\nline")]
    [InlineData("all \\\" \n \\n of them")]
    public void Label_values_with_quotes_backslashes_and_newlines_are_escaped_and_read_back(string model)
    {
        var metrics = new ServingMetrics();
        metrics.RecordRequest(model, 2, "rest", 200, 0.01);
        metrics.RecordBatch(new ServableId(model, 2), 3);

        var rendered = metrics.Render();
        var text = ExpositionText.Parse(rendered);

        Assert.Equal(1, text.Value("ferry_requests_total", ("model", model)));
        Assert.Equal(1, text.Value("ferry_batch_size_count", ("model", model), ("version", "2")));
        Assert.All(rendered.Split('\n'), line => Assert.False(line.StartsWith("line", StringComparison.Ordinal) || line.StartsWith(" of them", StringComparison.Ordinal), line));
    }

    [Fact]
    public void Batch_sizes_fall_into_power_of_two_buckets_up_to_1024()
    {
        var metrics = new ServingMetrics();
        int[] rows = [1, 1, 3, 64, 65, 1024, 5000];
        foreach (var r in rows)
        {
            metrics.RecordBatch(Penguins1, r);
        }

        var buckets = ExpositionText.Parse(metrics.Render()).Buckets("ferry_batch_size", ("model", "penguins"), ("version", "1"));

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, double.PositiveInfinity], buckets.Select(b => b.Le));
        Assert.All(buckets, b => Assert.Equal(rows.Count(r => r <= b.Le), b.Count));
    }

    [Fact]
    public void Queue_depth_is_read_at_each_scrape_and_goes_with_the_servable()
    {
        var metrics = new ServingMetrics();
        var depth = 3;
        metrics.SetQueueDepth(Penguins1, () => depth);
        metrics.SetQueueDepth(new ServableId("penguins", 2), () => 11);
        metrics.RecordBatch(Penguins1, 4);
        metrics.RecordRequest("penguins", 1, "rest", 200, 0.01);
        metrics.RecordLoad(Penguins1, succeeded: true, 1.5);

        var first = ExpositionText.Parse(metrics.Render());
        depth = 7;
        var second = ExpositionText.Parse(metrics.Render());
        metrics.RemoveServable(Penguins1);
        metrics.RecordUnload(Penguins1);
        var third = ExpositionText.Parse(metrics.Render());

        Assert.Equal("gauge", first.Types["ferry_queue_depth"]);
        Assert.Equal(3, first.Value("ferry_queue_depth", ("model", "penguins"), ("version", "1")));
        Assert.Equal(7, second.Value("ferry_queue_depth", ("model", "penguins"), ("version", "1")));
        Assert.Empty(third.Find("ferry_queue_depth", ("version", "1")));
        Assert.Empty(third.Find("ferry_batch_size_count", ("version", "1")));
        Assert.Empty(third.Find("ferry_requests_total", ("version", "1")));
        Assert.Equal(11, third.Value("ferry_queue_depth", ("version", "2")));
        Assert.Equal(1, third.Value("ferry_model_loads_total", ("model", "penguins"), ("version", "1"), ("result", "success")));
        Assert.Equal(1, third.Value("ferry_model_unloads_total", ("model", "penguins"), ("version", "1")));
    }

    [Fact]
    public void A_queue_callback_that_throws_drops_only_its_own_series()
    {
        var metrics = new ServingMetrics();
        metrics.SetQueueDepth(Penguins1, () => throw new ObjectDisposedException("queue"));
        metrics.SetQueueDepth(new ServableId("penguins", 2), () => 5);

        var text = ExpositionText.Parse(metrics.Render());

        Assert.Empty(text.Find("ferry_queue_depth", ("version", "1")));
        Assert.Equal(5, text.Value("ferry_queue_depth", ("version", "2")));
    }

    [Fact]
    public void Loads_shadows_and_log_drops_are_reported()
    {
        var metrics = new ServingMetrics();
        var empty = ExpositionText.Parse(metrics.Render());
        metrics.RecordLoad(Penguins1, succeeded: true, 0.4);
        metrics.RecordLoad(new ServableId("penguins", 2), succeeded: false, 30);
        metrics.RecordShadow(Penguins1, new ServableId("penguins", 2), agreed: true, -0.004);
        metrics.RecordShadow(Penguins1, new ServableId("penguins", 2), agreed: false, 0.02);
        metrics.RecordShadow(Penguins1, new ServableId("penguins", 2), agreed: true, 0.0005);
        metrics.RecordShadow(Penguins1, new ServableId("iris", 9), agreed: false, 0);
        metrics.RecordPredictionLogDropped(3);
        metrics.RecordPredictionLogDropped(2);
        metrics.RecordPredictionLogDropped(-1);

        var text = ExpositionText.Parse(metrics.Render());

        Assert.Equal(0, empty.Value("ferry_prediction_log_dropped_total"));
        Assert.Equal(5, text.Value("ferry_prediction_log_dropped_total"));
        Assert.Equal(1, text.Value("ferry_model_loads_total", ("version", "2"), ("result", "failure")));
        Assert.Equal(2, text.Value("ferry_model_load_seconds_count", ("model", "penguins")));
        Assert.Equal(2, text.Value("ferry_shadow_requests_total", ("live", "1"), ("shadow", "2"), ("agreed", "true")));
        Assert.Equal(1, text.Value("ferry_shadow_requests_total", ("live", "1"), ("shadow", "2"), ("agreed", "false")));
        Assert.Equal(1, text.Value("ferry_shadow_requests_total", ("live", "1"), ("shadow", "iris/9")));
        var delta = text.Buckets("ferry_shadow_latency_delta_seconds", ("shadow", "2"));
        Assert.Contains(delta, b => b.Le < 0);
        Assert.All(delta, b => Assert.Equal(new[] { -0.004, 0.02, 0.0005 }.Count(d => d <= b.Le), b.Count));
    }

    [Fact]
    public async Task Concurrent_recording_while_scraping_loses_nothing_and_buckets_stay_consistent()
    {
        var metrics = new ServingMetrics();
        const int Threads = 8;
        const int PerThread = 5_000;
        using var stop = new CancellationTokenSource();
        var scrapes = Task.Run(() =>
        {
            var count = 0;
            do
            {
                var text = ExpositionText.Parse(metrics.Render());
                foreach (var total in text.Find("ferry_request_duration_seconds_count"))
                {
                    var buckets = text.Buckets("ferry_request_duration_seconds", ("model", total.Labels["model"]));
                    Assert.Equal(total.Value, buckets[^1].Count);
                    Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Count <= p.Second.Count), "buckets must be cumulative");
                }

                count++;
            }
            while (!stop.IsCancellationRequested);

            return count;
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                metrics.RecordRequest("m" + (t % 2), 1, "rest", 200, 0.25);
                metrics.RecordBatch(Penguins1, 8);
            }
        })));
        await stop.CancelAsync();
        Assert.True(await scrapes > 0);

        var final = ExpositionText.Parse(metrics.Render());
        Assert.Equal(Threads / 2 * PerThread, final.Value("ferry_requests_total", ("model", "m0")));
        Assert.Equal(Threads / 2 * PerThread, final.Value("ferry_requests_total", ("model", "m1")));
        Assert.Equal(Threads / 2 * PerThread * 0.25, final.Value("ferry_request_duration_seconds_sum", ("model", "m0")));
        Assert.Equal(Threads * PerThread, final.Value("ferry_batch_size_count"));
        Assert.Equal(Threads * PerThread * 8.0, final.Value("ferry_batch_size_sum"));
    }

    [Fact]
    public async Task WriteAsync_writes_the_rendered_text_as_utf8_with_help_and_type_for_every_family()
    {
        var metrics = new ServingMetrics();
        metrics.RecordRequest("pingüino", 1, "rest", 200, 0.01);
        using var stream = new MemoryStream();

        await metrics.WriteAsync(stream, CancellationToken.None);

        var written = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(metrics.Render(), written);
        var text = ExpositionText.Parse(written);
        Assert.Equal(text.Types.Keys.Order(), text.Help.Keys.Order());
        Assert.All(text.Samples, s => Assert.Contains(text.FamilyOf(s.Name), text.Types.Keys));
        Assert.Equal(1, text.Value("ferry_requests_total", ("model", "pingüino")));
        Assert.StartsWith("text/plain; version=0.0.4", ServingMetrics.ContentType, StringComparison.Ordinal);
    }
}
