using System.Text;

namespace Ferry.Data.Loading.Csv;

/// <summary>
/// Replaces each invalid byte sequence with U+FFFD, like the default fallback, and counts them so
/// the load can say how many values were damaged instead of passing them on silently.
/// </summary>
internal sealed class CountingDecoderFallback : DecoderFallback
{
    /// <summary>How many invalid sequences were replaced.</summary>
    public long Count { get; private set; }

    /// <inheritdoc />
    public override int MaxCharCount => 1;

    /// <inheritdoc />
    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

    private sealed class Buffer(CountingDecoderFallback owner) : DecoderFallbackBuffer
    {
        private bool _pending;

        public override int Remaining => _pending ? 1 : 0;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Count++;
            _pending = true;
            return true;
        }

        public override char GetNextChar()
        {
            if (!_pending)
            {
                return '\0';
            }

            _pending = false;
            return '\uFFFD';
        }

        public override bool MovePrevious()
        {
            if (_pending)
            {
                return false;
            }

            _pending = true;
            return true;
        }

        public override void Reset() => _pending = false;
    }
}
