using System.CommandLine;
using Ferry.Hosting;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry server</c>: serves MLflow's tracking REST API over the tracking store until Ctrl+C.</summary>
internal static class ServerCommand
{
    public static Command Create(CliApp app, CliContext context)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on", DefaultValueFactory = _ => TrackingServerOptions.DefaultPort };
        var command = new Command("server", "Serve the MLflow-compatible tracking API (MLflow clients work against it unchanged)") { host, port };
        app.AddExamples(
            command,
            "ferry server",
            "ferry server --host 0.0.0.0 --port 8080",
            "ferry server --store postgresql://ferry:secret@localhost:5432/ferry",
            "ferry server --artifacts s3://ml-artifacts/ferry",
            "MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py");
        command.SetAction(async (parse, ct) =>
        {
            var home = context.Home(parse);
            var storeUri = context.StoreUri(parse);
            var options = new TrackingServerOptions
            {
                StoreUri = storeUri,
                Home = home,
                ArtifactStoreUri = context.ArtifactsUri(parse),
                S3 = context.S3Options(),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                Time = context.Time,
            };

            await using var server = TrackingServer.Build(options);
            await server.StartAsync(ct);
            context.Console.Out.MarkupLine(
                $"Ferry tracking server listening on [bold]{Markup.Escape(string.Join(", ", server.Urls))}[/] (store: {Markup.Escape(Redact(storeUri))}, artifacts: {Markup.Escape(options.ResolveArtifactStoreUri())}). Press Ctrl+C to stop.");
            // Scripts and supervisors wait for this line to know the server is up.
            await context.Console.RawOut.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C is how a server is meant to stop: finish in-flight requests, close the store, exit 0.
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await server.StopAsync(grace.Token);
            context.Console.Out.MarkupLine("Ferry tracking server stopped.");
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>Hides a password in a store URI before it is printed.</summary>
    private static string Redact(string uri)
    {
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        if (schemeEnd < 0 || at < schemeEnd)
        {
            return uri;
        }

        var colon = uri.IndexOf(':', schemeEnd + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
