using Ferry.Data.Schema;
using Ferry.Learn.Learners.MlNet;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Learn.Tests.Learners;

/// <summary>
/// Models score rows through pooled prediction engines; the outputs are exactly what ML.NET's own Transform of the
/// whole table gives, also when many threads score at once.
/// </summary>
public sealed class RowScorerTests
{
    [Theory]
    [InlineData("lightgbm", "breast_cancer")]
    [InlineData("sdca", "breast_cancer")]
    [InlineData("lightgbm", "wine")]
    [InlineData("sdca", "penguins")]
    [InlineData("fastforest", "diabetes")]
    [InlineData("lbfgs", "diabetes")]
    public async Task Engines_give_exactly_what_a_transform_of_the_whole_table_gives(string name, string sample)
    {
        var learner = MlNetZoo.Find(name)!;
        var holdout = await LearnSamples.HoldoutAsync(sample, learner.NeedsScaling);
        using var fitted = await learner.FitAsync(holdout.Train, learner.Portfolio(holdout.Train.Traits())[0], seed: 1, CancellationToken.None);
        var model = (MlNetModel)fitted;
        var test = holdout.Test.Features;

        var expected = Transformed(model, test);
        var whole = model.Predict(test);
        var single = Enumerable.Range(0, test.Rows).AsParallel().WithDegreeOfParallelism(4)
            .Select(r => (Row: r, Output: model.Predict(test.SelectRows([r]))[0]))
            .OrderBy(p => p.Row)
            .Select(p => p.Output)
            .ToArray();

        Assert.Equal(expected, whole);
        Assert.Equal(expected, single);
    }

    /// <summary>Reads ML.NET's scored columns as Ferry reports them: [1 - p, p], normalised class scores, or the value.</summary>
    private static float[][] Transformed(MlNetModel model, FeatureMatrix features)
    {
        var scored = model.Transformer.Transform(MatrixDataView.ForScoring(features));
        var result = new List<float[]>();
        if (model.Task == TaskKind.Multiclass)
        {
            var column = scored.Schema["Score"];
            using var cursor = scored.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                var row = buffer.DenseValues().Select(v => float.IsFinite(v) && v > 0 ? v : 0).ToArray();
                var sum = row.Sum(v => (double)v);
                result.Add([.. row.Select(v => sum > 0 ? (float)(v / sum) : 1f / row.Length)]);
            }

            return [.. result];
        }

        var single = scored.Schema[model.Task == TaskKind.Binary ? "Probability" : "Score"];
        using (var cursor = scored.GetRowCursor([single]))
        {
            var getter = cursor.GetGetter<float>(single);
            float value = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                var p = float.IsNaN(value) ? 0.5f : Math.Clamp(value, 0f, 1f);
                result.Add(model.Task == TaskKind.Binary ? [1 - p, p] : [value]);
            }
        }

        return [.. result];
    }
}
