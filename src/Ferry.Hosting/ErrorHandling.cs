using System.Net;
using System.Text.Json;
using Ferry.Hosting.Wire;
using Ferry.Tracking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Hosting;

/// <summary>
/// The one place exceptions become responses, in MLflow's shape <c>{"error_code", "message"}</c>. User errors are
/// 4xx (never 5xx: MLflow's client retries those for minutes); anything unexpected is a logged 500 INTERNAL_ERROR
/// with a request id to find it in the log.
/// </summary>
internal sealed partial class ErrorHandling(ILogger<ErrorHandling> logger)
{
    private static readonly HashSet<string> MlflowCodes = new(StringComparer.Ordinal)
    {
        TrackingErrors.ResourceDoesNotExist, TrackingErrors.ResourceAlreadyExists, TrackingErrors.InvalidParameterValue,
        "BAD_REQUEST", WireErrors.EndpointNotFound,
    };

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
            if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
            {
                await WriteAsync(context, HttpStatusCode.MethodNotAllowed, new ErrorResponse(
                    WireErrors.EndpointNotFound, $"{context.Request.Path} does not accept {context.Request.Method}"));
            }
        }
        catch (FerryException e) when (!context.Response.HasStarted)
        {
            var (status, code) = Map(e);
            await WriteAsync(context, status, new ErrorResponse(code, e.Describe()));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, HttpStatusCode.BadRequest, new ErrorResponse(TrackingErrors.InvalidParameterValue, $"the request could not be read: {e.Message}"));
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(logger, e, context.TraceIdentifier, context.Request.Method, context.Request.Path);
            await WriteAsync(context, HttpStatusCode.InternalServerError, new ErrorResponse(
                WireErrors.InternalError, $"an unexpected error occurred (request id {context.TraceIdentifier}); the server log has the details",
                context.TraceIdentifier));
        }
    }

    /// <summary>MLflow's HTTP status and error code for a Ferry error.</summary>
    internal static (HttpStatusCode Status, string Code) Map(FerryException e)
    {
        var status = e.Kind == ErrorKind.NotFound ? HttpStatusCode.NotFound : HttpStatusCode.BadRequest;
        var code = MlflowCodes.Contains(e.Code) ? e.Code
            : e.Kind == ErrorKind.NotFound ? TrackingErrors.ResourceDoesNotExist
            : TrackingErrors.InvalidParameterValue;
        return (status, code);
    }

    public static Task WriteAsync(HttpContext context, HttpStatusCode status, ErrorResponse error)
    {
        context.Response.Clear();
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(error, WireJson.Options), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} {Method} {Path} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string requestId, string method, string path);
}
