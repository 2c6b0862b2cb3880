using Npgsql;

using Ferry.Tracking.Search;

namespace Ferry.Tracking.Tests.Search.Sql;

/// <summary>Turns a <c>postgresql://user:password@host:port/database?sslmode=…</c> URI into an Npgsql connection string.</summary>
internal static class PostgresUri
{
    public const string Variable = "FERRY_TEST_POSTGRES";

    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } uri ? uri : null;

    public static string ToConnectionString(string uri)
    {
        var parsed = new Uri(uri);
        if (parsed.Scheme is not ("postgresql" or "postgres"))
        {
            throw new ArgumentException($"{Variable} must be a postgresql:// URI, got '{uri}'.", nameof(uri));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port <= 0 ? 5432 : parsed.Port,
            Database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
            Pooling = false,
        };
        if (parsed.UserInfo.Length > 0)
        {
            var parts = parsed.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "sslmode")
            {
                builder.SslMode = Enum.Parse<SslMode>(kv[1].Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
            }
        }

        return builder.ToString();
    }
}

/// <summary>A fact that runs only when <c>FERRY_TEST_POSTGRES</c> names a PostgreSQL server.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresUri.FromEnvironment() is null)
        {
            Skip = $"{PostgresUri.Variable} is not set (a postgresql:// URI); the PostgreSQL leg is skipped.";
        }
    }
}

/// <summary>A theory that runs only when <c>FERRY_TEST_POSTGRES</c> names a PostgreSQL server.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresUri.FromEnvironment() is null)
        {
            Skip = $"{PostgresUri.Variable} is not set (a postgresql:// URI); the PostgreSQL leg is skipped.";
        }
    }
}
