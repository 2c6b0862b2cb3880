namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Opens the store behind a run's or logged model's artifact location. Locations handed out by the tracking
/// server are <c>mlflow-artifacts:/…</c> (MLflow clients upload them through the server's proxy); in-process
/// they resolve under the store the server proxies to. Any other location is opened as it is.
/// </summary>
public static class ArtifactLocations
{
    /// <summary>The scheme of locations served through the tracking server's artifact proxy.</summary>
    public const string ProxyScheme = "mlflow-artifacts:";

    /// <summary>Opens <paramref name="location"/>, resolving proxy locations under <paramref name="proxiedRootUri"/>.</summary>
    /// <param name="location">A run's artifact URI, for example <c>mlflow-artifacts:/0/&lt;run&gt;/artifacts</c> or a folder path.</param>
    /// <param name="proxiedRootUri">Where the proxy keeps artifacts: a folder, <c>file://</c> or <c>s3://</c> URI.</param>
    /// <param name="s3Options">How to reach S3 when the location or the proxied root is an <c>s3://</c> URI.</param>
    public static IArtifactStore Open(string location, string proxiedRootUri, S3ArtifactStoreOptions? s3Options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        ArgumentException.ThrowIfNullOrEmpty(proxiedRootUri);
        if (!location.StartsWith(ProxyScheme, StringComparison.Ordinal))
        {
            return ArtifactStoreFactory.Open(location, s3Options);
        }

        var relative = ArtifactPath.Normalize(location[ProxyScheme.Length..].TrimStart('/'), isFolder: true);
        return ArtifactStoreFactory.Open(relative.Length == 0 ? proxiedRootUri : $"{proxiedRootUri.TrimEnd('/')}/{relative.TrimEnd('/')}", s3Options);
    }
}
