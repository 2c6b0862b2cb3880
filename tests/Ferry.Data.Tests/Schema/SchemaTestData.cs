using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Schema;

/// <summary>
/// Test-only table builders over <see cref="TestSamples"/>'s naive sample reader (comma, header, no quotes,
/// empty = missing): all-numeric columns become <see cref="NumericColumn"/>, others <see cref="StringColumn"/>.
/// The real CSV reader lives elsewhere; these tests must not depend on it.
/// </summary>
internal static class SchemaTestData
{
    public static Table Sample(string name) => TestSamples.ReadNaive(name + ".csv");

    public static Table ParseCsv(string text) => TestSamples.ParseNaive(text);

    public static NumericColumn Num(string name, params double[] values) => new(name, values);

    public static StringColumn Str(string name, params string?[] values) => StringColumn.FromValues(name, values);

    /// <summary>A table with one more column.</summary>
    public static Table With(this Table table, Column column) => new([.. table.Columns, column]);

    /// <summary>A table without the named column.</summary>
    public static Table Without(this Table table, string name) => new(table.Columns.Where(c => c.Name != name));
}
