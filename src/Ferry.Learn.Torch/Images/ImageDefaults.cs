using System.Globalization;
using Ferry.Learn.Search;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// The real-world defaults an image search starts from, in words a user can act on: augmentation, the loss for
/// imbalanced classes, regularisation for small data and the input size. Read off the portfolio's first
/// configuration, so what is reported is what the trials start from.
/// </summary>
internal static class ImageDefaults
{
    public static IEnumerable<DefaultChoice> Describe(IReadOnlyList<Hyperparameters> portfolio, ImageTraits traits)
    {
        if (portfolio.Count == 0)
        {
            yield break;
        }

        var first = portfolio[0];
        var settings = CnnSettings.Read(first, traits);
        var flips = settings.Flip
            ? "and horizontal flips: colour images are mostly photos of things that look the same mirrored"
            : "and no flips: gray images are often digits, letters or documents, where a mirror image is another symbol";
        yield return new("augmentation", $"shift {settings.Shift} px{(settings.Flip ? ", flip" : "")}",
            $"each training image is moved at random by up to {settings.Shift} pixel(s) (about a tenth of its side) {flips}");

        if (traits.IsImbalanced)
        {
            yield return new("loss", "focal",
                $"classes are imbalanced (the rarest is {traits.MinorityShare:P0} of the images): focal loss with class-balanced weights, so the rare class is not ignored");
        }

        if (traits.IsSmall)
        {
            yield return new("regularisation", $"dropout {settings.Dropout.ToString(CultureInfo.InvariantCulture)}, weight decay {settings.Loop.WeightDecay.ToString(CultureInfo.InvariantCulture)}",
                $"{traits.Images:N0} images is small data (under {DataTraits.SmallDataRows:N0}): more dropout and weight decay against overfitting, up to {settings.Loop.Epochs} epochs with early stopping");
        }

        if (settings.Width != traits.Shape.Width || settings.Height != traits.Shape.Height)
        {
            yield return new("image_size", $"{settings.Width}x{settings.Height}",
                $"the most common size is {traits.Shape.Width}x{traits.Shape.Height}; images are resized to at most {CnnSearchSpace.DefaultMaxSide} pixels a side, which a small CNN learns from much faster with little loss");
        }
    }
}
