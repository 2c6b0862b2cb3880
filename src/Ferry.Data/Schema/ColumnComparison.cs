using System.Globalization;

namespace Ferry.Data.Schema;

/// <summary>Compares one column's profiles from two dataset versions; thresholds are documented on <see cref="DatasetDiffer"/>.</summary>
internal static class ColumnComparison
{
    public const double PsiMajor = 0.25;
    public const double PsiMinor = 0.1;
    public const double ShiftMajor = 0.5;
    public const double ShiftMinor = 0.2;
    public const double StdRatioMajor = 2;
    public const double StdRatioMinor = 1.25;
    public const double MissingMajor = 0.10;
    public const double MissingMinor = 0.01;
    public const double TotalVariationMajor = 0.2;
    public const double TotalVariationMinor = 0.1;
    public const double NewShareMajor = 0.05;
    public const double RangeGrowthMinor = 0.1;

    /// <summary>The change of one column from A to B.</summary>
    public static ColumnChange Compare(ColumnProfile a, ColumnProfile b, bool kindChanged)
    {
        var notes = new List<string>();
        var severity = ChangeSeverity.None;
        void Note(ChangeSeverity level, string text)
        {
            notes.Add(text);
            severity = (ChangeSeverity)Math.Max((int)severity, (int)level);
        }

        if (kindChanged)
        {
            Note(ChangeSeverity.Major, $"kind changed from {a.Kind} to {b.Kind}");
        }

        var missingA = Rate(a.Missing, a.Count);
        var missingB = Rate(b.Missing, b.Count);
        var missingDelta = Math.Abs(missingB - missingA);
        if (missingDelta >= MissingMinor)
        {
            Note(missingDelta >= MissingMajor ? ChangeSeverity.Major : ChangeSeverity.Minor, $"missing values {missingA:0.0%} → {missingB:0.0%}");
        }

        NumericShift? numeric = null;
        if (a.Numeric is { } na && b.Numeric is { } nb)
        {
            numeric = CompareNumbers(na, nb, Note);
        }
        else if ((a.Numeric is null) != (b.Numeric is null) && !kindChanged)
        {
            Note(ChangeSeverity.Major, a.Numeric is null ? "now has numbers where A had none" : "has no numbers where A had some");
        }

        CategoryShift? categories = null;
        if (a.TopValues.Count > 0 && b.TopValues.Count > 0)
        {
            categories = CompareValues(a, b, Note);
        }

        return new ColumnChange(a.Name, severity, missingA, missingB, numeric, categories, notes);
    }

    private static NumericShift CompareNumbers(NumericSummary a, NumericSummary b, Action<ChangeSeverity, string> note)
    {
        var medianA = a.Quantiles[3];
        var medianB = b.Quantiles[3];
        double? meanShift = null, medianShift = null, stdRatio = null, psi = null;
        if (a.StdDev > 0)
        {
            meanShift = (b.Mean - a.Mean) / a.StdDev;
            medianShift = (medianB - medianA) / a.StdDev;
            stdRatio = b.StdDev / a.StdDev;
            psi = PopulationStability.Compute(a, b);
            Grade(note, Math.Abs(meanShift.Value), ShiftMajor, ShiftMinor, $"mean {F(a.Mean)} → {F(b.Mean)} ({meanShift:+0.00;-0.00} std)");
            Grade(note, Math.Abs(medianShift.Value), ShiftMajor, ShiftMinor, $"median {F(medianA)} → {F(medianB)} ({medianShift:+0.00;-0.00} std)");
            var spread = Math.Max(stdRatio.Value, stdRatio.Value == 0 ? double.PositiveInfinity : 1 / stdRatio.Value);
            Grade(note, spread, StdRatioMajor, StdRatioMinor, $"standard deviation {F(a.StdDev)} → {F(b.StdDev)} (× {stdRatio:0.00})");
            if (psi is { } value)
            {
                Grade(note, value, PsiMajor, PsiMinor, $"distribution shift PSI {value:0.000}", strictly: true);
            }

            var range = a.Max - a.Min;
            var growth = Math.Max(a.Min - b.Min, 0) + Math.Max(b.Max - a.Max, 0);
            if (range > 0 && growth > range * RangeGrowthMinor)
            {
                note(ChangeSeverity.Minor, $"range [{F(a.Min)}, {F(a.Max)}] → [{F(b.Min)}, {F(b.Max)}]");
            }
        }
        else if (b.Min != a.Min || b.Max != a.Max)
        {
            note(ChangeSeverity.Major, $"was constant at {F(a.Min)}, now ranges over [{F(b.Min)}, {F(b.Max)}]");
        }

        return new NumericShift(
            a.Mean, b.Mean, Finite(meanShift), Finite(stdRatio), medianA, medianB, Finite(medianShift), a.Min, b.Min, a.Max, b.Max, Finite(psi));
    }

