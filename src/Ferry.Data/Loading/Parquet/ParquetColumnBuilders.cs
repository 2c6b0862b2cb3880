using System.Buffers;
using System.Globalization;
using System.Numerics;
using Ferry.Data.Tables;
using global::Parquet;
using global::Parquet.Schema;

namespace Ferry.Data.Loading.Parquet;

/// <summary>Reads one flat Parquet column row group by row group and collects it into a table column.</summary>
internal abstract class ParquetColumnBuilder(DataField field)
{
    /// <summary>The Parquet field this column comes from.</summary>
    public DataField Field { get; } = field;

    /// <summary>Reads the column's values in <paramref name="group"/> into rows <paramref name="offset"/> onward.</summary>
    public abstract ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int rows, CancellationToken cancellationToken);

    /// <summary>The finished column.</summary>
    public abstract Column Build();

    /// <summary>A note for the user about this column (precision lost and the like), if any.</summary>
    public virtual string? Note => null;

    /// <summary>
    /// Reads <paramref name="rows"/> values of a struct-typed column through a pooled buffer and hands each one
    /// (null where missing) to <paramref name="store"/> with its row index relative to the group.
    /// </summary>
    protected async ValueTask ReadStructsAsync<T>(ParquetRowGroupReader group, int rows, Action<int, T?> store, CancellationToken cancellationToken)
        where T : struct
    {
        if (Field.MaxDefinitionLevel == 0)
        {
            // A required column: Parquet.Net reads it into a non-nullable buffer only.
            var buffer = ArrayPool<T>.Shared.Rent(rows);
            try
            {
                await group.ReadAsync(Field, buffer.AsMemory(0, rows), null, cancellationToken);
                for (var i = 0; i < rows; i++)
                {
                    store(i, buffer[i]);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }

            return;
        }

        var nullable = ArrayPool<T?>.Shared.Rent(rows);
        try
        {
            await group.ReadAsync(Field, nullable.AsMemory(0, rows), null, cancellationToken);
            for (var i = 0; i < rows; i++)
            {
                store(i, nullable[i]);
            }
        }
        finally
        {
            ArrayPool<T?>.Shared.Return(nullable);
        }
    }

    /// <summary>A builder for <paramref name="field"/>, or null when its type has no table equivalent.</summary>
    public static ParquetColumnBuilder? Create(DataField field, int rowCount)
    {
        var type = field.ClrType;
        if (field is TimeDataField time)
        {
            return time.Precision switch
            {
                TimeUnitPrecision.Millis => new FormattedColumnBuilder<int>(field, rowCount, v => FormatTime(v * TimeSpan.TicksPerMillisecond)),
                TimeUnitPrecision.Micros => new FormattedColumnBuilder<long>(field, rowCount, v => FormatTime(v * 10)),
                _ => new FormattedColumnBuilder<long>(field, rowCount, v => FormatTime(v / 100)),
            };
        }

        return type switch
        {
            _ when type == typeof(sbyte) => new NumericColumnBuilder<sbyte>(field, rowCount),
            _ when type == typeof(byte) => new NumericColumnBuilder<byte>(field, rowCount),
            _ when type == typeof(short) => new NumericColumnBuilder<short>(field, rowCount),
            _ when type == typeof(ushort) => new NumericColumnBuilder<ushort>(field, rowCount),
            _ when type == typeof(int) => new NumericColumnBuilder<int>(field, rowCount),
            _ when type == typeof(uint) => new NumericColumnBuilder<uint>(field, rowCount),
            _ when type == typeof(long) => new NumericColumnBuilder<long>(field, rowCount),
            _ when type == typeof(ulong) => new NumericColumnBuilder<ulong>(field, rowCount),
            _ when type == typeof(Half) => new NumericColumnBuilder<Half>(field, rowCount),
            _ when type == typeof(float) => new NumericColumnBuilder<float>(field, rowCount),
            _ when type == typeof(double) => new NumericColumnBuilder<double>(field, rowCount),
            _ when type == typeof(decimal) => new NumericColumnBuilder<decimal>(field, rowCount),

            // "true"/"false" is what a CSV holding the same data says, so both files give the same table.
            _ when type == typeof(bool) => new FormattedColumnBuilder<bool>(field, rowCount, v => v ? "true" : "false"),
            _ when type == typeof(DateTime) => new FormattedColumnBuilder<DateTime>(field, rowCount, FormatDateTime),
            _ when type == typeof(DateOnly) => new FormattedColumnBuilder<DateOnly>(field, rowCount, FormatDate),
            _ when type == typeof(Guid) => new FormattedColumnBuilder<Guid>(field, rowCount, v => v.ToString("D")),
            _ when type == typeof(ReadOnlyMemory<char>) || type == typeof(string) => new StringColumnBuilder(field, rowCount),
            _ => null,
        };
    }

    /// <summary>ISO 8601 date, invariant.</summary>
    internal static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// ISO 8601 timestamp. UTC-adjusted timestamps end in "Z"; local (naive) timestamps get no offset, because
    /// Parquet.Net marks them as machine-local and printing this machine's offset would make the text depend on
    /// where the file is read.
    /// </summary>
    internal static string FormatDateTime(DateTime value)
    {
        var stable = value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        return stable.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture);
    }

    private static string FormatTime(long ticks) =>
        ticks is >= 0 and < TimeSpan.TicksPerDay
            ? new TimeOnly(ticks).ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')
            : throw new InvalidDataException($"time of day {ticks} ticks is outside one day");
}

