namespace Ferry.Data.Tables;

/// <summary>An immutable, column-oriented table: named columns of equal length.</summary>
public sealed class Table
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a table; every column must have the same length and a distinct name.</summary>
    /// <exception cref="ArgumentException">Lengths differ or a name repeats.</exception>
    public Table(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _columns.Length; i++)
        {
            var column = _columns[i];
            if (!_index.TryAdd(column.Name, i))
            {
                throw new ArgumentException($"column name '{column.Name}' appears twice", nameof(columns));
            }

            if (column.Length != _columns[0].Length)
            {
                throw new ArgumentException(
                    $"column '{column.Name}' has {column.Length} rows but '{_columns[0].Name}' has {_columns[0].Length}", nameof(columns));
            }
        }
    }

    /// <summary>The columns in source order.</summary>
    public IReadOnlyList<Column> Columns => _columns;

    /// <summary>The number of rows.</summary>
    public int RowCount => _columns.Length == 0 ? 0 : _columns[0].Length;

    /// <summary>The number of columns.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>The column called <paramref name="name"/> (ordinal, case-sensitive).</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public Column this[string name] =>
        TryGetColumn(name, out var column) ? column : throw new KeyNotFoundException($"no column named '{name}'");

    /// <summary>Looks a column up by name.</summary>
    public bool TryGetColumn(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Column? column)
    {
        if (_index.TryGetValue(name, out var i))
        {
            column = _columns[i];
            return true;
        }

        column = null;
        return false;
    }

    /// <summary>The position of a column, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>A new table holding only the given rows, in the given order.</summary>
    public Table SelectRows(ReadOnlySpan<int> rows)
    {
        var columns = new Column[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            columns[i] = _columns[i].SelectRows(rows);
        }

        return new Table(columns);
    }
}
