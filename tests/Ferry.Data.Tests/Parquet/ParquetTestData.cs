using Ferry.Data.Tables;

namespace Ferry.Data.Tests.Parquet;

/// <summary>
/// Test-only access to samples/: finds the folder and turns a sample CSV into a Table with a deliberately
/// trivial parser (the samples have no quotes; an empty field is missing; a column is numeric when every
/// present value parses). The real CSV reader is tested elsewhere.
/// </summary>
internal static class ParquetTestData
{
    public static string Sample(string name) => TestSamples.PathOf(name);

    public static Table ReadSampleCsv(string name) => TestSamples.ReadNaive(name);
}
