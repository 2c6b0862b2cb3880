namespace Ferry.Tracking.Artifacts;

/// <summary>Opens the artifact store a location names, chosen by its URI scheme (as MLflow's artifact repository registry does).</summary>
public static class ArtifactStoreFactory
{
    /// <summary>The schemes <see cref="Open"/> understands, for error messages and help text.</summary>
    public static IReadOnlyList<string> KnownSchemes { get; } = ["file", "s3"];

    /// <summary>
    /// Opens the store at <paramref name="uri"/>: <c>file:///abs/folder</c> or a plain folder path gives a
    /// <see cref="LocalArtifactStore"/>, <c>s3://bucket/prefix</c> an <see cref="S3ArtifactStore"/>.
    /// </summary>
    /// <param name="uri">The artifact location.</param>
    /// <param name="s3Options">How to reach S3 for <c>s3://</c> locations; ignored otherwise.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="FerryException">Kind <see cref="ErrorKind.Usage"/>, code <c>ARTIFACT_URI_INVALID</c>, for an empty location, an unknown scheme (the message lists the known ones) or a malformed URI.</exception>
    public static IArtifactStore Open(string uri, S3ArtifactStoreOptions? s3Options = null)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", "the artifact location is empty; give a folder path, file:///abs/folder or s3://bucket/prefix");
        }

        var scheme = SchemeOf(uri);
        switch (scheme)
        {
            case null:
                return new LocalArtifactStore(uri);
            case "file":
                return new LocalArtifactStore(LocalPath(uri));
            case "s3":
                return new S3ArtifactStore(uri, s3Options);
            default:
                throw FerryException.Usage(
                    "ARTIFACT_URI_INVALID",
                    $"artifact location '{uri}' uses the unknown scheme '{scheme}'; known schemes: {string.Join(", ", KnownSchemes)} (or a plain folder path)");
        }
    }

    /// <summary>The lower-case scheme, or <see langword="null"/> for a plain path (including a Windows drive such as <c>C:\x</c>).</summary>
    private static string? SchemeOf(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2)
        {
            return null;
        }

        var candidate = uri[..colon];
        var valid = char.IsAsciiLetter(candidate[0]) && candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.');
        return valid ? candidate.ToLowerInvariant() : null;
    }

    private static string LocalPath(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile || !string.IsNullOrEmpty(parsed.Host) && !parsed.IsLoopback)
        {
            throw FerryException.Usage("ARTIFACT_URI_INVALID", $"artifact location '{uri}' is not a local file URI; write file:///absolute/folder");
        }

        // .NET reads file://localhost/x as a UNC share; localhost means this machine, so use the path alone.
        return string.IsNullOrEmpty(parsed.Host) ? parsed.LocalPath : Uri.UnescapeDataString(parsed.AbsolutePath);
    }
}
