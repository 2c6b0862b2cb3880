using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Data.Tables;
using Ferry.Learn;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>Writes a table's rows in each protocol's request layouts, as a client would send them.</summary>
internal static class RequestBodies
{
    /// <summary>A cell as JSON: a number, a string, or null when missing.</summary>
    public static JsonNode? Cell(Column column, int row) => column switch
    {
        _ when column.IsMissing(row) => null,
        NumericColumn numbers => JsonValue.Create(numbers[row]),
        _ => JsonValue.Create(column.GetText(row)),
    };

    /// <summary><c>[{column: value}, ...]</c> in signature order.</summary>
    public static JsonArray Records(Table table, ModelSignature signature)
    {
        var rows = new JsonArray();
        for (var r = 0; r < table.RowCount; r++)
        {
            var row = new JsonObject();
            foreach (var input in signature.Inputs)
            {
                row[input.Name] = Cell(table[input.Name], r);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary><c>{column: [value, ...]}</c>.</summary>
    public static JsonObject Columns(Table table, ModelSignature signature)
    {
        var columns = new JsonObject();
        foreach (var input in signature.Inputs)
        {
            var column = table[input.Name];
            columns[input.Name] = new JsonArray([.. Enumerable.Range(0, table.RowCount).Select(r => Cell(column, r))]);
        }

        return columns;
    }

    /// <summary>pandas' split orient: <c>{"columns": [...], "data": [[...]]}</c>.</summary>
    public static JsonObject Split(Table table, ModelSignature signature)
    {
        var data = new JsonArray();
        for (var r = 0; r < table.RowCount; r++)
        {
            data.Add(new JsonArray([.. signature.Inputs.Select(i => Cell(table[i.Name], r))]));
        }

        return new JsonObject
        {
            ["columns"] = new JsonArray([.. signature.Inputs.Select(i => JsonValue.Create(i.Name))]),
            ["data"] = data,
            ["index"] = new JsonArray([.. Enumerable.Range(0, table.RowCount).Select(r => JsonValue.Create(r))]),
        };
    }

    /// <summary>Open Inference inputs, one tensor per input: FP64 for numbers, BYTES for text; shape [N] or [N, 1].</summary>
    public static JsonArray Tensors(Table table, ModelSignature signature, bool columnShape = false)
    {
        var tensors = new JsonArray();
        foreach (var input in signature.Inputs)
        {
            var column = table[input.Name];
            tensors.Add(new JsonObject
            {
                ["name"] = input.Name,
                ["shape"] = columnShape ? new JsonArray(table.RowCount, 1) : new JsonArray(table.RowCount),
                ["datatype"] = column is NumericColumn ? "FP64" : "BYTES",
                ["data"] = new JsonArray([.. Enumerable.Range(0, table.RowCount).Select(r => Cell(column, r))]),
            });
        }

        return tensors;
    }

    /// <summary>Open Inference inputs as one [N, F] FP32 tensor, data nested by row.</summary>
    public static JsonArray Matrix(Table table, ModelSignature signature, string name = "input-0")
    {
        var data = new JsonArray();
        for (var r = 0; r < table.RowCount; r++)
        {
            data.Add(new JsonArray([.. signature.Inputs.Select(i => Cell(table[i.Name], r))]));
        }

        return
        [
            new JsonObject
            {
                ["name"] = name,
                ["shape"] = new JsonArray(table.RowCount, signature.Inputs.Count),
                ["datatype"] = "FP64",
                ["data"] = data,
            },
        ];
    }

    /// <summary>A node as the element a server would have parsed from the body.</summary>
    public static JsonElement Element(JsonNode node) => JsonSerializer.Deserialize<JsonElement>(node.ToJsonString());

    /// <summary>A node as the UTF-8 body a client sends.</summary>
    public static ReadOnlyMemory<byte> Utf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    /// <summary>The first rows of a table.</summary>
    public static Table Head(Table table, int rows) => table.SelectRows([.. Enumerable.Range(0, rows)]);

    /// <summary>The first rows of a table that have no missing value.</summary>
    public static Table Complete(Table table, int rows) =>
        table.SelectRows([.. Enumerable.Range(0, table.RowCount).Where(r => table.Columns.All(c => !c.IsMissing(r))).Take(rows)]);
}
