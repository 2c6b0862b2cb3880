namespace Ferry.Data.Schema;

/// <summary>
/// Counts how often each distinct number occurs, in an open-addressing table keyed by the number's bits.
/// A dedicated table because <see cref="Dictionary{TKey, TValue}"/> of double is several times slower on
/// million-row columns, and inference must stay O(n) without allocating per row.
/// NaN (missing) is never added; -0.0 is folded into 0.0 so both count as one value, as they compare equal.
/// </summary>
internal sealed class DoubleCounter
{
    // A NaN payload: safe as the empty marker because NaN is never a key.
    private const ulong Empty = 0xFFF8_0000_0000_0001UL;

    private ulong[] _keys;
    private int[] _counts;
    private int _shift;

    /// <summary>Creates a counter sized for about <paramref name="expectedDistinct"/> values.</summary>
    public DoubleCounter(int expectedDistinct = 8)
    {
        var capacity = 16;
        while (capacity < expectedDistinct * 2L && capacity < (1 << 30))
        {
            capacity <<= 1;
        }

        (_keys, _counts, _shift) = Allocate(capacity);
    }

    /// <summary>How many distinct values were added.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Counts every non-NaN value of a column, or gives up (returning null) once more than
    /// <paramref name="maxDistinct"/> distinct values are seen: past that the table falls out of the CPU cache
    /// and <see cref="DistinctCount"/> counts faster.
    /// </summary>
    public static DoubleCounter? CountValues(ReadOnlySpan<double> values, int maxDistinct = int.MaxValue)
    {
        var counter = new DoubleCounter(64);
        foreach (var v in values)
        {
            counter.Add(v);
            if (counter.Count > maxDistinct)
            {
                return null;
            }
        }

        return counter;
    }

    /// <summary>Counts one occurrence of <paramref name="value"/>; NaN is ignored.</summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var key = value == 0 ? 0UL : BitConverter.DoubleToUInt64Bits(value);
        var mask = _keys.Length - 1;
        var i = Slot(key);
        while (true)
        {
            var k = _keys[i];
            if (k == key)
            {
                _counts[i]++;
                return;
            }

            if (k == Empty)
            {
                _keys[i] = key;
                _counts[i] = 1;
                if (++Count * 2 > _keys.Length)
                {
                    Grow();
                }

                return;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>The distinct values and their counts, in no particular order.</summary>
    public IEnumerable<(double Value, int Count)> Entries()
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != Empty)
            {
                yield return (BitConverter.UInt64BitsToDouble(_keys[i]), _counts[i]);
            }
        }
    }

    /// <summary>The distinct values in ascending order.</summary>
    public double[] SortedValues()
    {
        var values = new double[Count];
        var n = 0;
        foreach (var k in _keys)
        {
            if (k != Empty)
            {
                values[n++] = BitConverter.UInt64BitsToDouble(k);
            }
        }

        Array.Sort(values);
        return values;
    }

    private int Slot(ulong key)
    {
        // fmix64 from MurmurHash3: numbers such as small integers differ only in a few high bits.
        key ^= key >> 33;
        key *= 0xFF51AFD7ED558CCDUL;
        key ^= key >> 33;
        key *= 0xC4CEB9FE1A85EC53UL;
        key ^= key >> 33;
        return (int)(key >> _shift);
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldCounts = _counts;
        (_keys, _counts, _shift) = Allocate(oldKeys.Length * 2);
        var mask = _keys.Length - 1;
        for (var j = 0; j < oldKeys.Length; j++)
        {
            var key = oldKeys[j];
            if (key == Empty)
            {
                continue;
            }

            var i = Slot(key);
            while (_keys[i] != Empty)
            {
                i = (i + 1) & mask;
            }

            _keys[i] = key;
            _counts[i] = oldCounts[j];
        }
    }

    private static (ulong[] Keys, int[] Counts, int Shift) Allocate(int capacity)
    {
        var keys = new ulong[capacity];
        Array.Fill(keys, Empty);
        return (keys, new int[capacity], 64 - System.Numerics.BitOperations.Log2((uint)capacity));
    }
}
