namespace Ferry.Data.Loading.Csv;

/// <summary>
/// A growable array for one column's values, sized up front from the estimated row count. One contiguous
/// array (rather than chunks) matters at the end: when it is copied into the column's exact-size array and
/// dropped, the hole it leaves fits the next column's array, so dead buffers do not pile up beside finished ones.
/// </summary>
internal sealed class ColumnBuffer<T>
    where T : unmanaged
{
    private T[] _items;

    /// <summary>Creates a buffer with room for <paramref name="capacity"/> items.</summary>
    /// <remarks>Uninitialized memory is not resident until written, so a generous estimate costs address space, not RAM.</remarks>
    public ColumnBuffer(int capacity) => _items = GC.AllocateUninitializedArray<T>(Math.Max(16, capacity));

    /// <summary>The number of items appended.</summary>
    public int Count { get; private set; }

    /// <summary>Gets or sets an item already appended.</summary>
    public T this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    /// <summary>Appends one item.</summary>
    public void Append(T item)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = item;
    }

    /// <summary>The items not flagged in <paramref name="removed"/> (all when null), as an array of exactly <paramref name="keptCount"/>.</summary>
    public T[] ToArray(bool[]? removed, int keptCount)
    {
        if (removed is null && keptCount == _items.Length)
        {
            return _items; // the estimate was exact: hand the array over
        }

        var result = GC.AllocateUninitializedArray<T>(keptCount);
        if (removed is null)
        {
            _items.AsSpan(0, keptCount).CopyTo(result);
            return result;
        }

        var target = 0;
        for (var i = 0; i < Count; i++)
        {
            if (!removed[i])
            {
                result[target++] = _items[i];
            }
        }

        return result;
    }

    /// <summary>Drops the items so the memory can be reclaimed.</summary>
    public void Clear()
    {
        _items = [];
        Count = 0;
    }

    private void Grow()
    {
        var size = (int)Math.Min(Array.MaxLength, Math.Max(16, _items.Length + (_items.Length / 2)));
        if (size == _items.Length)
        {
            throw new InvalidOperationException("column buffer is full");
        }

        var grown = GC.AllocateUninitializedArray<T>(size);
        _items.AsSpan(0, Count).CopyTo(grown);
        _items = grown;
    }
}
