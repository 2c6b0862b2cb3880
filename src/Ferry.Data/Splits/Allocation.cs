namespace Ferry.Data.Splits;

/// <summary>Largest-remainder apportionment: shares a whole number of seats among strata in proportion to their sizes.</summary>
internal static class Allocation
{
    /// <summary>
    /// Gives each stratum about <c>total * size / sum(sizes)</c> seats, never more than its cap, with the
    /// rounding leftovers going to the largest fractional remainders so the seats add up to
    /// <paramref name="total"/> whenever the caps allow it.
    /// </summary>
    public static int[] Apportion(IReadOnlyList<int> sizes, int total, IReadOnlyList<int> caps)
    {
        var n = sizes.Count;
        var seats = new int[n];
        long sum = sizes.Sum(s => (long)s);
        if (sum == 0 || total <= 0)
        {
            return seats;
        }

        var quotas = new double[n];
        var given = 0;
        for (var i = 0; i < n; i++)
        {
            quotas[i] = (double)total * sizes[i] / sum;
            seats[i] = Math.Min((int)Math.Floor(quotas[i]), caps[i]);
            given += seats[i];
        }

        // Round up the strata with the largest remainders; ties go to the bigger, then the earlier stratum.
        var order = Enumerable.Range(0, n)
            .OrderByDescending(i => quotas[i] - Math.Floor(quotas[i]))
            .ThenByDescending(i => sizes[i])
            .ThenBy(i => i)
            .ToList();
        foreach (var i in order)
        {
            if (given == total)
            {
                return seats;
            }

            if (seats[i] < caps[i] && seats[i] < Math.Ceiling(quotas[i]))
            {
                seats[i]++;
                given++;
            }
        }

        // Caps kept some strata below their share: hand what is left to those furthest below theirs.
        while (given < total)
        {
            var best = -1;
            for (var i = 0; i < n; i++)
            {
                if (seats[i] < caps[i] && (best < 0 || quotas[i] - seats[i] > quotas[best] - seats[best]))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            seats[best]++;
            given++;
        }

        return seats;
    }
}
