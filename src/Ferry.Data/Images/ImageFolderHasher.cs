using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ferry.Data.Loading;

namespace Ferry.Data.Images;

/// <summary>
/// The content version of an image folder: SHA-256 over every image file's (relative path, label, SHA-256 of
/// its bytes), in ordinal path order. Timestamps, enumeration order and where the folder lives do not matter;
/// changing one byte of an image, renaming it or moving it to another class does.
/// </summary>
/// <remarks>
/// The files are hashed, not the decoded pixels: it is cheaper (no decoding), it does not change when a SkiaSharp
/// upgrade decodes a JPEG a little differently, and it covers everything that can change what a model learns,
/// including EXIF orientation and files that fail to decode. Files the loader ignores (other extensions, hidden
/// files, files outside class folders) are not part of the hash, so adding a README does not create a new version.
/// </remarks>
public static class ImageFolderHasher
{
    /// <summary>Computes the content hash of the folder at <paramref name="root"/>.</summary>
    /// <returns>"sha256:" followed by 64 lower-case hex digits.</returns>
    /// <exception cref="FerryException"><c>FILE_NOT_FOUND</c> or <c>IMAGE_FOLDER_EMPTY</c>, as for loading.</exception>
    public static Task<string> ComputeAsync(string root, CancellationToken cancellationToken) =>
        ComputeAsync(root, null, cancellationToken);

    /// <summary>Computes the content hash, reporting bytes hashed so far.</summary>
    /// <exception cref="FerryException"><c>FILE_NOT_FOUND</c> or <c>IMAGE_FOLDER_EMPTY</c>, as for loading.</exception>
    public static async Task<string> ComputeAsync(string root, IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        var scan = ImageFolderScan.Scan(root, cancellationToken);
        var total = scan.Files.Sum(f => f.Length);
        var done = 0L;
        using var hash = new ImageFolderHash();
        foreach (var file in scan.Files)
        {
            hash.Add(file, await HashFileAsync(file, cancellationToken));

            done += file.Length;
            progress?.Report(new LoadProgress(done, total));
        }

        return hash.Finish();
    }

    private static async Task<byte[]> HashFileAsync(ImageFile file, CancellationToken cancellationToken)
    {
        try
        {
            var stream = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream)
            {
                return await SHA256.HashDataAsync(stream, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ImageFolderLoader.Unreadable(file, ex);
        }
    }
}

/// <summary>Combines per-file hashes into the folder hash; fed in the scan's order by the hasher and the loader alike.</summary>
internal sealed class ImageFolderHash : IDisposable
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("ferry/image-folder/v1\n");
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public ImageFolderHash() => _hash.AppendData(Header);

    /// <summary>Adds one file; call in <see cref="ImageFolderScan.Files"/> order.</summary>
    public void Add(ImageFile file, ReadOnlySpan<byte> fileSha256)
    {
        AppendText(file.RelativePath);
        AppendText(file.Label);
        _hash.AppendData(fileSha256);
    }

    /// <summary>The final "sha256:…" text.</summary>
    public string Finish()
    {
        return "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());
    }

    /// <inheritdoc />
    public void Dispose() => _hash.Dispose();

    // Length-prefixed, so ("ab", "c") and ("a", "bc") cannot hash alike.
    private void AppendText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _hash.AppendData(length);
        _hash.AppendData(bytes);
    }
}
