namespace Ferry.Tracking.Artifacts;

/// <summary>
/// Whole-file and whole-tree transfers between a local disk and any <see cref="IArtifactStore"/>,
/// written once on top of its four operations (MLflow's <c>log_artifacts</c> and <c>download_artifacts</c>).
/// </summary>
public static class ArtifactStoreExtensions
{
    private const int BufferSize = 81_920;

    /// <summary>Uploads one local file as <c>destFolder/name</c>.</summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="localFile">The file to upload; a symbolic link is refused.</param>
    /// <param name="destFolder">The artifact folder to put it in; <see langword="null"/> for the root.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The artifact path written.</returns>
    /// <exception cref="FerryException">Code <c>RESOURCE_DOES_NOT_EXIST</c> for a missing file, <c>INVALID_PARAMETER_VALUE</c> for a link or a name no artifact path may have.</exception>
    public static async Task<string> UploadFileAsync(this IArtifactStore store, string localFile, string? destFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var info = new FileInfo(localFile);
        if (info.LinkTarget is not null)
        {
            throw LinkRefused([info.FullName]);
        }

        if (!info.Exists)
        {
            throw FerryException.NotFound("RESOURCE_DOES_NOT_EXIST", $"local file '{info.FullName}' does not exist");
        }

        var path = ArtifactPath.Combine(ArtifactPath.Normalize(destFolder, isFolder: true), ArtifactPath.Normalize(info.Name));
        await UploadOneAsync(store, info, path, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// Uploads every file under <paramref name="localDir"/> into <paramref name="destFolder"/>, keeping the tree.
    /// Symbolic links (to files or folders) are skipped, never followed; after everything else is uploaded,
    /// an error names the links that were skipped.
    /// </summary>
    /// <param name="store">The store to write to.</param>
    /// <param name="localDir">The folder whose contents to upload.</param>
    /// <param name="destFolder">The artifact folder to upload into; <see langword="null"/> for the root.</param>
    /// <param name="cancellationToken">Cancels the upload; files already uploaded stay.</param>
    /// <returns>The artifact paths written, sorted.</returns>
    /// <exception cref="FerryException">Code <c>INVALID_PARAMETER_VALUE</c> naming the skipped links, or a local name no artifact path may have; <c>RESOURCE_DOES_NOT_EXIST</c> for a missing folder.</exception>
    public static async Task<IReadOnlyList<string>> LogArtifactsAsync(this IArtifactStore store, string localDir, string? destFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var root = new DirectoryInfo(localDir);
        if (!root.Exists)
        {
            throw FerryException.NotFound("RESOURCE_DOES_NOT_EXIST", $"local folder '{root.FullName}' does not exist");
        }

        var files = new List<(FileInfo File, string Path)>();
        var links = new List<string>();
        Collect(root, ArtifactPath.Normalize(destFolder, isFolder: true), files, links);
        var written = new List<string>(files.Count);
        foreach (var (file, path) in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            await UploadOneAsync(store, file, path, cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        if (links.Count > 0)
        {
            throw LinkRefused(links);
        }

        return written;
    }

    /// <summary>
    /// Downloads the file or folder at <paramref name="path"/> into <paramref name="localDir"/>: a file
    /// lands as <c>localDir/name</c>, a folder as <c>localDir/name/…</c> with its whole tree, and the root
    /// (<see langword="null"/> or empty) as the contents of <paramref name="localDir"/>. Each file appears
    /// whole or not at all.
    /// </summary>
    /// <param name="store">The store to read from.</param>
    /// <param name="path">The artifact file or folder; <see langword="null"/> for everything.</param>
    /// <param name="localDir">The local folder to write into; created if missing.</param>
    /// <param name="cancellationToken">Cancels the download; files already written stay.</param>
    /// <returns>The local path of the downloaded file or folder.</returns>
    /// <exception cref="FerryException">Code <c>RESOURCE_DOES_NOT_EXIST</c> when nothing is at <paramref name="path"/>.</exception>
    public static async Task<string> DownloadAsync(this IArtifactStore store, string? path, string localDir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var relative = ArtifactPath.Normalize(path, isFolder: true);
        var localRoot = Path.GetFullPath(localDir);
        Directory.CreateDirectory(localRoot);
        if (relative.Length == 0)
        {
            await DownloadFolderAsync(store, "", localRoot, cancellationToken).ConfigureAwait(false);
            return localRoot;
        }

        var target = Path.Combine(localRoot, ArtifactPath.Name(relative));
        var children = await store.ListAsync(relative, cancellationToken).ConfigureAwait(false);
        if (children.Count > 0)
        {
            await DownloadFolderAsync(store, relative, target, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await DownloadFileAsync(store, relative, target, cancellationToken).ConfigureAwait(false);
        }

        return target;
    }

    private static void Collect(DirectoryInfo folder, string artifactFolder, List<(FileInfo, string)> files, List<string> links)
    {
        foreach (var info in folder.EnumerateFileSystemInfos())
        {
            if (info.LinkTarget is not null)
            {
                links.Add(info.FullName);
                continue;
            }

            var path = ArtifactPath.Combine(artifactFolder, ArtifactPath.Normalize(info.Name));
            switch (info)
            {
                case FileInfo file:
                    files.Add((file, path));
                    break;
                case DirectoryInfo child:
                    Collect(child, path, files, links);
                    break;
            }
        }
    }

    private static async Task UploadOneAsync(IArtifactStore store, FileInfo file, string path, CancellationToken cancellationToken)
    {
        var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            await store.UploadAsync(path, input, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task DownloadFolderAsync(IArtifactStore store, string folder, string localFolder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(localFolder);
        foreach (var entry in await store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            // Listed names come from storage another tool may have written; check them before they become local paths.
            var child = ArtifactPath.Normalize(entry.Path);
            var name = ArtifactPath.Name(child);
            if (child != ArtifactPath.Combine(folder, name))
            {
                throw FerryException.Invalid("INVALID_PARAMETER_VALUE", $"artifact store listed '{entry.Path}' under folder '{folder}'; refusing to download it");
            }

            var local = Path.Combine(localFolder, name);
            if (entry.IsDirectory)
            {
                await DownloadFolderAsync(store, child, local, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await DownloadFileAsync(store, child, local, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task DownloadFileAsync(IArtifactStore store, string path, string localFile, CancellationToken cancellationToken)
    {
        var input = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (input.ConfigureAwait(false))
        {
            var temp = Path.Combine(Path.GetDirectoryName(localFile)!, $".{Path.GetFileName(localFile)}.{Guid.NewGuid():N}.partial");
            try
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    await input.CopyToAsync(output, BufferSize, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temp, localFile, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }
    }

    private static FerryException LinkRefused(List<string> links) =>
        FerryException.Invalid(
            "INVALID_PARAMETER_VALUE",
            $"skipped {links.Count} symbolic link(s), which are never uploaded: {string.Join(", ", links.Select(l => $"'{l}'"))}; copy the target in instead");
}