    private static CategoryShift CompareValues(ColumnProfile a, ColumnProfile b, Action<ChangeSeverity, string> note)
    {
        var presentA = Math.Max(a.Count - a.Missing, 0);
        var presentB = Math.Max(b.Count - b.Missing, 0);
        var sharesA = Shares(a, presentA);
        var sharesB = Shares(b, presentB);
        var completeA = a.Distinct <= a.TopValues.Count;
        var completeB = b.Distinct <= b.TopValues.Count;

        var newValues = completeA ? b.TopValues.Where(v => !sharesA.ContainsKey(v.Value)).ToList() : [];
        var vanished = completeB ? a.TopValues.Where(v => !sharesB.ContainsKey(v.Value)).Select(v => v.Value).ToList() : [];
        var newShare = presentB == 0 ? 0 : newValues.Sum(v => v.Count) / (double)presentB;

        double tv = 0;
        foreach (var key in sharesA.Keys.Union(sharesB.Keys))
        {
            tv += Math.Abs(sharesA.GetValueOrDefault(key) - sharesB.GetValueOrDefault(key));
        }

        tv /= 2;
        if (newValues.Count > 0)
        {
            note(newShare >= NewShareMajor ? ChangeSeverity.Major : ChangeSeverity.Minor,
                $"new values {List(newValues.Select(v => v.Value))} ({newShare:0.0%} of rows)");
        }

        if (vanished.Count > 0)
        {
            note(ChangeSeverity.Minor, $"values no longer present: {List(vanished)}");
        }

        Grade(note, tv, TotalVariationMajor, TotalVariationMinor, $"value shares moved by {tv:0.0%} (total variation)", strictly: true);
        return new CategoryShift([.. newValues.Select(v => v.Value)], vanished, newShare, tv);
    }

    // Shares of non-missing rows per top value, plus the rest pooled under a key no real value can have.
    private static Dictionary<string, double> Shares(ColumnProfile profile, int present)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        if (present == 0)
        {
            return shares;
        }

        foreach (var v in profile.TopValues)
        {
            shares[v.Value] = v.Count / (double)present;
        }

        var rest = present - profile.TopValues.Sum(v => v.Count);
        if (rest > 0)
        {
            shares["\0other"] = rest / (double)present;
        }

        return shares;
    }

    private static void Grade(Action<ChangeSeverity, string> note, double value, double major, double minor, string text, bool strictly = false)
    {
        var isMajor = strictly ? value > major : value >= major;
        var isMinor = strictly ? value > minor : value >= minor;
        if (isMajor || isMinor)
        {
            note(isMajor ? ChangeSeverity.Major : ChangeSeverity.Minor, text);
        }
    }

    // JSON cannot hold infinities, which extreme values (near double.MaxValue) can produce in ratios.
    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    private static double Rate(int part, int whole) => whole == 0 ? 0 : part / (double)whole;

    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static string List(IEnumerable<string> values)
    {
        var list = values.ToList();
        var shown = string.Join(", ", list.Take(10).Select(v => $"'{v}'"));
        return list.Count > 10 ? $"{shown} and {list.Count - 10} more" : shown;
    }
}
