using System.Text;

namespace Ferry.Tracking.Artifacts;

/// <summary>
/// The one validator for artifact paths, used by every store, so a path means the same thing (and is
/// refused for the same reasons) in a local folder and in a bucket.
/// </summary>
/// <remarks>
/// A valid path is relative, uses <c>/</c> between non-empty segments, and has no <c>.</c> or <c>..</c>
/// segment, no control character, and no drive prefix. Backslashes are refused rather than turned into
/// <c>/</c>: on Linux and in S3 a backslash is an ordinary character, so normalising it would make
/// <c>a\b</c> mean one file on one store and a folder on another; refusing keeps both stores identical
/// and catches Windows paths such as <c>C:\x</c> and <c>\\server\share</c>. A single trailing slash is
/// accepted only where a folder is meant, and removed.
/// </remarks>
public static class ArtifactPath
{
    /// <summary>The longest path accepted, in UTF-8 bytes (S3's key limit, which must also hold the store's prefix).</summary>
    internal const int MaxPathBytes = 1024;

    /// <summary>The longest segment accepted, in UTF-8 bytes (the common file-system limit for one name).</summary>
    internal const int MaxSegmentBytes = 255;

    /// <summary>Checks an artifact path and returns it in canonical form.</summary>
    /// <param name="path">The path as the caller gave it, for example <c>model/weights.bin</c> or <c>plots/</c>.</param>
    /// <param name="isFolder">
    /// Whether a folder is meant: then one trailing slash is allowed (and removed), and an empty path or
    /// <see langword="null"/> means the root and returns <c>""</c>.
    /// </param>
    /// <returns>The path with no trailing slash; <c>""</c> only for the root folder.</returns>
    /// <exception cref="FerryException">Kind <see cref="ErrorKind.InvalidInput"/>, code <c>INVALID_PARAMETER_VALUE</c>, naming the path and the problem.</exception>
    public static string Normalize(string? path, bool isFolder = false)
    {
        if (string.IsNullOrEmpty(path))
        {
            return isFolder ? "" : throw Refuse(path ?? "", "is empty; give a file path such as 'model/weights.bin'");
        }

        foreach (var c in path)
        {
            if (char.IsControl(c))
            {
                throw Refuse(path, $"contains the control character U+{(int)c:X4}; artifact names must be printable");
            }
        }

        if (path[0] == '/' || path[0] == '\\' || HasDrivePrefix(path))
        {
            throw Escapes(path);
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw Refuse(path, "contains a backslash; separate folders with '/'");
        }

        var trimmed = path;
        if (path[^1] == '/')
        {
            if (!isFolder)
            {
                throw Refuse(path, "ends with '/', which only a folder may; remove the trailing slash");
            }

            trimmed = path[..^1];
        }

        CheckSegments(path, trimmed);
        if (Encoding.UTF8.GetByteCount(trimmed) > MaxPathBytes)
        {
            throw Refuse(path, $"is longer than {MaxPathBytes} bytes");
        }

        return trimmed;
    }

    /// <summary>Joins a folder (possibly the root, <c>""</c>) and a relative path that are both already normalised.</summary>
    internal static string Combine(string folder, string relative) =>
        folder.Length == 0 ? relative : relative.Length == 0 ? folder : folder + "/" + relative;

    /// <summary>The last segment of a normalised path.</summary>
    internal static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static void CheckSegments(string original, string trimmed)
    {
        foreach (var segment in trimmed.Split('/'))
        {
            switch (segment)
            {
                case "":
                    throw Refuse(original, "has an empty segment ('//' or a leading or doubled slash); remove it");
                case "..":
                    throw Escapes(original);
                case ".":
                    throw Refuse(original, "has a '.' segment; remove it");
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                throw Refuse(original, $"has a segment longer than {MaxSegmentBytes} bytes");
            }
        }
    }

    // "C:x", "C:/x" and "C:\x" all name a drive on Windows, and none of them is relative.
    private static bool HasDrivePrefix(string path) =>
        path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);

    private static FerryException Escapes(string path) =>
        FerryException.Invalid("INVALID_PARAMETER_VALUE", $"artifact path '{Printable(path)}' must stay inside the run's artifact folder; give a relative path without '..'");

    private static FerryException Refuse(string path, string problem) =>
        FerryException.Invalid("INVALID_PARAMETER_VALUE", $"artifact path '{Printable(path)}' {problem}");

    /// <summary>The path with control characters shown as escapes, so an error message stays on one readable line.</summary>
    internal static string Printable(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return builder.ToString();
    }
}
