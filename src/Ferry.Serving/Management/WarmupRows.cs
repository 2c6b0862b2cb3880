using Ferry.Data.Schema;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Management;

/// <summary>
/// Rows built from a signature alone, to run a freshly loaded version before it takes traffic: the first prediction
/// pays for JIT compilation and lazy initialisation, and a version that cannot predict at all fails here instead of
/// on a user's request.
/// </summary>
internal static class WarmupRows
{
    /// <summary>
    /// A few rows: numbers at the middle of their training range, the first category seen, a fixed date and text.
    /// Null for image models that read image files (they have no rows to make up).
    /// </summary>
    public static Table? For(ModelSignature signature, int rows = 4)
    {
        if (signature.Image is not null && signature.Inputs.Any(i => i.Kind != ColumnKind.Numeric))
        {
            return null;
        }

        var columns = new List<Column>();
        foreach (var input in signature.Inputs)
        {
            if (input.Kind == ColumnKind.Numeric)
            {
                var middle = input.Min is { } min && input.Max is { } max ? (min + max) / 2 : 0;
                columns.Add(new NumericColumn(input.Name, [.. Enumerable.Repeat(middle, rows)]));
            }
            else
            {
                var value = input.Categories is { Count: > 0 } categories ? categories[0]
                    : input.Kind == ColumnKind.DateTime ? "2020-01-01"
                    : "warm up";
                columns.Add(StringColumn.FromValues(input.Name, Enumerable.Repeat<string?>(value, rows)));
            }
        }

        return new Table(columns);
    }
}
