using System.Net;
using System.Text.Json;
using Ferry.Serving;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Serving;

/// <summary>
/// What every serving endpoint does around its own work: checks the API key, reads the body within the limit, applies
/// the request timeout, turns errors into a status and <c>{"error", "error_code", "request_id"}</c> (OIP's and TF
/// Serving's <c>error</c>, MLflow's <c>error_code</c>), adds Retry-After to 503s, and counts the request in the metrics.
/// </summary>
internal sealed class ServingCall(ServingHost host, ApiKeys keys)
{
    /// <summary>Runs <paramref name="work"/> for one request and writes its reply.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="scope">What the caller must be allowed to do.</param>
    /// <param name="protocol">The protocol label in the metrics (v2, v1, mlflow, feedback).</param>
    /// <param name="model">The model named in the path, for the metrics (null: none).</param>
    /// <param name="work">Reads the body (null for GET) and returns the status, the JSON reply and the version that answered.</param>
    public async Task RunAsync(HttpContext context, Scope scope, string protocol, string? model, Func<ReadOnlyMemory<byte>, CancellationToken, Task<Reply>> work)
    {
        var started = host.Time.GetTimestamp();
        int? version = null;
        int status;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(host.Options.Batching.RequestTimeout);
        try
        {
            if (keys.Check(context.Request, scope) is { } denied)
            {
                status = denied.Status;
                await WriteErrorAsync(context, status, denied.Status == StatusCodes.Status401Unauthorized ? "UNAUTHENTICATED" : "PERMISSION_DENIED", denied.Message);
                return;
            }

            var body = HttpMethods.IsGet(context.Request.Method) ? ReadOnlyMemory<byte>.Empty : await ReadBodyAsync(context.Request, timeout.Token);
            var reply = await work(body, timeout.Token);
            version = reply.Version;
            status = reply.Status;
            context.Response.StatusCode = status;
            context.Response.ContentType = reply.ContentType;
            context.Response.ContentLength = reply.Body.Length;
            await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted);
        }
        catch (FerryException e) when (!context.Response.HasStarted)
        {
            status = Status(e);
            await WriteErrorAsync(context, status, e.Code, e.Describe());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            await WriteErrorAsync(context, status, ServingErrors.Timeout,
                $"the request took longer than its {host.Options.Batching.RequestTimeout.TotalSeconds:0.###} s timeout; try again, or send fewer rows");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499; // nginx's "client closed request": nobody is left to answer.
        }
        finally
        {
            var elapsed = host.Time.GetElapsedTime(started);
            host.Metrics.RecordRequest(MetricsName(model), version, protocol, context.Response.StatusCode, elapsed.TotalSeconds);
            host.LogRequest(context.TraceIdentifier, context.Request.Method, context.Request.Path, version, context.Response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// The model label for the metrics: a served model's name, else one placeholder, so that requests naming made-up
    /// models cannot add series without bound.
    /// </summary>
    private string MetricsName(string? model) =>
        string.IsNullOrEmpty(model) ? "" : host.Manager.Targets.Any(t => t.Model == model) ? model : "(unknown)";

    /// <summary>The HTTP status for a Ferry error.</summary>
    public static int Status(FerryException e) => e.Kind switch
    {
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        _ when e.Code == BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    private const string BodyTooLarge = "BODY_TOO_LARGE";

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = host.Options.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        if (request.ContentLength is { } length)
        {
            // The usual case: one exact buffer, no copying.
            var exact = new byte[length];
            try
            {
                await request.Body.ReadExactlyAsync(exact, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw FerryException.Invalid("BODY_INCOMPLETE", $"the request body ended before its Content-Length of {length} bytes");
            }

            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static FerryException TooLarge(long limit) =>
        FerryException.Invalid(BodyTooLarge, $"the request body is larger than the server's limit of {limit} bytes; send fewer rows per request");

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.Headers[RequestIds.Header] = context.TraceIdentifier;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["error"] = message,
            ["error_code"] = code,
            ["request_id"] = context.TraceIdentifier,
        });
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}

/// <summary>A serving endpoint's reply.</summary>
/// <param name="Body">The UTF-8 body.</param>
/// <param name="Version">The version that answered, for the metrics (null when none did).</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The body's content type.</param>
internal sealed record Reply(ReadOnlyMemory<byte> Body, int? Version = null, int Status = (int)HttpStatusCode.OK, string ContentType = "application/json");
