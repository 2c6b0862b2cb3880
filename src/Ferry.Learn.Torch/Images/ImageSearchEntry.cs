using Ferry.Data.Schema;
using Ferry.Learn.Training;

namespace Ferry.Learn.Torch.Images;

/// <summary>
/// Presents an image learner to the search's scheduler, which picks configurations by a learner's name, space and
/// portfolio and hands them back to the image search to fit. The scheduler never fits through this entry: image
/// learners fit image datasets, not feature matrices, so <see cref="FitAsync"/> and <see cref="LoadAsync"/> refuse.
/// </summary>
/// <param name="learner">The image learner.</param>
/// <param name="imageTraits">The images its portfolio is chosen for.</param>
internal sealed class ImageSearchEntry(IImageLearner learner, ImageTraits imageTraits) : ILearner
{
    /// <summary>The image learner behind the entry.</summary>
    public IImageLearner Learner => learner;

    public string Name => learner.Name;

    public string Flavor => learner.Flavor;

    public bool NeedsScaling => false;

    public IReadOnlyList<ParameterRange> Space => learner.Space;

    public bool Supports(TaskKind task) => task != TaskKind.Regression;

    public IReadOnlyList<Hyperparameters> Portfolio(DataTraits traits) => learner.Portfolio(imageTraits);

    public Task<IFittedModel> FitAsync(TrainingSet train, Hyperparameters hyperparameters, int seed, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{learner.Name} fits image datasets; the image search fits it, not the tabular trial runner");

    public Task<IFittedModel> LoadAsync(string folder, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{learner.Name} models load as image models (IImageLearner.LoadAsync)");

    /// <summary>
    /// A drawn configuration completed with what the space does not vary (augmentation, epochs, patience): a sampled
    /// trial keeps the portfolio's settings for these images rather than falling back to generic defaults.
    /// </summary>
    public Hyperparameters Complete(Hyperparameters drawn)
    {
        var complete = drawn;
        var basis = learner.Portfolio(imageTraits);
        if (basis.Count == 0)
        {
            return complete;
        }

        foreach (var (name, value) in basis[0].Values)
        {
            if (!drawn.Values.ContainsKey(name))
            {
                complete = complete.With(name, value);
            }
        }

        return complete;
    }
}
