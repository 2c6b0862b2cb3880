using Ferry.Learn.Features;

namespace Ferry.Serving.Tests.Protocols;

/// <summary>Asserts a decoder refuses input as a 400 would: INPUT_INVALID, with the message naming where.</summary>
internal static class Refusals
{
    public static FerryException AssertRefused(Action decode, params string[] fragments)
    {
        var error = Assert.Throws<FerryException>(decode);
        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(InputErrors.Code, error.Code);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    /// <summary>As <see cref="AssertRefused"/>, and the location names the column and the 1-based row.</summary>
    public static FerryException AssertRefusedAt(Action decode, string column, int row, params string[] fragments)
    {
        var error = AssertRefused(decode, fragments);
        Assert.Equal(column, error.Location?.Column);
        Assert.Equal(row + 1, error.Location?.Line);
        return error;
    }
}
