using Ferry.Tracking.Artifacts;

namespace Ferry.Hosting;

/// <summary>How <see cref="TrackingServer"/> listens and which store it serves.</summary>
public sealed record TrackingServerOptions
{
    /// <summary>The default port, MLflow's.</summary>
    public const int DefaultPort = 5000;

    /// <summary>The default size limit of a request body: 16 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 16L * 1024 * 1024;

    /// <summary>The tracking store URI (see <c>StoreFactory</c>); null for the SQLite file <c>ferry.db</c> in <see cref="Home"/>.</summary>
    public string? StoreUri { get; init; }

    /// <summary>The Ferry home whose <c>ferry.db</c> is the default store; null for <c>./.ferry</c>.</summary>
    public FerryHome? Home { get; init; }

    /// <summary>The address to listen on (default 127.0.0.1, local only; 0.0.0.0 for every interface).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port to listen on; 0 picks a free one (read it back from the application's URLs once started).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// Where new experiments keep their artifacts; experiment N gets <c>{ArtifactRoot}/N</c>. The default,
    /// <c>mlflow-artifacts:/</c>, makes MLflow clients upload through this server's artifact proxy, as MLflow's own server does.
    /// </summary>
    public string ArtifactRoot { get; init; } = "mlflow-artifacts:/";

    /// <summary>
    /// Where the artifact proxy (<c>/api/2.0/mlflow-artifacts/artifacts/…</c>) actually stores files: a folder path,
    /// <c>file:///abs/folder</c> or <c>s3://bucket/prefix</c>; null for the <c>artifacts</c> folder of <see cref="Home"/>.
    /// </summary>
    public string? ArtifactStoreUri { get; init; }

    /// <summary>How to reach S3 when <see cref="ArtifactStoreUri"/> is an <c>s3://</c> URI; null for Amazon S3 with the SDK's credential chain.</summary>
    public S3ArtifactStoreOptions? S3 { get; init; }

    /// <summary>The largest request body accepted; a larger one is answered 400 INVALID_PARAMETER_VALUE.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>The clock the store stamps times with.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Model serving in the same process (null: none): what to serve and how.</summary>
    public Serving.ServingOptions? Serving { get; init; }

    /// <summary>Whether log lines are written as JSON objects (for log collectors) instead of single lines of text.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Whether the tracking API, registry and artifact proxy are served (false for an inference-only <c>ferry serve</c>).</summary>
    public bool Tracking { get; init; } = true;

    /// <summary>The artifact store location actually used: <see cref="ArtifactStoreUri"/>, else the home's <c>artifacts</c> folder.</summary>
    public string ResolveArtifactStoreUri() =>
        !string.IsNullOrWhiteSpace(ArtifactStoreUri) ? ArtifactStoreUri : Path.Combine((Home ?? FerryHome.Resolve(null, null)).Root, "artifacts");

    /// <summary>The store URI actually used: <see cref="StoreUri"/>, else the home's <c>ferry.db</c>.</summary>
    public string ResolveStoreUri() =>
        !string.IsNullOrWhiteSpace(StoreUri) ? StoreUri : (Home ?? FerryHome.Resolve(null, null)).StorePath;
}
