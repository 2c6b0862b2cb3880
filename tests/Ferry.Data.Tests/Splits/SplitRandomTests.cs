using Ferry.Data.Splits;

namespace Ferry.Data.Tests.Splits;

public sealed class SplitRandomTests
{
    [Fact]
    public void Matches_the_published_SplitMix64_sequence()
    {
        // Reference outputs of Vigna's splitmix64.c (also java.util.SplittableRandom's mixer) for seed 1234567.
        var random = new SplitRandom(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => random.NextUInt64()));
    }

    [Fact]
    public void NextInt_is_in_range_and_roughly_uniform()
    {
        var random = new SplitRandom(7);
        var counts = new int[3];
        for (var i = 0; i < 30_000; i++)
        {
            counts[random.NextInt(3)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Fact]
    public void Shuffle_is_a_permutation_and_depends_on_the_seed()
    {
        var a = Enumerable.Range(0, 100).ToArray();
        var b = Enumerable.Range(0, 100).ToArray();
        new SplitRandom(1).Shuffle(a.AsSpan());
        new SplitRandom(2).Shuffle(b.AsSpan());
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
        Assert.NotEqual(a, b);
        Assert.NotEqual(Enumerable.Range(0, 100), a);
    }
}
