namespace Ferry.Data.Loading.Csv;

/// <summary>
/// An append-only list stored in fixed-size chunks: growing never copies what is already there,
/// so a million-row column costs its size plus at most one chunk, not the 2x of a doubling list.
/// </summary>
internal sealed class ChunkedBuffer<T>
    where T : unmanaged
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = new T[4][];
    private int _chunkCount;
    private T[] _current = [];
    private int _position = ChunkSize; // forces a chunk on first append, without a branch on null
    private int _count;

    /// <summary>The number of items appended.</summary>
    public int Count => _count;

    /// <summary>Gets or sets an item already appended.</summary>
    public T this[int index]
    {
        get => _chunks[index >> ChunkShift][index & ChunkMask];
        set => _chunks[index >> ChunkShift][index & ChunkMask] = value;
    }

    /// <summary>Appends one item.</summary>
    public void Append(T item)
    {
        if (_position == ChunkSize)
        {
            AddChunk();
        }

        _current[_position++] = item;
        _count++;
    }

    /// <summary>Appends <paramref name="count"/> copies of <paramref name="item"/>.</summary>
    public void AppendRepeated(T item, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Append(item);
        }
    }

    /// <summary>Copies the items not flagged in <paramref name="removed"/> (all when null) into a new array of <paramref name="keptCount"/>.</summary>
    public T[] ToArray(bool[]? removed, int keptCount)
    {
        var result = GC.AllocateUninitializedArray<T>(keptCount);
        if (removed is null)
        {
            var offset = 0;
            for (var c = 0; c < _chunkCount && offset < _count; c++)
            {
                var take = Math.Min(ChunkSize, _count - offset);
                _chunks[c].AsSpan(0, take).CopyTo(result.AsSpan(offset));
                offset += take;
            }

            return result;
        }

        var target = 0;
        for (var i = 0; i < _count; i++)
        {
            if (!removed[i])
            {
                result[target++] = this[i];
            }
        }

        return result;
    }

    /// <summary>Drops every item and chunk so the memory can be reclaimed.</summary>
    public void Clear()
    {
        _chunks = new T[4][];
        _chunkCount = 0;
        _current = [];
        _position = ChunkSize;
        _count = 0;
    }

    private void AddChunk()
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _current = GC.AllocateUninitializedArray<T>(ChunkSize);
        _chunks[_chunkCount++] = _current;
        _position = 0;
    }
}
