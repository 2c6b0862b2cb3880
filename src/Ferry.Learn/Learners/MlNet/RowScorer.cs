using System.Collections.Concurrent;
using Ferry.Data.Schema;
using Ferry.Learn.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Ferry.Learn.Learners.MlNet;

/// <summary>
/// Scores a few rows through pooled ML.NET prediction engines. <c>ITransformer.Transform</c> builds a new data view,
/// schema and cursor on every call (with reflection), which costs a served single row about as much as its trees;
/// an engine builds them once. Engines are not thread-safe, so each call rents one from the pool.
/// </summary>
internal abstract class RowScorer : IDisposable
{
    /// <summary>The most rows worth scoring one by one; bigger batches go through one <c>Transform</c>.</summary>
    public const int MaxRows = 16;

    /// <summary>A scorer for <paramref name="model"/>, reading its output as <see cref="MlNetModel"/> does.</summary>
    public static RowScorer For(MLContext ml, ITransformer model, TaskKind task, int features)
    {
        var input = SchemaDefinition.Create(typeof(FeatureRow));
        input[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return task switch
        {
            TaskKind.Binary => new Pooled<ProbabilityRow>(ml, model, input, o => MlNetOutputs.Binary(o.Probability)),
            TaskKind.Multiclass => new Pooled<ScoresRow>(ml, model, input, o => MlNetOutputs.Normalise(o.Score.DenseValues().ToArray())),
            _ => new Pooled<ScoreRow>(ml, model, input, o => [o.Score]),
        };
    }

    /// <summary>The model's output for each row of <paramref name="features"/>.</summary>
    public float[][] Predict(FeatureMatrix features)
    {
        var result = new float[features.Rows][];
        for (var r = 0; r < features.Rows; r++)
        {
            result[r] = Score(features.Row(r).ToArray());
        }

        return result;
    }

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>The model's output for one row of features.</summary>
    protected abstract float[] Score(float[] features);

    private sealed class Pooled<TOut>(MLContext ml, ITransformer model, SchemaDefinition input, Func<TOut, float[]> read) : RowScorer
        where TOut : class, new()
    {
        private readonly ConcurrentBag<PredictionEngine<FeatureRow, TOut>> _idle = [];

        public override void Dispose()
        {
            while (_idle.TryTake(out var engine))
            {
                engine.Dispose();
            }
        }

        protected override float[] Score(float[] features)
        {
            if (!_idle.TryTake(out var engine))
            {
                engine = ml.Model.CreatePredictionEngine<FeatureRow, TOut>(model, inputSchemaDefinition: input);
            }

            try
            {
                return read(engine.Predict(new FeatureRow { Features = features }));
            }
            finally
            {
                _idle.Add(engine);
            }
        }
    }

    // Filled and read by ML.NET through reflection.
    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class ProbabilityRow
    {
        public float Probability { get; set; }
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    private sealed class ScoresRow
    {
        public VBuffer<float> Score { get; set; }
    }
}
