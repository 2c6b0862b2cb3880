namespace Ferry.Serving.Protocols;

/// <summary>What the protocol decoders do with a category the model never saw in training.</summary>
public enum UnknownCategoryHandling
{
    /// <summary>Refuse the request (400) naming the field, the row, the value and the known categories.</summary>
    Reject,

    /// <summary>Treat the value as missing, so the featurizer imputes it like a null.</summary>
    MapToMissing,
}

/// <summary>
/// How strictly request rows are checked against a model's signature before they reach the predictor. The defaults
/// refuse anything a client most likely got wrong (an unseen category, a misspelt or extra field) and take null as
/// "unknown"; a server that must accept such rows switches the matching option off.
/// </summary>
public sealed record InputPolicy
{
    private readonly int _maxRows = 10_000;

    /// <summary>The defaults: reject unknown categories and extra fields, allow missing values, at most 10,000 rows.</summary>
    public static InputPolicy Default { get; } = new();

    /// <summary>
    /// Unknown categories are refused by default: a model's "unseen value" slot rarely saw training rows, so a typo
    /// ("Biscoee") would score silently. Set <see cref="UnknownCategoryHandling.MapToMissing"/> to score such rows as
    /// if the value were null. Either way, categorical columns hashed at training (too many categories to list) take any value.
    /// </summary>
    public UnknownCategoryHandling UnknownCategory { get; init; } = UnknownCategoryHandling.Reject;

    /// <summary>Whether fields (or tensors, or columns) the model does not read are ignored rather than refused.</summary>
    public bool AllowExtraFields { get; init; }

    /// <summary>
    /// Whether null (and NaN, Infinity) values are taken as missing, which the featurizer imputes. When false such a
    /// value is refused naming the field and the row. An absent field is refused either way: send null for unknown.
    /// A category mapped to missing by <see cref="UnknownCategoryHandling.MapToMissing"/> is not refused by this.
    /// </summary>
    public bool AllowMissingValues { get; init; } = true;

    /// <summary>The most rows one request may hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxRows
    {
        get => _maxRows;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxRows = value;
        }
    }
}
