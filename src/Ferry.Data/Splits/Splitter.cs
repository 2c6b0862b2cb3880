using Ferry.Data.Tables;

namespace Ferry.Data.Splits;

/// <summary>
/// Deterministic ways to divide a table's rows for training and scoring. Shuffles use Ferry's own generator,
/// so a seed gives the same split on every machine and .NET version.
/// </summary>
public static class Splitter
{
    /// <summary>
    /// A shuffled train/validation/test split. With <paramref name="stratifyBy"/>, each class of that column keeps
    /// its share of every part (to within a row); a numeric column with more than 20 distinct values is stratified by
    /// 10 quantile bins. Rows with no value in that column are left out (see <see cref="Split.Excluded"/>), and
    /// every class keeps at least one row in train.
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="stratifyBy">The column to stratify by (usually the label), or null for a plain shuffle.</param>
    /// <param name="validationFraction">Share of rows for validation, in [0, 1).</param>
    /// <param name="testFraction">Share of rows for test, in [0, 1); the two sum below 1.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="FerryException">Usage <c>SPLIT_FRACTIONS</c> for bad fractions; usage <c>COLUMN_NOT_FOUND</c> for an unknown column.</exception>
    public static Split TrainValidationTest(Table table, string? stratifyBy, double validationFraction, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        return StratifiedSplitter.TrainValidationTest(table, stratifyBy, validationFraction, testFraction, seed);
    }

    /// <summary>
    /// K shuffled folds; every included row is validated in exactly one. With <paramref name="stratifyBy"/>, each
    /// fold holds each class in proportion (rows with no value there are left out of every fold).
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="k">The number of folds, at least 2.</param>
    /// <param name="stratifyBy">The column to stratify by (usually the label), or null.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="FerryException">
    /// Usage <c>SPLIT_FOLDS</c> when <paramref name="k"/> is below 2; invalid input <c>SPLIT_TOO_FEW_ROWS</c> when there are
    /// fewer rows than folds, or a class has fewer rows than folds; usage <c>COLUMN_NOT_FOUND</c>.
    /// </exception>
    public static IReadOnlyList<Fold> KFold(Table table, int k, string? stratifyBy, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        return StratifiedSplitter.KFold(table, k, stratifyBy, seed);
    }

    /// <summary>
    /// A train/validation/test split that keeps each group (rows sharing a value of <paramref name="groupColumn"/>)
    /// in one part. Groups are shuffled by seed and placed one by one in the part furthest below its row target, so
    /// fractions are met as closely as whole groups allow. A row with no group value is a group of its own.
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="groupColumn">The column whose values name the groups (a customer id, a patient id...).</param>
    /// <param name="validationFraction">Share of rows for validation, in [0, 1).</param>
    /// <param name="testFraction">Share of rows for test, in [0, 1); the two sum below 1.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="FerryException">Usage <c>SPLIT_FRACTIONS</c> or <c>COLUMN_NOT_FOUND</c>.</exception>
    public static Split ByGroup(Table table, string groupColumn, double validationFraction, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(groupColumn);
        return GroupSplitter.ByGroup(table, groupColumn, validationFraction, testFraction, seed);
    }

    /// <summary>
    /// K folds that keep each group in one fold. Shuffled groups go to the fold with the fewest rows so far.
    /// A row with no group value is a group of its own.
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="groupColumn">The column whose values name the groups.</param>
    /// <param name="k">The number of folds, at least 2 and at most the number of groups.</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="FerryException">
    /// Usage <c>SPLIT_FOLDS</c> when <paramref name="k"/> is below 2; invalid input <c>SPLIT_TOO_FEW_GROUPS</c> when there
    /// are fewer groups than folds; usage <c>COLUMN_NOT_FOUND</c>.
    /// </exception>
    public static IReadOnlyList<Fold> GroupKFold(Table table, string groupColumn, int k, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(groupColumn);
        return GroupSplitter.GroupKFold(table, groupColumn, k, seed);
    }

    /// <summary>
    /// A split by time: the oldest rows train, then validation, the newest test. Text values are read with
    /// <see cref="DateTimeOffset.TryParse(string?, IFormatProvider?, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>
    /// (invariant culture, UTC unless the text names an offset); numbers are taken as timestamps as they are.
    /// Rows with equal times stay on one side of every boundary; rows with no value are left out.
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="timeColumn">The column holding each row's date or time.</param>
    /// <param name="validationFraction">Share of rows for validation, in [0, 1).</param>
    /// <param name="testFraction">Share of rows for test, in [0, 1); the two sum below 1.</param>
    /// <exception cref="FerryException">
    /// Invalid input <c>SPLIT_TIME_UNPARSEABLE</c> naming the column, row and value that is not a time; usage
    /// <c>SPLIT_FRACTIONS</c> or <c>COLUMN_NOT_FOUND</c>.
    /// </exception>
    public static Split ByTime(Table table, string timeColumn, double validationFraction, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(timeColumn);
        return TimeSplitter.ByTime(table, timeColumn, validationFraction, testFraction);
    }

    /// <summary>
    /// Forward-chaining folds by time (scikit-learn's TimeSeriesSplit): rows ordered by <paramref name="timeColumn"/>
    /// are cut into k + 1 blocks; fold f trains on the blocks up to f and validates on block f + 1, so no fold learns
    /// from a time later than one it is scored on. Unlike <see cref="KFold"/>, a fold's training rows are only the
    /// earlier ones and the oldest block is never validated. Times are read as in <see cref="ByTime"/>; equal times
    /// stay in one block; rows with no value are left out.
    /// </summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="timeColumn">The column holding each row's date or time.</param>
    /// <param name="k">The number of folds, at least 2.</param>
    /// <exception cref="FerryException">
    /// Usage <c>SPLIT_FOLDS</c> when <paramref name="k"/> is below 2; invalid input <c>SPLIT_TOO_FEW_ROWS</c> when there are
    /// too few distinct times for k + 1 blocks; <c>SPLIT_TIME_UNPARSEABLE</c>; usage <c>COLUMN_NOT_FOUND</c>.
    /// </exception>
    public static IReadOnlyList<Fold> TimeFolds(Table table, string timeColumn, int k)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(timeColumn);
        return TimeSplitter.ForwardChaining(table, timeColumn, k);
    }

    /// <summary>Carries out a stored <see cref="SplitPlan"/>.</summary>
    /// <param name="table">The rows to split.</param>
    /// <param name="plan">How to split them.</param>
    /// <exception cref="FerryException">As the method the plan's strategy selects; usage <c>SPLIT_COLUMN_REQUIRED</c> when a group or time plan names no column.</exception>
    public static Split Apply(Table table, SplitPlan plan)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Strategy switch
        {
            SplitStrategy.Stratified => TrainValidationTest(table, plan.Column, plan.ValidationFraction, plan.TestFraction, plan.Seed),
            SplitStrategy.Group => ByGroup(table, RequirePlanColumn(plan), plan.ValidationFraction, plan.TestFraction, plan.Seed),
            SplitStrategy.Time => ByTime(table, RequirePlanColumn(plan), plan.ValidationFraction, plan.TestFraction),
            _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Strategy, "unknown split strategy"),
        };
    }

    private static string RequirePlanColumn(SplitPlan plan) =>
        plan.Column ?? throw FerryException.Usage(
            "SPLIT_COLUMN_REQUIRED",
            $"A {plan.Strategy.ToString().ToLowerInvariant()} split needs a column to {(plan.Strategy == SplitStrategy.Time ? "order rows by" : "group rows by")}; name one.");
}
