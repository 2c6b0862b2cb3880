using System.Numerics;

namespace Ferry.Data.Schema;

/// <summary>
/// Counts distinct numbers exactly in O(n) with cache-friendly memory access, for columns with too many distinct
/// values for <see cref="DoubleCounter"/>'s single table to stay in cache. Each value's bits are mixed by a
/// bijective hash (so distinct values have distinct hashes), scattered into partitions by the hash's top bits, and
/// each partition, small enough for the CPU cache, is counted with its own little table.
/// </summary>
internal static class DistinctCount
{
    /// <summary>Integer columns spanning fewer values than this are counted with a bitmap (at most 8 MiB).</summary>
    public const double MaxBitmapRange = 1 << 26;

    private const int TargetPartitionSize = 4096;

    /// <summary>
    /// The number of distinct values of a column whose non-missing values are all whole numbers in [min, max],
    /// with max - min below <see cref="MaxBitmapRange"/>: one bit per possible value, so ids and codes count in one pass.
    /// </summary>
    public static int OfIntegers(ReadOnlySpan<double> values, double min, double max)
    {
        var bits = new ulong[((long)(max - min) >> 6) + 1];
        var distinct = 0;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            var offset = (long)(v - min);
            ref var word = ref bits[offset >> 6];
            var mask = 1UL << (int)(offset & 63);
            if ((word & mask) == 0)
            {
                word |= mask;
                distinct++;
            }
        }

        return distinct;
    }

    /// <summary>The number of distinct non-NaN values, -0.0 and 0.0 counting as one.</summary>
    public static int Of(ReadOnlySpan<double> values)
    {
        var n = values.Length;
        var partitionBits = Math.Clamp(BitOperations.Log2((uint)Math.Max(1, n / TargetPartitionSize)), 0, 12);
        var partitions = 1 << partitionBits;
        var shift = 64 - partitionBits;
        var starts = new int[partitions + 1];
        var present = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                starts[Partition(Hash(v), shift) + 1]++;
                present++;
            }
        }

        for (var p = 0; p < partitions; p++)
        {
            starts[p + 1] += starts[p];
        }

        var buffer = new ulong[present];
        var next = (int[])starts.Clone();
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                var h = Hash(v);
                buffer[next[Partition(h, shift)]++] = h;
            }
        }

        var distinct = 0;
        var table = Array.Empty<ulong>();
        for (var p = 0; p < partitions; p++)
        {
            distinct += CountPartition(buffer.AsSpan(starts[p], starts[p + 1] - starts[p]), ref table);
        }

        return distinct;
    }

    private static int CountPartition(ReadOnlySpan<ulong> hashes, ref ulong[] table)
    {
        if (hashes.Length == 0)
        {
            return 0;
        }

        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)hashes.Length * 2);
        if (table.Length < capacity)
        {
            table = new ulong[capacity];
        }
        else
        {
            Array.Clear(table, 0, capacity);
        }

        // 0 marks an empty slot, so the hash 0 is tracked on the side.
        var mask = capacity - 1;
        var sawZero = false;
        var distinct = 0;
        foreach (var h in hashes)
        {
            if (h == 0)
            {
                sawZero = true;
                continue;
            }

            // The top bits are the partition's; the low bits are as well mixed.
            var i = (int)h & mask;
            while (true)
            {
                var k = table[i];
                if (k == h)
                {
                    break;
                }

                if (k == 0)
                {
                    table[i] = h;
                    distinct++;
                    break;
                }

                i = (i + 1) & mask;
            }
        }

        return distinct + (sawZero ? 1 : 0);
    }

    private static int Partition(ulong hash, int shift) => shift == 64 ? 0 : (int)(hash >> shift);

    // fmix64 is a bijection on 64-bit values: distinct numbers keep distinct hashes.
    private static ulong Hash(double v)
    {
        var key = v == 0 ? 0UL : BitConverter.DoubleToUInt64Bits(v);
        key ^= key >> 33;
        key *= 0xFF51AFD7ED558CCDUL;
        key ^= key >> 33;
        key *= 0xC4CEB9FE1A85EC53UL;
        key ^= key >> 33;
        return key;
    }
}
