using System.Globalization;
using Ferry.Learn.Training;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>Shorthand for portfolio entries.</summary>
internal static class Config
{
    /// <summary>A configuration from name/number pairs.</summary>
    public static Hyperparameters Of(params (string Name, double Value)[] values) =>
        new(values.Select(v => KeyValuePair.Create(v.Name, v.Value.ToString("R", CultureInfo.InvariantCulture))));

    /// <summary>The fewest rows per leaf that still lets small data split: about 1/40 of the rows, between 3 and 20.</summary>
    public static int MinLeaf(DataTraits traits) => Math.Clamp(traits.Rows / 40, 3, 20);
}
