namespace Ferry.Learn.Search;

/// <summary>
/// One hyperparameter of one learner set in <c>ferry.yaml</c>'s <c>space</c>: a single value fixes it in every
/// configuration the search tries (portfolio included); a list of two numbers is the range to search instead of the
/// zoo's; any other list is the choices to search. Checked against the learner's space when the search starts.
/// </summary>
/// <param name="Learner">The learner's zoo name, for example <c>lightgbm</c>.</param>
/// <param name="Parameter">The hyperparameter, for example <c>num_leaves</c>.</param>
/// <param name="Values">The value as written, or the list's items.</param>
/// <param name="IsList">Whether it was written as a list (<c>[8, 64]</c>) rather than one value.</param>
/// <param name="Location">Where the hyperparameter is written, for errors.</param>
/// <param name="LearnerLocation">Where the learner is written, for errors about the learner.</param>
public sealed record SpaceOverride(
    string Learner,
    string Parameter,
    IReadOnlyList<string> Values,
    bool IsList,
    SourceLocation? Location = null,
    SourceLocation? LearnerLocation = null)
{
    /// <summary>The setting's path in <c>ferry.yaml</c>: <c>space.lightgbm.num_leaves</c>.</summary>
    public string Path => $"space.{Learner}.{Parameter}";

    /// <summary>The value as written: <c>0.05</c>, or <c>[8, 64]</c> for a list.</summary>
    public string Text => IsList ? $"[{string.Join(", ", Values)}]" : Values.Count > 0 ? Values[0] : "";
}
