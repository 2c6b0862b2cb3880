namespace Ferry.Tracking.Tests;

/// <summary>A clock that moves 1 ms forward every time it is read, so creation order shows in the times.</summary>
public sealed class SteppingTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public SteppingTime()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() =>
        new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
