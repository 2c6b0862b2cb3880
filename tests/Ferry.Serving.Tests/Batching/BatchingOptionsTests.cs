using Ferry.Serving.Batching;

namespace Ferry.Serving.Tests.Batching;

public sealed class BatchingOptionsTests
{
    public static TheoryData<BatchingOptions, string> Invalid => new()
    {
        { new BatchingOptions { MaxBatchRows = 0 }, "MaxBatchRows is 0" },
        { new BatchingOptions { MaxQueuedRequests = -1 }, "MaxQueuedRequests is -1" },
        { new BatchingOptions { MaxWait = TimeSpan.FromMilliseconds(-1) }, "MaxWait is -1 ms" },
        { new BatchingOptions { MaxWait = TimeSpan.FromMinutes(2) }, "MaxWait is 120 s" },
        { new BatchingOptions { RequestTimeout = TimeSpan.Zero }, "RequestTimeout is 0 s" },
        { new BatchingOptions { RequestTimeout = TimeSpan.FromDays(1) }, "RequestTimeout is 86400 s" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_out_of_range_setting_is_refused_naming_it_and_its_value(BatchingOptions options, string expected)
    {
        var error = Assert.Throws<FerryException>(options.Validate);

        Assert.Equal(BatchingOptions.InvalidCode, error.Code);
        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid_and_documented_values()
    {
        var options = new BatchingOptions();

        options.Validate();
        Assert.True(options.Enabled);
        Assert.Equal(64, options.MaxBatchRows);
        Assert.Equal(TimeSpan.FromMilliseconds(1), options.MaxWait);
        Assert.Equal(1024, options.MaxQueuedRequests);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RequestTimeout);
    }
}
