using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Ferry.Tracking.Storage;

/// <summary>Small ADO.NET helpers shared by both stores; parameters are named <c>@name</c>, which SQLite and Npgsql both accept.</summary>
internal static class Db
{
    [SuppressMessage("Security", "CA2100", Justification = "SQL text is built only from the store's own constants and generated parameter names; values are always parameters.")]
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return command;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Builds <c>@prefix0, @prefix1, …</c> for an IN list and adds the values.</summary>
    public static string InList<T>(DbCommand command, string prefix, IReadOnlyList<T> values)
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = "@" + prefix + i.ToString(CultureInfo.InvariantCulture);
            Add(command, names[i], values[i]);
        }

        return string.Join(", ", names);
    }

    public static long Long(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static long? NullableLong(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Long(reader, ordinal);

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static bool Bool(DbDataReader reader, int ordinal) => Convert.ToBoolean(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    /// <summary>Reads a metric value stored as (value, is_nan): NaN is kept as NULL plus a flag because SQLite cannot hold NaN.</summary>
    public static double MetricValue(DbDataReader reader, int valueOrdinal, int isNanOrdinal) =>
        Bool(reader, isNanOrdinal) ? double.NaN : reader.GetDouble(valueOrdinal);

    public static object? MetricValueParameter(double value) => double.IsNaN(value) ? null : value;
}
