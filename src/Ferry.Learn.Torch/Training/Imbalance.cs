using Ferry.Data.Schema;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Training;

/// <summary>
/// When classes count as imbalanced for the neural defaults: the smallest class has less than 40% of an equal
/// share of the rows. For two classes that is <see cref="DataTraits.ImbalancedShare"/> (20%), the same as
/// <see cref="DataTraits.IsImbalanced"/>; unlike a fixed 20%, it does not call ten equal classes (10% each) imbalanced.
/// </summary>
internal static class Imbalance
{
    public static bool IsImbalanced(TaskKind task, int classes, double minorityShare) =>
        task != TaskKind.Regression && classes >= 2 && minorityShare * classes < 2 * DataTraits.ImbalancedShare;
}
