namespace Ferry;

/// <summary>
/// Writes a folder so that readers see all of it or none of it: work happens in a hidden sibling
/// folder that is renamed into place only when the writer succeeds, and deleted otherwise
/// (including on cancellation).
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Runs <paramref name="write"/> against a staging folder, then moves it to <paramref name="target"/>.</summary>
    /// <param name="target">The final folder path; it must not exist yet.</param>
    /// <param name="write">Writes the content into the staging folder it is given.</param>
    /// <param name="cancellationToken">Cancels the write; the staging folder is removed.</param>
    public static async Task WriteAsync(string target, Func<string, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException("target has no parent folder", nameof(target));
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        try
        {
            await write(staging, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            Directory.Move(staging, full);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
