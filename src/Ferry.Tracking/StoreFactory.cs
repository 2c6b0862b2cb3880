using Ferry.Tracking.Storage.Postgres;
using Ferry.Tracking.Storage.Sqlite;
using Npgsql;

namespace Ferry.Tracking;

/// <summary>Opens the tracking store a URI names: <c>sqlite:///abs/path.db</c> or a plain path for SQLite, <c>postgresql://user:pass@host:port/db</c> for PostgreSQL.</summary>
public static class StoreFactory
{
    private const string KnownSchemes = "sqlite:///absolute/path.db, a plain file path, postgresql://user:password@host:port/database or postgres://…";

    /// <summary>Opens (and migrates) the store named by <paramref name="uri"/> with default options.</summary>
    /// <exception cref="FerryException">STORE_URI_INVALID (usage) for an unknown scheme or a malformed URI.</exception>
    public static Task<ITrackingStore> OpenAsync(string uri, TimeProvider time, CancellationToken cancellationToken) =>
        OpenAsync(uri, TrackingStoreOptions.Default, time, cancellationToken);

    /// <summary>Opens (and migrates) the store named by <paramref name="uri"/>.</summary>
    /// <exception cref="FerryException">STORE_URI_INVALID (usage) for an unknown scheme or a malformed URI.</exception>
    public static async Task<ITrackingStore> OpenAsync(string uri, TrackingStoreOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var target = Parse(uri);
        return target.Kind == StoreKind.Sqlite
            ? await SqliteTrackingStore.OpenAsync(target.Location, options, time, cancellationToken)
            : await PostgresTrackingStore.OpenAsync(target.Location, options, time, cancellationToken);
    }

    internal enum StoreKind
    {
        Sqlite,
        Postgres,
    }

    /// <summary>Which store a URI names, and its file path or Npgsql connection string.</summary>
    internal static (StoreKind Kind, string Location) Parse(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw Invalid(uri, "it is empty");
        }

        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd > 0 && uri[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')
            ? uri[..schemeEnd].ToLowerInvariant()
            : null;
        switch (scheme)
        {
            case null:
                return (StoreKind.Sqlite, uri);
            case "sqlite":
                // sqlite:///abs/path.db and SQLAlchemy's sqlite:////abs/path.db both name /abs/path.db.
                var path = uri[(schemeEnd + 3)..];
                return path.Length > 1 && path.StartsWith('/')
                    ? (StoreKind.Sqlite, "/" + path.TrimStart('/'))
                    : throw Invalid(uri, "a SQLite URI needs an absolute path after 'sqlite://', as in sqlite:///home/me/ferry.db");
            case "postgresql" or "postgres":
                return (StoreKind.Postgres, ToConnectionString(uri));
            default:
                throw Invalid(uri, $"the scheme '{scheme}' is not known");
        }
    }

    private static string ToConnectionString(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw Invalid(uri, "it is not a well-formed postgresql://user:password@host:port/database URI");
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.Trim('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid(uri, "it names no database: end it with /database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = database,
        };
        if (parsed.UserInfo.Length > 0)
        {
            var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                // libpq spells it sslmode; Npgsql accepts its own keywords, with or without spaces.
                builder[key == "sslmode" ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException e)
            {
                throw FerryException.Usage("STORE_URI_INVALID", $"the store URI option '{key}' is not an Npgsql connection option ({e.Message})");
            }
        }

        return builder.ConnectionString;
    }

    private static FerryException Invalid(string? uri, string why) =>
        FerryException.Usage("STORE_URI_INVALID", $"cannot open the tracking store '{Redact(uri)}': {why}; use {KnownSchemes}");

    /// <summary>Hides a password in a URI that goes into a message.</summary>
    private static string Redact(string? uri)
    {
        if (uri is null)
        {
            return "";
        }

        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || schemeEnd < 0 || at < schemeEnd)
        {
            return uri;
        }

        var colon = uri.IndexOf(':', schemeEnd + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
