using System.Net;
using Ferry.Hosting.Wire;
using Ferry.Tracking.Artifacts;
using Microsoft.AspNetCore.Http;

namespace Ferry.Hosting.Endpoints;

/// <summary>
/// MLflow's proxied multipart upload (<c>POST /api/2.0/mlflow-artifacts/mpu/{create,complete,abort}/{path}</c>), which
/// clients try for files of 500 MB or more when <c>MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD</c> is set. Ferry's artifact
/// stores take any size through a streamed PUT, so, like MLflow's server over a local folder, Ferry answers 501
/// NOT_IMPLEMENTED with the message the client recognises ("Multipart upload is not supported…"); the client then uploads
/// the file with one PUT. 501 is not among the statuses the client retries, so it falls back at once.
/// </summary>
internal static class MultipartUploadHandlers
{
    /// <summary>Where the endpoints live.</summary>
    public const string Prefix = "/api/2.0/mlflow-artifacts/mpu";

    /// <summary>The three actions, each followed by the artifact path.</summary>
    public static readonly IReadOnlyList<string> Actions = ["create", "complete", "abort"];

    /// <summary>MLflow's <c>_UnsupportedMultipartUploadException.MESSAGE</c>: the client falls back to PUT only when the message starts with it.</summary>
    public const string UnsupportedMessage = "Multipart upload is not supported for the current artifact repository";

    /// <summary>Checks the request as MLflow does (a safe path, then the required fields), then answers 501.</summary>
    public static async Task HandleAsync(HttpContext context, string action, string? path, long maxBodyBytes)
    {
        ArtifactPath.Normalize(ArtifactHandlers.PathOf(context, $"{Prefix}/{action}", path));
        var message = await WireBody.ReadAsync(context.Request, maxBodyBytes, context.RequestAborted);
        message.RequiredString("path");
        if (action == "complete" && !message.Has("parts"))
        {
            throw WireErrors.Invalid("Missing value for required parameter 'parts'.");
        }

        await ErrorHandling.WriteAsync(context, HttpStatusCode.NotImplemented, new ErrorResponse("NOT_IMPLEMENTED", UnsupportedMessage));
    }
}
