namespace Ferry.Learn.Torch.Images;

/// <summary>
/// What it takes to rebuild a trained CNN before its weights are loaded (<c>architecture.json</c>): the input
/// shape, the per-channel normalisation measured on the training images, the layer sizes and the classes.
/// </summary>
/// <param name="Format">The file's layout version.</param>
/// <param name="Classes">Class labels in output order.</param>
/// <param name="Width">Input width in pixels (images are resized to it).</param>
/// <param name="Height">Input height in pixels.</param>
/// <param name="Channels">1 (gray) or 3 (RGB).</param>
/// <param name="Blocks">Convolution blocks (conv 3x3, ReLU, 2x2 max-pool while the image is large enough).</param>
/// <param name="BaseChannels">Filters in the first block; each further block doubles them.</param>
/// <param name="Hidden">Units of the dense layer before the output.</param>
/// <param name="Dropout">Dropout before each dense layer during training.</param>
/// <param name="Mean">Per-channel mean of the training pixels (in [0, 1]).</param>
/// <param name="Std">Per-channel standard deviation of the training pixels.</param>
internal sealed record CnnArchitecture(
    int Format, string[] Classes, int Width, int Height, int Channels, int Blocks, int BaseChannels, int Hidden, double Dropout, float[] Mean, float[] Std)
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The largest pooled grid the dense layers see; larger feature maps are averaged down to it.</summary>
    public const int PooledSide = 4;

    /// <summary>The feature-map size after the blocks: each block halves both sides while both are at least 2.</summary>
    public (int Height, int Width) FeatureMapSize()
    {
        var (h, w) = (Height, Width);
        for (var b = 0; b < Blocks; b++)
        {
            if (h >= 2 && w >= 2)
            {
                (h, w) = (h / 2, w / 2);
            }
        }

        return (h, w);
    }
}
