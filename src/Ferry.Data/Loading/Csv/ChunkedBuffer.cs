namespace Ferry.Data.Loading.Csv;

/// <summary>
/// An append-only list stored in fixed-size chunks, for side data of unknown and usually small size
/// (kept number spellings, line-number breakpoints): growing never copies what is already there.
/// </summary>
internal sealed class ChunkedBuffer<T>
    where T : unmanaged
{
    private const int ChunkShift = 10; // small chunks: a wide table has one of these per column
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = new T[4][];
    private int _chunkCount;
    private T[] _current = [];
    private int _position = ChunkSize; // forces a chunk on first append, without a branch on null

    /// <summary>The number of items appended.</summary>
    public int Count { get; private set; }

    /// <summary>Gets an item already appended.</summary>
    public T this[int index] => _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Appends one item.</summary>
    public void Append(T item)
    {
        if (_position == ChunkSize)
        {
            AddChunk();
        }

        _current[_position++] = item;
        Count++;
    }

    private void AddChunk()
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _current = new T[ChunkSize];
        _chunks[_chunkCount++] = _current;
        _position = 0;
    }
}
