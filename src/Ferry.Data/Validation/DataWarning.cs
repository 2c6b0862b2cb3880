namespace Ferry.Data.Validation;

/// <summary>How much a finding matters.</summary>
public enum WarningSeverity
{
    /// <summary>Worth knowing; nothing to do.</summary>
    Info,

    /// <summary>Likely to hurt a model unless handled.</summary>
    Warning,

    /// <summary>Makes training invalid until fixed (for example a column that leaks the label).</summary>
    Error,
}

/// <summary>A finding about a dataset, with a fix a user can act on.</summary>
/// <param name="Code">A stable code, for example <c>CONSTANT_COLUMN</c>.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">What was found, naming the column(s) and numbers.</param>
/// <param name="Fix">A suggested fix.</param>
/// <param name="Columns">The columns involved, if any.</param>
public sealed record DataWarning(
    string Code,
    WarningSeverity Severity,
    string Message,
    string Fix,
    IReadOnlyList<string> Columns);