/// <summary>Numbers of any Parquet width are widened to double; missing values become NaN.</summary>
internal sealed class NumericColumnBuilder<T>(DataField field, int rowCount) : ParquetColumnBuilder(field)
    where T : struct, INumberBase<T>
{
    // Some 64-bit integers beyond 2^53 cannot be held by a double; they are often ids, so the user is told.
    // (Decimals lose digits past the 15th too, but that is noise for modelling and not worth a note.)
    private const double ExactIntegerLimit = 9007199254740992d;
    private static readonly bool CanLosePrecision = typeof(T) == typeof(long) || typeof(T) == typeof(ulong);

    private readonly double[] _values = new double[rowCount];
    private long _rounded;

    /// <inheritdoc />
    public override string? Note => _rounded == 0 ? null
        : $"column '{Field.Name}': {_rounded} integer value(s) are too large for a double and were rounded; if the column is an id, drop it";

    /// <inheritdoc />
    public override ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int rows, CancellationToken cancellationToken) =>
        ReadStructsAsync<T>(group, rows, (i, value) => _values[offset + i] = value is { } v ? Convert(v) : double.NaN, cancellationToken);

    /// <inheritdoc />
    public override Column Build() => new NumericColumn(Field.Name, _values);

    private double Convert(T value)
    {
        var d = double.CreateTruncating(value);
        if (CanLosePrecision && Math.Abs(d) >= ExactIntegerLimit && decimal.CreateTruncating(value) != (decimal)d)
        {
            _rounded++;
        }

        return d;
    }
}

/// <summary>Values that are not numbers or text (booleans, dates, times, UUIDs) become canonical text.</summary>
internal sealed class FormattedColumnBuilder<T>(DataField field, int rowCount, Func<T, string> format) : ParquetColumnBuilder(field)
    where T : struct
{
    private readonly DictionaryEncoder _encoder = new(rowCount);

    /// <inheritdoc />
    public override ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int rows, CancellationToken cancellationToken) =>
        ReadStructsAsync<T>(group, rows, (i, value) => _encoder.Set(offset + i, value is { } v ? format(v) : null), cancellationToken);

    /// <inheritdoc />
    public override Column Build() => _encoder.Build(Field.Name);
}

/// <summary>UTF-8 text columns; an empty string stays a value, only null is missing.</summary>
internal sealed class StringColumnBuilder(DataField field, int rowCount) : ParquetColumnBuilder(field)
{
    private readonly DictionaryEncoder _encoder = new(rowCount);

    /// <inheritdoc />
    public override async ValueTask ReadAsync(ParquetRowGroupReader group, int offset, int rows, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<string?>.Shared.Rent(rows);
        try
        {
            await group.ReadAsync(Field, buffer.AsMemory(0, rows), null, cancellationToken);
            for (var i = 0; i < rows; i++)
            {
                _encoder.Set(offset + i, buffer[i]);
            }
        }
        finally
        {
            ArrayPool<string?>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <inheritdoc />
    public override Column Build() => _encoder.Build(Field.Name);
}

/// <summary>Dictionary-encodes text as it arrives, so repeated categories are stored once.</summary>
internal sealed class DictionaryEncoder(int rowCount)
{
    private readonly int[] _codes = new int[rowCount];
    private readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);
    private readonly List<string> _dictionary = [];

    /// <summary>Sets row <paramref name="row"/>; null means missing.</summary>
    public void Set(int row, string? value)
    {
        if (value is null)
        {
            _codes[row] = StringColumn.MissingCode;
            return;
        }

        if (!_lookup.TryGetValue(value, out var code))
        {
            code = _dictionary.Count;
            _lookup.Add(value, code);
            _dictionary.Add(value);
        }

        _codes[row] = code;
    }

    /// <summary>The finished column.</summary>
    public StringColumn Build(string name) => new(name, _codes, [.. _dictionary]);
}
