namespace Ferry.Data.Images;

/// <summary>One decoded image and its label.</summary>
/// <param name="Id">
/// Where the image came from: its path relative to the dataset root with '/' separators (for example
/// <c>cat/001.png</c>), or <c>row-N</c> (1-based) for images built from table rows.
/// </param>
/// <param name="Label">The class label (the name of the folder the image is in).</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">1 for grayscale, 3 for RGB.</param>
/// <param name="Pixels">8-bit samples, row-major from the top-left, channels interleaved (R, G, B per pixel).</param>
public sealed record ImageItem(string Id, string Label, int Width, int Height, int Channels, byte[] Pixels)
{
    /// <summary>The sample at column <paramref name="x"/>, row <paramref name="y"/>, channel <paramref name="channel"/>.</summary>
    public byte GetSample(int x, int y, int channel = 0) => Pixels[(((y * Width) + x) * Channels) + channel];
}
