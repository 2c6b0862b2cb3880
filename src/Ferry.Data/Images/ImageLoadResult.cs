namespace Ferry.Data.Images;

/// <summary>An image file that could not be decoded and was left out (or, with strict loading, stopped the load).</summary>
/// <param name="Path">The file's path relative to the dataset root, with '/' separators.</param>
/// <param name="Reason">What is wrong, in words a user acts on.</param>
public sealed record BadImage(string Path, string Reason);

/// <summary>A loaded image dataset and what happened on the way.</summary>
/// <param name="Dataset">The images that were decoded.</param>
/// <param name="Root">The folder the images came from, as given.</param>
/// <param name="ContentHash">
/// The folder's content hash ("sha256:…"), the same value <see cref="ImageFolderHasher.ComputeAsync(string, CancellationToken)"/>
/// gives, computed from the bytes already read for decoding.
/// </param>
/// <param name="BadImages">Details of the first bad images (up to <see cref="ImageLoadOptions.MaxBadImageDetails"/>).</param>
/// <param name="BadImageCount">How many images were left out in all.</param>
/// <param name="Notes">Observations a user should know (ignored files, grayscale images converted to RGB...).</param>
public sealed record ImageLoadResult(
    ImageDataset Dataset,
    string Root,
    string ContentHash,
    IReadOnlyList<BadImage> BadImages,
    int BadImageCount,
    IReadOnlyList<string> Notes);
