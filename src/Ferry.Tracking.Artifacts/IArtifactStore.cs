namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Where a run's artifacts (files and folders) live: a local folder or S3-compatible object storage.
/// Paths are relative to the store's root, use <c>/</c> between segments and are checked by
/// <see cref="ArtifactPath.Normalize"/>. Whole-tree upload and download are written once, on top of
/// these four operations, in <see cref="ArtifactStoreExtensions"/>.
/// </summary>
/// <remarks>Disposable because the S3 store owns an HTTP client; disposing the local store does nothing.</remarks>
public interface IArtifactStore : IDisposable
{
    /// <summary>
    /// Writes <paramref name="content"/> to the file at <paramref name="path"/>, replacing any file there.
    /// The content is streamed; readers see the old file or the whole new one, never a part.
    /// </summary>
    /// <param name="path">The artifact's path relative to the store root, for example <c>model/weights.bin</c>.</param>
    /// <param name="content">The bytes to store, read once from its current position to its end.</param>
    /// <param name="cancellationToken">Cancels the upload; nothing is left behind.</param>
    /// <exception cref="FerryException">Code <c>INVALID_PARAMETER_VALUE</c> for a path that is malformed or leaves the root.</exception>
    Task UploadAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens the file at <paramref name="path"/> for a streaming read; the caller disposes the stream.</summary>
    /// <param name="path">The artifact's path relative to the store root.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="FerryException">Code <c>RESOURCE_DOES_NOT_EXIST</c> when no file is there (a folder is not a file).</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the direct children of <paramref name="folder"/>, sorted by path: files with their size and
    /// folders. A missing folder (or a file) lists as empty, as in MLflow.
    /// </summary>
    /// <param name="folder">The folder relative to the store root; <see langword="null"/> or empty for the root.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? folder, CancellationToken cancellationToken);

    /// <summary>Deletes the file or the whole folder at <paramref name="path"/>; deleting nothing is not an error.</summary>
    /// <param name="path">The file or folder relative to the store root; the root itself cannot be deleted this way.</param>
    /// <param name="cancellationToken">Cancels the deletion, which may then be partial for a folder.</param>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
