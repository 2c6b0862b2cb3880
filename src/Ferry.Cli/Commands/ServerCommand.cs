using System.CommandLine;
using Ferry.Hosting;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry server</c>: MLflow's tracking REST API over the tracking store and the model server, in one process, until
/// Ctrl+C; <c>ferry serve</c>: the model server alone (stateless: it reads the registry and the artifact store).
/// </summary>
internal static class ServerCommand
{
    /// <summary>The port <c>ferry serve</c> listens on by default.</summary>
    public const int ServePort = 8080;

    public static Command Create(CliApp app, CliContext context)
    {
        var command = Build(app, context, "server", "Serve the MLflow-compatible tracking API, the registry and every registered model (MLflow clients work against it unchanged)",
            TrackingServerOptions.DefaultPort, tracking: true);
        app.AddExamples(
            command,
            "ferry server",
            "ferry server --host 0.0.0.0 --port 8080",
            "ferry server --store postgresql://ferry:secret@localhost:5432/ferry",
            "ferry server --artifacts s3://ml-artifacts/ferry",
            "ferry server --no-serving",
            "MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python train.py");
        return command;
    }

    public static Command CreateServe(CliApp app, CliContext context)
    {
        var command = Build(app, context, "serve", "Serve models only (Open Inference Protocol v2, TF Serving-style :predict, MLflow /invocations): each registered model at its champion alias, or its latest version", ServePort, tracking: false);
        app.AddExamples(
            command,
            "ferry serve",
            "ferry serve --model penguins --port 9000",
            "ferry serve --models ./models --no-batching",
            "ferry serve --store postgresql://ferry:secret@db/ferry --artifacts s3://ml/ferry --host 0.0.0.0 --api-key $KEY",
            "curl -s localhost:8080/v2/models/penguins/infer -d '{\"inputs\":[...]}'");
        return command;
    }

    private static Command Build(CliApp app, CliContext context, string name, string description, int defaultPort, bool tracking)
    {
        var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on", DefaultValueFactory = _ => defaultPort };
        var noServing = new Option<bool>("--no-serving") { Description = "Serve tracking and the registry only, no models" };
        var jsonLogs = new Option<bool>("--log-json") { Description = "Write log lines as JSON objects (model loads and unloads, failures) for a log collector" };
        var serving = new ServingCliOptions();
        var command = new Command(name, description) { host, port, jsonLogs };
        if (tracking)
        {
            command.Options.Add(noServing);
        }

        serving.AddTo(command);
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
                Tracking = tracking,
                JsonLogs = parse.GetValue(jsonLogs),
                Serving = tracking && parse.GetValue(noServing) ? null : serving.Read(parse, context),
            };

            await using var server = TrackingServer.Build(options);
            await server.StartAsync(ct);
            var what = !tracking ? "model server" : options.Serving is null ? "tracking server" : "server (tracking and models)";
            var models = options.Serving is null ? "" : $", models: {Markup.Escape(options.Serving.ModelsFolder ?? "the registry")}";
            context.Console.Out.MarkupLine(
                $"Ferry {what} listening on [bold]{Markup.Escape(string.Join(", ", server.Urls))}[/] (store: {Markup.Escape(Redact(storeUri))}, artifacts: {Markup.Escape(options.ResolveArtifactStoreUri())}{models}). Press Ctrl+C to stop.");
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
            context.Console.Out.MarkupLine($"Ferry {what} stopped.");
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
