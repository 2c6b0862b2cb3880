using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Ferry.Tracking.Client.Remote;
using Ferry.Tracking.Model;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Tracking.Client.Tests.Remote;

/// <summary>
/// Which failures <see cref="RestTrackingStore"/> tries again, against a real server behind a handler that answers
/// the first requests to a path itself, as an overloaded server or a proxy in front of one would.
/// </summary>
#pragma warning disable CA1001 // Disposed in IAsyncLifetime.DisposeAsync, which xunit calls after each test.
public sealed class RestRetryTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly FaultyHandler _faults = new();
    private RemoteServer _server = null!;
    private HttpClient _http = null!;
    private RestTrackingStore _store = null!;

    public async Task InitializeAsync()
    {
        _server = await RemoteServer.StartAsync();
        _http = new HttpClient(_faults);
        _store = new RestTrackingStore(_http, _server.Url, _time);
    }

    [Fact]
    public async Task Log_batch_refused_with_503_is_sent_again_and_written_once()
    {
        var runId = await NewRunAsync();
        _faults.Fail("runs/log-batch", times: 2, () => Json(HttpStatusCode.ServiceUnavailable, "TEMPORARILY_UNAVAILABLE"));
        var points = Enumerable.Range(0, 10).Select(i => new Metric("loss", i, 1000 + i, i)).ToList();

        var logging = _store.LogBatchAsync(runId, points, [new Param("lr", "0.1")], [], None);
        await FakeClock.AdvanceUntilDoneAsync(_time, logging);
        await logging;

        Assert.Equal(3, _faults.Sent("runs/log-batch"));
        Assert.Equal(points, await (await _server.StoreAsync()).GetMetricHistoryAsync(runId, "loss", None));
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_the_server_asks()
    {
        var runId = await NewRunAsync();
        _faults.Fail("runs/log-batch", times: 1, () =>
        {
            var busy = Json(HttpStatusCode.TooManyRequests, "REQUEST_LIMIT_EXCEEDED");
            busy.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
            return busy;
        });

        var logging = _store.LogBatchAsync(runId, [new Metric("loss", 1, 1)], [], [], None);
        await _faults.WaitForAsync("runs/log-batch", 1);
        _time.Advance(TimeSpan.FromSeconds(2.9));
        await Task.Delay(200);
        Assert.Equal(1, _faults.Sent("runs/log-batch"));
        _time.Advance(TimeSpan.FromSeconds(0.2));
        await logging;

        Assert.Equal(2, _faults.Sent("runs/log-batch"));
    }

    [Fact]
    public async Task Client_errors_are_never_retried()
    {
        var runId = await NewRunAsync();

        var tooLong = await Assert.ThrowsAsync<FerryException>(() => _store.LogMetricAsync(runId, new Metric(new string('k', 300), 1, 1), None));
        var missing = await Assert.ThrowsAsync<FerryException>(() => _store.GetRunAsync(Guid.NewGuid().ToString("N"), None));

        Assert.Equal(TrackingErrors.InvalidParameterValue, tooLong.Code);
        Assert.Equal(TrackingErrors.ResourceDoesNotExist, missing.Code);
        Assert.Equal(1, _faults.Sent("runs/log-batch"));
        // NewRunAsync's read, then the unknown run once.
        Assert.Equal(2, _faults.Sent("runs/get"));
    }

    [Fact]
    public async Task A_run_is_not_created_twice_when_the_server_answers_503()
    {
        _faults.Fail("runs/create", times: 1, () => Json(HttpStatusCode.ServiceUnavailable, "TEMPORARILY_UNAVAILABLE"));

        var error = await Assert.ThrowsAsync<FerryException>(() => _store.CreateRunAsync(new CreateRunRequest("0"), None));

        Assert.Equal(("TEMPORARILY_UNAVAILABLE", ErrorKind.Conflict), (error.Code, error.Kind));
        Assert.Equal(1, _faults.Sent("runs/create"));
    }

    [Fact]
    public async Task Reads_ride_out_a_proxy_error_page_and_give_up_with_the_status_after_four_tries()
    {
        var runId = await NewRunAsync();
        _faults.Fail("runs/get", times: 2, () => Html(HttpStatusCode.BadGateway));

        var reading = _store.GetRunAsync(runId, None);
        await FakeClock.AdvanceUntilDoneAsync(_time, reading);
        Assert.Equal(runId, (await reading).Info.RunId);

        _faults.Fail("runs/get", times: 10, () => Html(HttpStatusCode.BadGateway));
        var failing = _store.GetRunAsync(runId, None);
        await FakeClock.AdvanceUntilDoneAsync(_time, failing);
        var error = await Assert.ThrowsAsync<FerryException>(() => failing);

        Assert.Equal("INTERNAL_ERROR", error.Code);
        Assert.Contains($"the Ferry server at {_server.Url} answered GET /api/2.0/mlflow/runs/get with HTTP 502", error.Message, StringComparison.Ordinal);
        Assert.Contains("tried 4 times", error.Message, StringComparison.Ordinal);
        // NewRunAsync's read, then 2 refused + 1 answered, then 4 refused.
        Assert.Equal(1 + 3 + 4, _faults.Sent("runs/get"));
    }

    [Fact]
    public async Task A_server_that_is_not_mlflow_is_named_as_such()
    {
        _faults.Fail("experiments/get-by-name", times: 1, () => Html(HttpStatusCode.NotFound));

        var error = await Assert.ThrowsAsync<FerryException>(() => _store.GetExperimentByNameAsync("churn", None));

        Assert.Equal(("ENDPOINT_NOT_FOUND", ErrorKind.NotFound), (error.Code, error.Kind));
        Assert.Contains("is the URL a Ferry or MLflow tracking server?", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> NewRunAsync()
    {
        var runId = (await _store.CreateRunAsync(new CreateRunRequest("0"), None)).Info.RunId;
        await _store.GetRunAsync(runId, None);
        return runId;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string code) => new(status)
    {
        Content = new StringContent($"{{\"error_code\":\"{code}\",\"message\":\"busy, try later\"}}", Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Html(HttpStatusCode status) => new(status)
    {
        Content = new StringContent("<html><body><h1>Bad things</h1></body></html>", Encoding.UTF8, "text/html"),
    };

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _http.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Counts requests per API path and answers the next few to a path itself; the rest go to the real server.</summary>
    private sealed class FaultyHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly ConcurrentDictionary<string, int> _sent = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (int Left, Func<HttpResponseMessage> Answer)> _faults = new(StringComparer.Ordinal);

        public void Fail(string path, int times, Func<HttpResponseMessage> answer) => _faults[path] = (times, answer);

        public int Sent(string path) => _sent.GetValueOrDefault(path);

        public async Task WaitForAsync(string path, int count)
        {
            for (var i = 0; i < 500 && Sent(path) < count; i++)
            {
                await Task.Delay(10);
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath.Replace("/api/2.0/mlflow/", "", StringComparison.Ordinal);
            _sent.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (_faults.TryGetValue(path, out var fault) && fault.Left > 0)
            {
                _faults[path] = (fault.Left - 1, fault.Answer);
                var answer = fault.Answer();
                answer.RequestMessage = request;
                return Task.FromResult(answer);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
