using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ferry.Data.Loading.Csv;
using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Loading;

/// <summary>
/// A table written by <see cref="CsvTableWriter"/> and read back by <see cref="CsvTableReader"/> holds the same values.
/// </summary>
/// <remarks>
/// The generators are constrained only where CSV itself cannot carry the difference, and say so:
/// <list type="bullet">
/// <item>A string equal to a missing token (<c>""</c>, <c>NA</c>, <c>null</c>…) reads back as missing: such values are not generated.</item>
/// <item>A string column whose present values all look like numbers reads back as numbers: each string column
/// gets at least one value with a letter that no number contains ('x').</item>
/// <item>Tables have 1-40 rows: the "overwhelmingly numeric" rule (at least 200 numbers) never applies, and a
/// header with no data rows is an error rather than an empty table.</item>
/// <item>Column names contain '_', which values never do, so a name can never reappear as a value below it
/// (that would, rightly, make header detection read the first row as data).</item>
/// </list>
/// Values do include commas, quotes, CR/LF, tabs, semicolons, pipes, leading and trailing spaces, non-ASCII
/// letters, surrogate pairs and number-like texts (<c>007</c>, <c>1.0</c>) inside string columns.
/// </remarks>
public sealed class CsvRoundTripProperties
{
    [Property(MaxTest = 150, Arbitrary = [typeof(RandomTables)])]
    public async Task A_written_table_reads_back_the_same(TableCase generated)
    {
        var table = generated.Table;
        using var folder = new CsvTempFolder();
        var path = folder.File("t.csv");

        await CsvTableWriter.WriteAsync(table, path, CancellationToken.None);
        var back = (await CsvLoad.FileAsync(path)).Table;

        Assert.Equal(table.Columns.Select(c => c.Name), back.Columns.Select(c => c.Name));
        Assert.Equal(table.RowCount, back.RowCount);
        for (var c = 0; c < table.ColumnCount; c++)
        {
            Assert.Equal(table.Columns[c].GetType(), back.Columns[c].GetType());
            for (var row = 0; row < table.RowCount; row++)
            {
                Assert.Equal(table.Columns[c].GetText(row), back.Columns[c].GetText(row));
            }
        }
    }

    /// <summary>A generated table that prints its values when a case fails.</summary>
    public sealed record TableCase(Table Table)
    {
        public override string ToString() =>
            string.Join(" | ", Table.Columns.Select(c =>
                $"{c.GetType().Name} {Quote(c.Name)}: [{string.Join(", ", Enumerable.Range(0, c.Length).Select(r => Quote(c.GetText(r))))}]"));

        private static string Quote(string? text) =>
            text is null ? "null" : "\"" + text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    public static class RandomTables
    {
        private static readonly string[] Pieces =
            ["a", "b", "Z", "x", " ", ",", "\"", "\n", "\r", "\r\n", "\t", ";", "|", "é", "中", "😀", "1", "0", ".", "-", "e", "None", "N"];

        private static readonly string[] NumberLike = ["007", "1.0", "12", "-0", "1e3", " 5", "0.50", "+1", "Infinity"];

        public static Arbitrary<TableCase> Tables() =>
            (from rows in Gen.Choose(1, 40)
             from count in Gen.Choose(1, 5)
             from columns in Gen.CollectToArray(Enumerable.Range(0, count), i => ColumnGen(i, rows))
             select new TableCase(new Table(columns))).ToArbitrary();

        private static Gen<Column> ColumnGen(int index, int rows) =>
            from numeric in Gen.Elements(true, false)
            from suffix in Gen.Elements("", "price", "Größe", "a b", "x,y", "q\"t")
            let name = $"c_{index}{suffix}"
            from column in numeric ? NumericGen(name, rows) : StringGen(name, rows)
            select column;

        private static Gen<Column> NumericGen(string name, int rows) =>
            Gen.Frequency(
                    (4, Gen.Choose(-1000, 1000).Select(i => (double)i)),
                    (4, ArbMap.Default.GeneratorFor<double>()),
                    (2, Gen.Choose(-100_000, 100_000).Select(i => i / 1000.0)),
                    (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, 1e21, 1e-7)))
                .ArrayOf(rows)
                .Select(values => (Column)new NumericColumn(name, values));

        private static Gen<Column> StringGen(string name, int rows) =>
            Gen.Frequency(
                    (1, Gen.Constant<string?>(null)),
                    (1, Gen.Elements(NumberLike).Select(s => (string?)s)),
                    (6, Gen.Elements(Pieces).ArrayOf().Select(p => (string?)string.Concat(p))))
                .Select(v => v is not null && CsvValues.IsMissing(v) ? null : v)
                .ArrayOf(rows)
                .Select(values =>
                {
                    if (!values.Any(v => v?.Contains('x', StringComparison.Ordinal) == true))
                    {
                        values[0] = "x" + values[0];
                    }

                    return (Column)StringColumn.FromValues(name, values);
                });
    }
}
