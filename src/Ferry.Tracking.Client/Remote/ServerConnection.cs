using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ferry.Tracking.Client.Remote;

/// <summary>
/// One tracking server: its base URL and the HTTP client that reaches it, with the retry policy and error mapping
/// every request shares. Thread-safe; the stores built on it (tracking and artifacts) share its connections.
/// </summary>
internal sealed class ServerConnection : IDisposable
{
    /// <summary>Where MLflow's tracking REST API lives under the server URL.</summary>
    public const string ApiPath = "api/2.0/mlflow/";

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public ServerConnection(HttpClient http, bool ownsHttp, Uri serverUrl, TimeProvider time, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _ownsHttp = ownsHttp;
        BaseUri = Normalize(serverUrl);
        Time = time;
        Retry = retry;
    }

    /// <summary>The server URL, ending with '/', so relative API paths resolve under any path prefix a proxy adds.</summary>
    public Uri BaseUri { get; }

    public TimeProvider Time { get; }

    public RetryPolicy Retry { get; }

    /// <summary>The server as error messages name it.</summary>
    public string Display => BaseUri.ToString();

    /// <summary>An HTTP client for a server of our own: no overall timeout (uploads may be long; API calls have their own).</summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(15),
        // New DNS answers are picked up by long-lived trackers.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A connection to another server (an artifact location naming its own host) over the same HTTP client, which it does not own.</summary>
    public ServerConnection For(Uri serverUrl) => new(_http, ownsHttp: false, serverUrl, Time, Retry);

    /// <summary>Checks a server URL and returns it ending with '/'.</summary>
    public static Uri Normalize(Uri serverUrl)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        if (!serverUrl.IsAbsoluteUri || serverUrl.Scheme is not ("http" or "https"))
        {
            throw ServerErrors.BadUrl(serverUrl.OriginalString, "is not an absolute http:// or https:// URL");
        }

        if (serverUrl.Query.Length > 0 || serverUrl.Fragment.Length > 0)
        {
            throw ServerErrors.BadUrl(serverUrl.OriginalString, "has a query or fragment");
        }

        return serverUrl.AbsolutePath.EndsWith('/') ? serverUrl : new Uri(serverUrl.AbsoluteUri + "/");
    }

    /// <summary>GETs an API path with its message in the query string, as MLflow's client does, and reads the JSON reply.</summary>
    public Task<TReply> GetAsync<TReply>(string path, IEnumerable<(string Key, string? Value)> query, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, ApiPath + path + QueryString(query));
        return SendAsync(() => new HttpRequestMessage(HttpMethod.Get, uri), RetryMode.Idempotent, (r, t) => ReadJsonAsync(r, reply, t), cancellationToken);
    }

    /// <summary>POSTs a JSON message to an API path and reads the JSON reply.</summary>
    public Task<TReply> PostAsync<TBody, TReply>(
        string path, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<TReply> reply, RetryMode mode, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri, ApiPath + path);
        // Serialized once, so every try sends the same bytes with a known length.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, bodyType);
        return SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(bytes) { Headers = { ContentType = Json } } },
            mode, (r, t) => ReadJsonAsync(r, reply, t), cancellationToken);
    }

    /// <summary>
    /// Sends a request, trying again under <paramref name="mode"/> with backoff on the injected clock, and hands a
    /// successful response to <paramref name="read"/> (which owns it from then on). Any other response becomes the
    /// <see cref="FerryException"/> it carries. With <paramref name="timed"/>, each try (reply included) is limited
    /// to <see cref="RetryPolicy.RequestTimeout"/>.
    /// </summary>
    public async Task<T> SendAsync<T>(
        Func<HttpRequestMessage> build, RetryMode mode, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken, bool timed = true)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = timed ? new CancellationTokenSource(Retry.RequestTimeout, Time) : new CancellationTokenSource();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            using var request = build();
            var name = $"{request.Method} {request.RequestUri?.AbsolutePath}";
            var last = attempt >= Retry.MaxAttempts;
            HttpResponseMessage? response = null;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    if (last || !RetryPolicy.MayRetry(mode, response.StatusCode))
                    {
                        throw await ServerErrors.FromResponseAsync(response, Display, attempt, linked.Token).ConfigureAwait(false);
                    }

                    await WaitAsync(attempt + 1, response, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var handed = response;
                response = null;
                return await ReadOrDisposeAsync(handed, read, linked.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (last || !RetryPolicy.MayRetry(mode, e))
                {
                    throw e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                        ? ServerErrors.CannotReach(Display, e, attempt)
                        : ServerErrors.BrokeOff(Display, name, e, attempt);
                }
            }
            catch (IOException e)
            {
                // The reply broke off while it was read.
                if (last || mode != RetryMode.Idempotent)
                {
                    throw ServerErrors.BrokeOff(Display, name, e, attempt);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                if (last || mode != RetryMode.Idempotent)
                {
                    throw ServerErrors.TimedOut(Display, name, Retry.RequestTimeout, attempt);
                }
            }
            finally
            {
                response?.Dispose();
            }

            await WaitAsync(attempt + 1, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T> ReadOrDisposeAsync<T>(HttpResponseMessage response, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read(response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private Task WaitAsync(int nextAttempt, HttpResponseMessage? refusal, CancellationToken cancellationToken) =>
        Task.Delay(Retry.DelayBefore(nextAttempt, refusal), Time, cancellationToken);

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                        ?? throw ServerErrors.BadReply($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered null");
                }
                catch (JsonException e)
                {
                    throw ServerErrors.BadReply($"{response.RequestMessage?.RequestUri?.AbsolutePath} did not answer MLflow's JSON ({e.Message})", e);
                }
            }
        }
    }

    /// <summary>A query string (with its '?') of the pairs whose value is not null, every value escaped.</summary>
    public static string QueryString(IEnumerable<(string Key, string? Value)> pairs)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(builder.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }

    /// <summary>A number as a query value.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
