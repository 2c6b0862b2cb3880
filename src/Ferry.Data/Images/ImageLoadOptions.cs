namespace Ferry.Data.Images;

/// <summary>How to read an image folder.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>When true the first undecodable image stops the load with an error; otherwise bad images are counted and skipped.</summary>
    public bool Strict { get; init; }

    /// <summary>How many bad images are kept with full detail; the rest are only counted. Default 1000.</summary>
    public int MaxBadImageDetails { get; init; } = 1000;

    /// <summary>
    /// The most decoded pixel data the dataset may hold, in bytes (width x height x channels summed over images).
    /// Default 4 GiB; a folder of full-size photos passes it quickly, and then the fix is to resize the images first.
    /// </summary>
    public long MaxTotalPixelBytes { get; init; } = 4L << 30;
}
