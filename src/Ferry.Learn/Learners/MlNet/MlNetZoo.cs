using Ferry.Learn.Training;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>The ML.NET learners of the zoo, by name.</summary>
public static class MlNetZoo
{
    /// <summary>Every ML.NET learner, strongest usual default first.</summary>
    public static IReadOnlyList<ILearner> All { get; } =
        [new LightGbmLearner(), new FastTreeLearner(), new FastForestLearner(), new SdcaLearner(), new LbfgsLearner()];

    /// <summary>The learner called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static ILearner? Find(string name) =>
        All.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
}
