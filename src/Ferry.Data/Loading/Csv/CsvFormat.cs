namespace Ferry.Data.Loading.Csv;

/// <summary>How CSV settings are shown to users.</summary>
internal static class CsvFormat
{
    /// <summary>A delimiter as a user would name it: <c>','</c>, <c>';'</c>, <c>'|'</c> or <c>tab</c>.</summary>
    public static string Show(char delimiter) => delimiter == '\t' ? "tab" : $"'{delimiter}'";

    /// <summary>The load's format line, for example <c>csv (delimiter ',', header, UTF-8)</c>.</summary>
    public static string Describe(char delimiter, bool hasHeader, string encoding) =>
        $"csv (delimiter {Show(delimiter)}, {(hasHeader ? "header" : "no header")}, {encoding})";
}
