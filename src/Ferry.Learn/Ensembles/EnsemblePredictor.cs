using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn.Evaluation;

namespace Ferry.Learn.Ensembles;

/// <summary>One model of an ensemble: a predictor over raw table rows (with its own featurisation and scaling) and its weight.</summary>
/// <param name="Predictor">The member; any flavor.</param>
/// <param name="Learner">Its learner's zoo name.</param>
/// <param name="Weight">Its share of the average, above 0.</param>
/// <param name="Trial">The search trial it came from, if known.</param>
public sealed record EnsembleMember(IPredictor Predictor, string Learner, double Weight, int? Trial = null);

/// <summary>
/// A weighted average of member predictors: class probabilities (then the decision threshold for binary tasks, the
/// most probable class otherwise) or regression values. Each member reads the raw rows through its own featurizer,
/// so members that want scaled features and members that do not mix freely. Owns and disposes its members.
/// </summary>
public sealed class EnsemblePredictor : IPredictor
{
    /// <summary>The zoo-like name an ensemble appears under on leaderboards and in packages.</summary>
    public const string LearnerName = "ensemble";

    /// <summary>Wraps members that all solve <paramref name="signature"/>'s task with its classes, in that order.</summary>
    /// <exception cref="ArgumentException">No member, a weight that is not positive, or a member whose task or classes differ.</exception>
    public EnsemblePredictor(IReadOnlyList<EnsembleMember> members, ModelSignature signature, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(signature);
        if (members.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        }

        foreach (var member in members)
        {
            if (!(member.Weight > 0) || !double.IsFinite(member.Weight))
            {
                throw new ArgumentException($"member {member.Learner} has weight {member.Weight}; weights must be positive", nameof(members));
            }

            if (member.Predictor.Signature.Task != signature.Task || !member.Predictor.Signature.Classes.SequenceEqual(signature.Classes))
            {
                throw new ArgumentException($"member {member.Learner} predicts {member.Predictor.Signature.Task} with classes [{string.Join(", ", member.Predictor.Signature.Classes)}], "
                    + $"the ensemble {signature.Task} with [{string.Join(", ", signature.Classes)}]", nameof(members));
            }
        }

        Members = members;
        Signature = signature;
        Threshold = threshold;
    }

    /// <summary>The members, in averaging order.</summary>
    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <inheritdoc />
    public ModelSignature Signature { get; }

    /// <summary>The binary decision threshold on the averaged probability of class 1 (unused for other tasks).</summary>
    public double Threshold { get; }

    /// <summary>The averaged outputs per row: probability rows, or one value per row for regression.</summary>
    public async Task<float[][]> ScoreAsync(Table features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(features);
        var outputs = new IReadOnlyList<float[]?>[Members.Count];
        for (var m = 0; m < Members.Count; m++)
        {
            outputs[m] = Outputs(await Members[m].Predictor.PredictAsync(features, cancellationToken));
        }

        return [.. EnsembleAverage.Combine(outputs, [.. Members.Select(m => m.Weight)]).Select(row => row!)];
    }

    /// <inheritdoc />
    public async Task<Predictions> PredictAsync(Table features, CancellationToken cancellationToken)
    {
        var outputs = await ScoreAsync(features, cancellationToken);
        if (Signature.Task == TaskKind.Regression)
        {
            return Predictions.ForValues([.. outputs.Select(o => (double)o[0])]);
        }

        var classes = MetricEvaluator.PredictedClasses(Signature.Task, outputs, Threshold);
        return Predictions.ForClasses(Signature.Task, Signature.Classes, [.. classes.Select(c => Signature.Classes[c])], outputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var member in Members)
        {
            member.Predictor.Dispose();
        }
    }

    /// <summary>A member's predictions as model outputs: its probability rows, or its values as one-element rows.</summary>
    private static float[][] Outputs(Predictions predictions) => predictions.Task == TaskKind.Regression
        ? [.. predictions.Values!.Select(v => new[] { (float)v })]
        : [.. predictions.Probabilities!];
}
