namespace Ferry;

/// <summary>What kind of failure an error is, which decides the CLI exit code and, later, the HTTP status.</summary>
public enum ErrorKind
{
    /// <summary>The caller asked for something malformed (a bad argument or option). CLI exit code 2.</summary>
    Usage,

    /// <summary>The input data or file is invalid (bad rows in strict mode, unreadable file). Exit code 1.</summary>
    InvalidInput,

    /// <summary>A named thing (file, dataset, version) does not exist. Exit code 1.</summary>
    NotFound,

    /// <summary>The request conflicts with stored state (for example a newer store schema). Exit code 1.</summary>
    Conflict,

    /// <summary>The operation was cancelled by the user.</summary>
    Cancelled,

    /// <summary>Something needed is not ready or is overloaded now; the same call may work later (HTTP 503). Exit code 1.</summary>
    Unavailable,
}

/// <summary>
/// An error Ferry expects and can explain: it carries a stable code, a kind and, where known,
/// the place (file, line, column) the problem is at, so every layer can report it the same way.
/// </summary>
public class FerryException : Exception
{
    /// <summary>Creates an error.</summary>
    /// <param name="kind">What kind of failure this is.</param>
    /// <param name="code">A stable, upper-snake-case code, for example <c>CSV_UNTERMINATED_QUOTE</c>.</param>
    /// <param name="message">A sentence that names the problem and, where it can, the fix.</param>
    /// <param name="location">Where the problem is, if it is in a file.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public FerryException(ErrorKind kind, string code, string message, SourceLocation? location = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Code = code;
        Location = location;
    }

    /// <summary>What kind of failure this is.</summary>
    public ErrorKind Kind { get; }

    /// <summary>A stable code for scripts and tests.</summary>
    public string Code { get; }

    /// <summary>Where in a file the problem is, if anywhere.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The message prefixed with its location, as a user should read it.</summary>
    public string Describe() => Location is null ? Message : $"{Location}: {Message}";

    /// <summary>A usage error: a malformed argument or option.</summary>
    public static FerryException Usage(string code, string message) => new(ErrorKind.Usage, code, message);

    /// <summary>Invalid input data, at an optional location.</summary>
    public static FerryException Invalid(string code, string message, SourceLocation? location = null, Exception? inner = null) =>
        new(ErrorKind.InvalidInput, code, message, location, inner);

    /// <summary>A named thing was not found.</summary>
    public static FerryException NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);

    /// <summary>The request conflicts with stored state.</summary>
    public static FerryException Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    /// <summary>Creates an <see cref="ErrorKind.Unavailable"/> error: not ready or overloaded now, worth retrying.</summary>
    public static FerryException Unavailable(string code, string message) => new(ErrorKind.Unavailable, code, message);
}
