using Ferry.Data.Images;
using Ferry.Data.Schema;
using Ferry.Learn.Torch.Training;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>What the CNN's defaults know about an image dataset before fitting.</summary>
/// <param name="Images">Training images.</param>
/// <param name="ClassCount">Classes.</param>
/// <param name="Shape">The most common image shape.</param>
/// <param name="MinorityShare">The smallest class's share of images.</param>
public sealed record ImageTraits(int Images, int ClassCount, ImageShape Shape, double MinorityShare)
{
    /// <summary>Whether the dataset is small (under <see cref="DataTraits.SmallDataRows"/> images).</summary>
    public bool IsSmall => Images < DataTraits.SmallDataRows;

    /// <summary>Whether the classes are imbalanced: the smallest has under 40% of an equal share (under 20% for two classes).</summary>
    public bool IsImbalanced => DataTraits.IsImbalancedShare(ClassCount == 2 ? TaskKind.Binary : TaskKind.Multiclass, ClassCount, MinorityShare);

    /// <summary>The traits of <paramref name="dataset"/>.</summary>
    public static ImageTraits Of(ImageDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var common = dataset.Sizes.Count > 0 ? dataset.Sizes[0] : new ImageSizeCount(1, 1, 1, 0);
        var minority = dataset.Count == 0 ? 0 : dataset.ClassCounts.Min(c => c.Count) / (double)dataset.Count;
        return new ImageTraits(dataset.Count, dataset.Classes.Count, new ImageShape(common.Width, common.Height, common.Channels), minority);
    }
}
