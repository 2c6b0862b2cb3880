using System.Text;

namespace Ferry.Data.Images;

/// <summary>An image file found under a class folder.</summary>
/// <param name="RelativePath">Path relative to the root, '/' separators, Unicode NFC (so a folder copied from macOS names the same files).</param>
/// <param name="Label">The class folder's name, NFC.</param>
/// <param name="FullPath">The absolute path on this machine.</param>
/// <param name="Length">The file size in bytes.</param>
internal sealed record ImageFile(string RelativePath, string Label, string FullPath, long Length);

/// <summary>
/// Finds the images of a folder laid out <c>root/&lt;label&gt;/…/*.png|jpg|jpeg</c>: one subfolder per class, images
/// anywhere below it (as torchvision's ImageFolder does). Hidden files and folders are skipped; files directly in the
/// root and files with other extensions are counted so the user can be told. The loader and the hasher share this
/// so they always agree on which files make up the dataset.
/// </summary>
internal sealed class ImageFolderScan
{
    /// <summary>The expected layout, for error messages.</summary>
    internal const string Layout = "root/<label>/*.png (or .jpg, .jpeg), for example root/cat/001.png and root/dog/001.jpg";

    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    private ImageFolderScan(IReadOnlyList<ImageFile> files, int outside, IReadOnlyDictionary<string, int> otherExtensions, IReadOnlyList<string> emptyClasses)
    {
        Files = files;
        IgnoredOutsideClassFolders = outside;
        IgnoredByExtension = otherExtensions;
        EmptyClassFolders = emptyClasses;
    }

    /// <summary>The image files, sorted ordinally by label, then relative path.</summary>
    public IReadOnlyList<ImageFile> Files { get; }

    /// <summary>Files directly in the root, which belong to no class.</summary>
    public int IgnoredOutsideClassFolders { get; }

    /// <summary>Files in class folders with other extensions, by lower-case extension.</summary>
    public IReadOnlyDictionary<string, int> IgnoredByExtension { get; }

    /// <summary>Class folders that hold no image.</summary>
    public IReadOnlyList<string> EmptyClassFolders { get; }

    /// <summary>What the user should know about files that were not used.</summary>
    public IEnumerable<string> Notes()
    {
        if (IgnoredOutsideClassFolders > 0)
        {
            yield return $"{IgnoredOutsideClassFolders} file(s) directly in the root folder were ignored; images must be inside a class folder (root/<label>/image.png).";
        }

        if (IgnoredByExtension.Count > 0)
        {
            var total = IgnoredByExtension.Values.Sum();
            var kinds = string.Join(", ", IgnoredByExtension.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(5)
                .Select(p => $"{(p.Key.Length == 0 ? "no extension" : p.Key)} x{p.Value}"));
            yield return $"{total} file(s) that are not .png, .jpg or .jpeg were ignored ({kinds}).";
        }

        if (EmptyClassFolders.Count > 0)
        {
            yield return $"class folder(s) with no images were ignored: {string.Join(", ", EmptyClassFolders.Select(c => $"'{c}'"))}.";
        }
    }

    /// <summary>Scans <paramref name="root"/> for training: images must be in class folders.</summary>
    /// <exception cref="FerryException"><c>FILE_NOT_FOUND</c> when the folder is missing; <c>IMAGE_FOLDER_EMPTY</c> when it has no class folder or no image.</exception>
    public static ImageFolderScan Scan(string root, CancellationToken cancellationToken) => Scan(root, rootFilesUnlabelled: false, cancellationToken);

    /// <summary>
    /// Scans <paramref name="root"/>. With <paramref name="rootFilesUnlabelled"/> (prediction), images directly in the
    /// root are taken too, with an empty label, so a flat folder of images works as well as class folders.
    /// </summary>
    /// <exception cref="FerryException"><c>FILE_NOT_FOUND</c> when the folder is missing; <c>IMAGE_FOLDER_EMPTY</c> when it has no image where images are looked for.</exception>
    public static ImageFolderScan Scan(string root, bool rootFilesUnlabelled, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw File.Exists(full)
                ? FerryException.Invalid("IMAGE_FOLDER_EMPTY", $"'{root}' is a file; give the folder that holds one subfolder per class ({Layout}).", new SourceLocation(root))
                : FerryException.NotFound("FILE_NOT_FOUND", $"no folder at '{root}'; check the path.");
        }

