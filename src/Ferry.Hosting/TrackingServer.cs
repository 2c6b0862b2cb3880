using System.Reflection;
using System.Text.Json;
using Ferry.Hosting.Endpoints;
using Ferry.Hosting.Serving;
using Ferry.Hosting.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Hosting;

/// <summary>
/// Ferry's server on Kestrel: MLflow's tracking REST API over a tracking store, and with
/// <see cref="TrackingServerOptions.Serving"/> the model server too (or only it, for <c>ferry serve</c>).
/// </summary>
public static class TrackingServer
{
    /// <summary>The version <c>/version</c> reports: Ferry's assembly version.</summary>
    public static string Version { get; } =
        typeof(TrackingServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Builds the server; nothing listens and no store is opened until the application is started
    /// (<c>StartAsync</c> or <c>RunAsync</c>), which fails if the store cannot be opened.
    /// </summary>
    /// <param name="options">Where to listen and which store to serve.</param>
    public static WebApplication Build(TrackingServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRequestBodyBytes < 1)
        {
            throw FerryException.Usage("SERVER_OPTION_INVALID", $"the request body limit is {options.MaxRequestBodyBytes} bytes; give a positive size");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(json => json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            builder.Logging.AddSimpleConsole(console => (console.SingleLine, console.TimestampFormat) = (true, "HH:mm:ss "));
        }

        // A host that cannot start (port in use, bad store) is reported by the caller in one line, not as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.WebHost.UseKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null); // WireBody enforces the limit with MLflow's error shape.
        builder.WebHost.UseUrls(ListenUrl(options.Host, options.Port));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TrackingStoreHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrackingStoreHost>());
        builder.Services.AddSingleton<ErrorHandling>();
        if (options.Serving is { } serving)
        {
            serving.Validate();
            builder.Logging.AddFilter(typeof(ServingHost).FullName, LogLevel.Information);
            builder.Services.AddSingleton<ServingHost>();
            builder.Services.AddHostedService(services => services.GetRequiredService<ServingHost>());
        }

        var app = builder.Build();
        var errors = app.Services.GetRequiredService<ErrorHandling>();
        app.Use((context, next) => options.Serving is null ? errors.InvokeAsync(context, () => next(context)) : RequestIds.InvokeAsync(context, () => errors.InvokeAsync(context, () => next(context))));
        if (options.Tracking)
        {
            MapTracking(app, options);
            ArtifactRoutes.Map(app, options);
        }

        if (options.Serving is not null)
        {
            ServingRoutes.Map(app);
        }

        app.MapGet("/health", () => Results.Text("OK", "text/plain"));
        app.MapGet("/version", () => Results.Text(Version, "text/plain"));
        app.Map("/api/{**rest}", (HttpContext context) => ErrorHandling.WriteAsync(context, System.Net.HttpStatusCode.NotFound, new ErrorResponse(
            WireErrors.EndpointNotFound, $"no API endpoint {context.Request.Method} {context.Request.Path}: Ferry serves MLflow's tracking REST API under /api/2.0/mlflow/")));
        return app;
    }

    private static void MapTracking(WebApplication app, TrackingServerOptions options)
    {
        var stores = app.Services.GetRequiredService<TrackingStoreHost>();
        foreach (var prefix in TrackingRoutes.Prefixes)
        {
            foreach (var route in TrackingRoutes.All)
            {
                app.MapMethods(prefix + route.Path, [route.Verb], async (HttpContext context) =>
                {
                    var cancellation = context.RequestAborted;
                    var message = await WireBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, cancellation);
                    var response = await route.Handler(new TrackingCall(message, stores.Store, cancellation));
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync(JsonSerializer.Serialize(response, response.GetType(), WireJson.Options), cancellation);
                });
            }
        }
    }

    private static string ListenUrl(string host, int port)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw FerryException.Usage("SERVER_OPTION_INVALID", "the host is empty; give an address such as 127.0.0.1 or 0.0.0.0");
        }

        if (port is < 0 or > 65535)
        {
            throw FerryException.Usage("SERVER_OPTION_INVALID", $"the port {port} is out of range; give 0 to 65535");
        }

        var address = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"http://{address}:{port}";
    }
}
