using System.Net;

namespace Ferry.Hosting.Tests;

/// <summary>
/// The proxied multipart upload endpoints answer as MLflow's server does over a local artifact folder: 501 NOT_IMPLEMENTED
/// with the message MLflow's client recognises to fall back to one PUT (never a 404 or 5xx it would retry).
/// </summary>
public sealed class MultipartUploadEndpointTests
{
    private const string Mpu = "/api/2.0/mlflow-artifacts/mpu";

    [Theory]
    [InlineData("create", """{"path": "big.bin", "num_parts": 3}""")]
    [InlineData("complete", """{"path": "big.bin", "upload_id": "u", "parts": [{"part_number": 1, "etag": "e"}]}""")]
    [InlineData("abort", """{"path": "big.bin", "upload_id": "u"}""")]
    public async Task Multipart_upload_is_501_with_the_message_the_client_falls_back_on(string action, string body)
    {
        await using var server = await ServerFixture.StartAsync();

        var reply = await server.SendAsync(HttpMethod.Post, $"{Mpu}/{action}/1/run/artifacts/big.bin", body);

        var message = reply.Error(HttpStatusCode.NotImplemented, "NOT_IMPLEMENTED");
        Assert.StartsWith("Multipart upload is not supported for the current artifact repository", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_multipart_requests_are_400_as_in_mlflow()
    {
        await using var server = await ServerFixture.StartAsync();

        Assert.Contains("'path'", (await server.SendAsync(HttpMethod.Post, $"{Mpu}/create/1/a.bin", """{"num_parts": 1}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        Assert.Contains("'parts'", (await server.SendAsync(HttpMethod.Post, $"{Mpu}/complete/1/a.bin", """{"path": "a.bin"}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
        (await server.SendAsync(HttpMethod.Post, $"{Mpu}/create/%2Fetc%2Fpasswd", """{"path": "passwd"}""")).Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}
