namespace Ferry.Learn.Search;

/// <summary>How a search spends its time and cores, the same for tables and images.</summary>
internal static class SearchBudget
{
    /// <summary>The share of the budget the trials may use; the rest is for refit, test and packaging.</summary>
    public const double SearchShare = 0.85;

    /// <summary>The least time kept for refit, test and packaging, however small the budget (at most half of it).</summary>
    public static readonly TimeSpan MinReserve = TimeSpan.FromSeconds(1.5);

    /// <summary>When no new trial may start: the budget's end less the reserve for refit, test and packaging.</summary>
    public static DateTimeOffset TrialDeadline(DateTimeOffset started, TimeSpan budget)
    {
        var reserve = budget * (1 - SearchShare);
        reserve = reserve < MinReserve ? (MinReserve < budget / 2 ? MinReserve : budget / 2) : reserve;
        return started + budget - reserve;
    }

    /// <summary>Trials run at once: as asked, else one per core (at most 4); one when deterministic.</summary>
    public static int Parallelism(SearchSettings settings) =>
        settings.Deterministic ? 1 : settings.Parallelism ?? Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>The most trials: as asked, else 24 when deterministic (so the leaderboard repeats), unlimited otherwise.</summary>
    public static int MaxTrials(SearchSettings settings) => settings.MaxTrials ?? (settings.Deterministic ? 24 : int.MaxValue);
}
