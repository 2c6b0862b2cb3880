namespace Ferry.Tracking.Artifacts;

/// <summary>One listed artifact, in MLflow's <c>FileInfo</c> shape.</summary>
/// <param name="Path">The path relative to the store root, with <c>/</c> separators and no trailing slash.</param>
/// <param name="IsDirectory">Whether this is a folder.</param>
/// <param name="Size">The file's size in bytes; <see langword="null"/> for folders.</param>
public sealed record ArtifactEntry(string Path, bool IsDirectory, long? Size);
