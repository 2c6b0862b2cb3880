using System.Globalization;
using Ferry.Tracking.Model;

namespace Ferry.Tracking.Storage;

/// <summary>How enums and ids are written in the tables, as the layout shared with the search translator fixes them.</summary>
internal static class StoreText
{
    public const string Active = "active";
    public const string Deleted = "deleted";

    public static string Stage(LifecycleStage stage) => stage == LifecycleStage.Deleted ? Deleted : Active;

    public static LifecycleStage Stage(string text) => text == Deleted ? LifecycleStage.Deleted : LifecycleStage.Active;

    public static string Status(RunStatus status) => status.ToString().ToUpperInvariant();

    public static RunStatus Status(string text) => Enum.Parse<RunStatus>(text, ignoreCase: true);

    /// <summary>The lifecycle stages a view type selects, as SQL literals.</summary>
    public static string StagesSql(ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => "('active')",
        ViewType.DeletedOnly => "('deleted')",
        _ => "('active', 'deleted')",
    };

    /// <summary>Experiment ids are integers on disk and strings on the wire; anything else names no experiment.</summary>
    public static bool TryExperimentId(string? text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    public static string ExperimentId(long id) => id.ToString(CultureInfo.InvariantCulture);
}
