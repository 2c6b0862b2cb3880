namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Keeps artifacts as files under one root folder. Writes go to a hidden temporary file in the target
/// folder and are moved into place, so no reader sees half an artifact. Symbolic links anywhere below
/// the root are refused, so a linked folder inside the root cannot lead outside it.
/// </summary>
/// <remarks>
/// The link check runs before each operation; a link created between the check and the file access
/// (by another process with write access to the root) is not caught. The root itself may be a link.
/// </remarks>
public sealed class LocalArtifactStore : IArtifactStore
{
    /// <summary>Temporary upload files start with this, and listings hide them.</summary>
    internal const string TempPrefix = ".ferry-upload-";

    private const int BufferSize = 81_920;

    /// <summary>Creates a store over <paramref name="rootFolder"/>; the folder is created on the first upload.</summary>
    /// <param name="rootFolder">The folder that holds the artifacts; relative paths are taken from the current directory.</param>
    public LocalArtifactStore(string rootFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootFolder);
        Root = Path.GetFullPath(rootFolder);
    }

    /// <summary>The absolute root folder.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public async Task UploadAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var relative = ArtifactPath.Normalize(path);
        var target = Resolve(relative);
        var folder = Path.GetDirectoryName(target)!;
        CreateFolders(relative);
        if (Directory.Exists(target))
        {
            throw FerryException.Invalid("INVALID_PARAMETER_VALUE", $"artifact path '{relative}' is a folder; upload files into it instead");
        }

        var temp = Path.Combine(folder, $"{TempPrefix}{Guid.NewGuid():N}.partial");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = BufferSize,
            };
            var output = new FileStream(temp, options);
            await using (output.ConfigureAwait(false))
            {
                await content.CopyToAsync(output, BufferSize, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path);
        cancellationToken.ThrowIfCancellationRequested();
        var file = Resolve(relative);
        if (!File.Exists(file))
        {
            throw NotFound(relative);
        }

        try
        {
            Stream stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult(stream);
        }
        catch (FileNotFoundException)
        {
            // Deleted between the check and the open.
            throw NotFound(relative);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? folder, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(folder, isFolder: true);
        cancellationToken.ThrowIfCancellationRequested();
        var directory = new DirectoryInfo(Resolve(relative));
        var entries = new List<ArtifactEntry>();
        if (directory.Exists)
        {
            foreach (var info in directory.EnumerateFileSystemInfos())
            {
                // Links are never followed, and a half-written upload is not an artifact yet.
                if (info.LinkTarget is not null || info.Name.StartsWith(TempPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var child = ArtifactPath.Combine(relative, info.Name);
                entries.Add(info is FileInfo file ? new ArtifactEntry(child, false, file.Length) : new ArtifactEntry(child, true, null));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return Task.FromResult<IReadOnlyList<ArtifactEntry>>(entries);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path, isFolder: true);
        if (relative.Length == 0)
        {
            throw FerryException.Invalid("INVALID_PARAMETER_VALUE", "artifact path '' names the artifact root, which cannot be deleted; give a file or folder inside it");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var target = Resolve(relative);
        if (Directory.Exists(target))
        {
            // Recursive delete removes links inside the folder without following them.
            Directory.Delete(target, recursive: true);
        }
        else if (File.Exists(target))
        {
            File.Delete(target);
        }

        return Task.CompletedTask;
    }

    /// <summary>Maps a normalised path to a file-system path, refusing any link on the way.</summary>
    private string Resolve(string relative)
    {
        var current = Root;
        if (relative.Length == 0)
        {
            return current;
        }

        foreach (var segment in relative.Split('/'))
        {
            current = Path.Combine(current, segment);
            var info = new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                throw FerryException.Invalid(
                    "INVALID_PARAMETER_VALUE",
                    $"artifact path '{relative}' goes through the symbolic link '{Path.GetRelativePath(Root, current).Replace('\\', '/')}'; links are refused so artifacts stay inside the run's artifact folder");
            }

            if (!info.Exists && !Directory.Exists(current))
            {
                // Nothing below a missing segment can be a link.
                return Path.Combine(Root, relative);
            }
        }

        return current;
    }

    private void CreateFolders(string relative)
    {
        var current = Root;
        Directory.CreateDirectory(current);
        var segments = relative.Split('/');
        for (var i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (File.Exists(current))
            {
                throw FerryException.Invalid(
                    "INVALID_PARAMETER_VALUE",
                    $"artifact path '{relative}' needs the folder '{string.Join('/', segments[..(i + 1)])}', but a file has that name");
            }

            Directory.CreateDirectory(current);
        }
    }

    private static FerryException NotFound(string relative) =>
        FerryException.NotFound("RESOURCE_DOES_NOT_EXIST", $"artifact '{relative}' does not exist");

    /// <summary>Nothing to release; the store holds no open handles.</summary>
    public void Dispose()
    {
    }
}
