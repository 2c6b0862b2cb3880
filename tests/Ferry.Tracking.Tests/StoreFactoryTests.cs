using Ferry.Tracking.Storage;
using Npgsql;

namespace Ferry.Tracking.Tests;

public sealed class StoreFactoryTests
{
    [Theory]
    [InlineData("sqlite:///srv/ferry/tracking.db", "/srv/ferry/tracking.db")]
    [InlineData("sqlite:////srv/ferry/tracking.db", "/srv/ferry/tracking.db")]
    [InlineData("tracking.db", "tracking.db")]
    [InlineData("/var/lib/ferry/store.db", "/var/lib/ferry/store.db")]
    public void Sqlite_uris_and_plain_paths_name_a_file(string uri, string path)
    {
        Assert.Equal((StoreFactory.StoreKind.Sqlite, path), StoreFactory.Parse(uri));
    }

    [Fact]
    public void Postgres_uri_becomes_an_npgsql_connection_string()
    {
        var (kind, location) = StoreFactory.Parse("postgresql://ana:p%40ss%3Aword@db.internal:6543/ferry_prod?sslmode=require");

        Assert.Equal(StoreFactory.StoreKind.Postgres, kind);
        var builder = new NpgsqlConnectionStringBuilder(location);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("ferry_prod", builder.Database);
        Assert.Equal("ana", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void Postgres_short_scheme_defaults_the_port()
    {
        var (kind, location) = StoreFactory.Parse("postgres://localhost/ferry");

        Assert.Equal(StoreFactory.StoreKind.Postgres, kind);
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(location).Port);
    }

    [Theory]
    [InlineData("mysql://root:secret@localhost/ferry", "mysql")]
    [InlineData("postgresql://ana:secret@localhost", "database")]
    [InlineData("sqlite://", "absolute path")]
    [InlineData("postgresql://ana:secret@localhost/ferry?warp=9", "warp")]
    [InlineData(" ", "empty")]
    public void Bad_uris_are_usage_errors_that_list_the_schemes_and_hide_passwords(string uri, string named)
    {
        var error = Assert.Throws<FerryException>(() => StoreFactory.Parse(uri));

        Assert.Equal("STORE_URI_INVALID", error.Code);
        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        if (named != "warp")
        {
            Assert.Contains("sqlite:///", error.Message, StringComparison.Ordinal);
            Assert.Contains("postgresql://", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unreachable_postgres_server_is_reported_without_the_password()
    {
        // Port 1 on loopback refuses at once: nothing listens there.
        var error = await Assert.ThrowsAsync<FerryException>(
            () => StoreFactory.OpenAsync("postgresql://ana:secret@127.0.0.1:1/ferry", TimeProvider.System, CancellationToken.None));

        Assert.Equal("STORE_UNREACHABLE", error.Code);
        Assert.Contains("127.0.0.1:1/ferry", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1000L)]
    [InlineData(49_000L)]
    public void Page_tokens_round_trip_their_offset(long offset)
    {
        Assert.Equal(offset, PageToken.Decode(PageToken.Encode(offset)));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("eyJvZmZzZXQiOiAtMX0=")] // {"offset": -1}
    [InlineData("e30=")] // {}
    public void Foreign_page_tokens_are_invalid_parameter_values(string token)
    {
        var error = Assert.Throws<FerryException>(() => PageToken.Decode(token));

        Assert.Equal(TrackingErrors.InvalidParameterValue, error.Code);
        Assert.Contains("page_token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_tokens_are_mlflow_style_base64_json()
    {
        Assert.Equal("{\"offset\": 1000}", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(PageToken.Encode(1000))));
    }
}