        var files = new List<ImageFile>();
        var otherExtensions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var emptyClasses = new List<string>();
        var rootInfo = new DirectoryInfo(full);
        var outside = 0;
        if (rootFilesUnlabelled)
        {
            AddFiles(full, rootInfo, "", files, otherExtensions);
        }
        else
        {
            outside = rootInfo.EnumerateFiles().Count(f => !IsHidden(f));
        }

        var classFolders = rootInfo.EnumerateDirectories().Where(d => !IsHidden(d)).ToList();
        if (classFolders.Count == 0 && !rootFilesUnlabelled)
        {
            throw FerryException.Invalid(
                "IMAGE_FOLDER_EMPTY",
                $"'{root}' has no class subfolders. Expected one subfolder per class named by its label, with the images inside: {Layout}.",
                new SourceLocation(root));
        }

        foreach (var classFolder in classFolders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var label = classFolder.Name.Normalize(NormalizationForm.FormC);
            var before = files.Count;
            Collect(full, classFolder, label, files, otherExtensions, cancellationToken);
            if (files.Count == before)
            {
                emptyClasses.Add(label);
            }
        }

        if (files.Count == 0)
        {
            throw FerryException.Invalid(
                "IMAGE_FOLDER_EMPTY",
                rootFilesUnlabelled
                    ? $"'{root}' holds no .png, .jpg or .jpeg images, neither directly nor in subfolders."
                    : $"'{root}' has class folders but no .png, .jpg or .jpeg images in them. Expected layout: {Layout}.",
                new SourceLocation(root));
        }

        files.Sort((a, b) =>
        {
            var byLabel = string.CompareOrdinal(a.Label, b.Label);
            return byLabel != 0 ? byLabel : string.CompareOrdinal(a.RelativePath, b.RelativePath);
        });
        emptyClasses.Sort(StringComparer.Ordinal);
        return new ImageFolderScan(files, outside, otherExtensions, emptyClasses);
    }

    private static void Collect(
        string root, DirectoryInfo folder, string label, List<ImageFile> files, SortedDictionary<string, int> otherExtensions, CancellationToken cancellationToken)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = pending.Pop();
            AddFiles(root, current, label, files, otherExtensions);

            foreach (var sub in current.EnumerateDirectories())
            {
                // Linked folders below a class folder are skipped: they can form loops and would count images twice.
                if (!IsHidden(sub) && sub.LinkTarget is null)
                {
                    pending.Push(sub);
                }
            }
        }
    }

    /// <summary>Adds the image files directly in <paramref name="folder"/>, counting the others by extension.</summary>
    private static void AddFiles(string root, DirectoryInfo folder, string label, List<ImageFile> files, SortedDictionary<string, int> otherExtensions)
    {
        foreach (var file in folder.EnumerateFiles())
        {
            if (IsHidden(file))
            {
                continue;
            }

            var extension = file.Extension.ToLowerInvariant();
            if (!Extensions.Contains(extension))
            {
                otherExtensions[extension] = otherExtensions.GetValueOrDefault(extension) + 1;
                continue;
            }

            var relative = Path.GetRelativePath(root, file.FullName).Replace(Path.DirectorySeparatorChar, '/').Normalize(NormalizationForm.FormC);
            files.Add(new ImageFile(relative, label, file.FullName, file.Length));
        }
    }

    // Enumeration already carries the attributes, so this costs no extra file system call.
    private static bool IsHidden(FileSystemInfo entry) =>
        entry.Name.StartsWith('.') || entry.Attributes.HasFlag(FileAttributes.Hidden);
}
