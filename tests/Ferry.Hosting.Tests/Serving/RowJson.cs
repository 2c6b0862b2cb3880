using System.Text.Json.Nodes;
using Ferry.Data.Tables;

namespace Ferry.Hosting.Tests.Serving;

/// <summary>Rows of a table written as each protocol's request body.</summary>
internal static class RowJson
{
    private static JsonValue? Value(Column column, int row) =>
        column.IsMissing(row) ? null
            : column is NumericColumn numbers ? JsonValue.Create(numbers[row])
            : JsonValue.Create(column.GetText(row));

    /// <summary><c>[{column: value}, ...]</c> for the given rows.</summary>
    public static JsonArray Records(Table table, IEnumerable<int> rows) =>
        [.. rows.Select(r => (JsonNode)new JsonObject(table.Columns.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)Value(c, r)))))];

    /// <summary>An Open Inference request with one tensor per column.</summary>
    public static string OpenInference(Table table, IReadOnlyList<int> rows, string? id = null)
    {
        var inputs = new JsonArray([.. table.Columns.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["shape"] = new JsonArray(rows.Count),
            ["datatype"] = c is NumericColumn ? "FP64" : "BYTES",
            ["data"] = new JsonArray([.. rows.Select(r => Value(c, r))]),
        })]);
        var body = new JsonObject { ["inputs"] = inputs };
        if (id is not null)
        {
            body["id"] = id;
        }

        return body.ToJsonString();
    }

    /// <summary>MLflow's <c>dataframe_split</c>.</summary>
    public static string DataframeSplit(Table table, IReadOnlyList<int> rows) => new JsonObject
    {
        ["dataframe_split"] = new JsonObject
        {
            ["columns"] = new JsonArray([.. table.Columns.Select(c => (JsonNode)JsonValue.Create(c.Name))]),
            ["data"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonArray([.. table.Columns.Select(c => Value(c, r))]))]),
        },
    }.ToJsonString();
}
