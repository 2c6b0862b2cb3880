using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ferry.Hosting.Tests;

public sealed class ErrorHandlingTests
{
    [Fact]
    public async Task Unexpected_exception_is_a_logged_500_with_a_request_id_and_no_internals()
    {
        var logger = new ListLogger();
        var context = new DefaultHttpContext { TraceIdentifier = "req-42" };
        context.Response.Body = new MemoryStream();
        await new ErrorHandling(logger).InvokeAsync(context, () => throw new InvalidOperationException("secret internals"));

        Assert.Equal(500, context.Response.StatusCode);
        var body = JsonNode.Parse(Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()))!;
        Assert.Equal("INTERNAL_ERROR", body["error_code"]!.GetValue<string>());
        Assert.Equal("req-42", body["request_id"]!.GetValue<string>());
        Assert.Contains("req-42", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body.ToJsonString(), StringComparison.Ordinal);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("req-42", entry.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, "RESOURCE_DOES_NOT_EXIST", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST")]
    [InlineData(ErrorKind.Conflict, "RESOURCE_ALREADY_EXISTS", HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS")]
    [InlineData(ErrorKind.InvalidInput, "INVALID_PARAMETER_VALUE", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE")]
    [InlineData(ErrorKind.Usage, "STORE_URI_INVALID", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE")]
    [InlineData(ErrorKind.NotFound, "SOMETHING_ELSE", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST")]
    public void Ferry_errors_map_to_MLflow_codes_and_4xx(ErrorKind kind, string code, HttpStatusCode status, string wireCode) =>
        Assert.Equal((status, wireCode), ErrorHandling.Map(new FerryException(kind, code, "m")));

    private sealed class ListLogger : ILogger<ErrorHandling>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
