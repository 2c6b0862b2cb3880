namespace Ferry;

/// <summary>
/// The folder where Ferry keeps its store and reports. Chosen by <c>--home</c>, else the
/// <c>FERRY_HOME</c> environment variable (read only by the CLI), else <c>./.ferry</c>.
/// </summary>
public sealed class FerryHome
{
    /// <summary>The default folder name, relative to the working directory.</summary>
    public const string DefaultFolder = ".ferry";

    /// <summary>Creates a home rooted at <paramref name="root"/>; nothing is created on disk until asked.</summary>
    public FerryHome(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The absolute path of the home folder.</summary>
    public string Root { get; }

    /// <summary>The SQLite store file.</summary>
    public string StorePath => Path.Combine(Root, "ferry.db");

    /// <summary>The folder that holds generated reports.</summary>
    public string ReportsPath => Path.Combine(Root, "reports");

    /// <summary>Picks the home from an explicit option, then an environment value, then the default.</summary>
    public static FerryHome Resolve(string? option, string? environment) =>
        new(!string.IsNullOrWhiteSpace(option) ? option
            : !string.IsNullOrWhiteSpace(environment) ? environment
            : DefaultFolder);

    /// <summary>Creates the home folder if it is missing and returns its path.</summary>
    public string EnsureCreated()
    {
        Directory.CreateDirectory(Root);
        return Root;
    }
}
