using System.Buffers;

namespace Ferry.Data.Loading.Csv;

/// <summary>Receives each complete record from a <see cref="CsvTokenizer"/>.</summary>
internal interface ICsvRecordSink
{
    /// <summary>Handles a record; returns false to stop the tokenizer.</summary>
    bool OnRecord(CsvRecordBuffer record);
}

/// <summary>
/// An RFC 4180 tokenizer fed with blocks of characters as they are decoded, so a file is never held
/// whole: quoted fields with <c>""</c> escapes and embedded delimiters or line breaks, <c>\n</c>,
/// <c>\r\n</c> and <c>\r</c> line ends, physical line numbers. It is lenient where the intent is clear
/// (text after a closing quote, a quote inside an unquoted value) and exact where it is not (a quote
/// left open at the end of the file is an error naming the line it was opened on).
/// </summary>
internal sealed class CsvTokenizer
{
    private readonly char _delimiter;
    private readonly CsvRecordBuffer _record;
    private readonly ICsvRecordSink _sink;
    private readonly string _source;
    private readonly SearchValues<char> _unquotedStops;
    private static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\r\n");
    private static readonly SearchValues<char> LineBreakOrQuote = QuotedStops;

    private State _state = State.FieldStart;
    private bool _inRecord;
    private bool _previousWasCr;
    private long _quoteLine;

    /// <summary>Creates a tokenizer that splits on <paramref name="delimiter"/> and hands records to <paramref name="sink"/>.</summary>
    public CsvTokenizer(char delimiter, CsvRecordBuffer record, ICsvRecordSink sink, string source)
    {
        _delimiter = delimiter;
        _record = record;
        _sink = sink;
        _source = source;
        _unquotedStops = SearchValues.Create([delimiter, '"', '\r', '\n']);
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterQuoted,
    }

    /// <summary>The physical line of the next character (1-based).</summary>
    public long Line { get; private set; } = 1;

    /// <summary>Whether the sink asked to stop.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Consumes a block of characters, emitting every record it completes.</summary>
    public void Feed(ReadOnlySpan<char> chars)
    {
        var i = 0;
        while (i < chars.Length && !Stopped)
        {
            var c = chars[i];
            switch (_state)
            {
                case State.FieldStart:
                case State.Unquoted:
                    if (!_inRecord)
                    {
                        if (c is '\r' or '\n')
                        {
                            CountLineBreak(c); // a blank line, or the \n of a \r\n that ended the last record
                            i++;
                            continue;
                        }

                        _inRecord = true;
                        _record.Begin(Line);
                        if (TryReadPlainLine(chars, ref i))
                        {
                            continue;
                        }
                    }

                    var stop = chars[i..].IndexOfAny(_unquotedStops);
                    if (stop < 0)
                    {
                        Consume(chars[i..]);
                        _state = State.Unquoted;
                        return;
                    }

                    Consume(chars.Slice(i, stop));
                    i += stop;
                    c = chars[i++];
                    if (c is not ('\r' or '\n'))
                    {
                        _previousWasCr = false;
                    }

                    if (c == _delimiter)
                    {
                        _record.EndField(_delimiter);
                        _state = State.FieldStart;
                    }
                    else if (c is '\r' or '\n')
                    {
                        CountLineBreak(c);
                        EndRecord();
                    }
                    else if (_record.CurrentFieldIsBlank(_delimiter))
                    {
                        _record.OpenQuote();
                        _quoteLine = Line;
                        _state = State.Quoted;
                    }
                    else
                    {
                        _record.Append('"'); // a quote inside an unquoted value is just a character
                        _state = State.Unquoted;
                    }

                    break;

                case State.Quoted:
                    var next = chars[i..].IndexOfAny(QuotedStops);
                    if (next < 0)
                    {
                        Consume(chars[i..]);
                        return;
                    }

                    Consume(chars.Slice(i, next));
                    i += next;
                    c = chars[i++];
                    if (c == '"')
                    {
                        _previousWasCr = false;
                        _state = State.QuoteInQuoted;
                    }
                    else
                    {
                        _record.Append(c); // line breaks inside quotes are part of the value, kept as written
                        CountLineBreak(c);
                    }

                    break;

                case State.QuoteInQuoted:
                case State.AfterQuoted:
                    i++;
                    if (c is not ('\r' or '\n'))
                    {
                        _previousWasCr = false;
                    }

                    if (c == '"' && _state == State.QuoteInQuoted)
                    {
                        _record.Append('"');
                        _state = State.Quoted;
                    }
                    else if (c == _delimiter)
                    {
                        _record.EndField(_delimiter);
                        _state = State.FieldStart;
                    }
                    else if (c is '\r' or '\n')
                    {
                        CountLineBreak(c);
                        EndRecord();
                    }
                    else if (c is ' ' or '\t')
                    {
                        _state = State.AfterQuoted; // blanks after a closing quote are not part of the value
                    }
                    else
                    {
                        // "abc"def: keep reading the rest as unquoted text of the same field.
                        Consume(new ReadOnlySpan<char>(in c));
                        _state = State.Unquoted;
                    }

                    break;
            }
        }
    }

    /// <summary>Ends the input: emits a last record without a line break; an open quote is an error.</summary>
    /// <exception cref="FerryException">A quoted field is still open (code <c>CSV_UNTERMINATED_QUOTE</c>).</exception>
    public void Complete()
    {
        if (_inRecord && _state == State.Quoted && !Stopped)
        {
            throw FerryException.Invalid(
                "CSV_UNTERMINATED_QUOTE",
                $"a quoted field opened on line {_quoteLine} is never closed; add the closing '\"' (or double any '\"' inside the value)",
                new SourceLocation(_source, _quoteLine));
        }

        CompleteLeniently();
    }

    /// <summary>Ends the input without complaint (for sampling, where the cut is arbitrary).</summary>
    public void CompleteLeniently()
    {
        if (_inRecord && !Stopped)
        {
            EndRecord();
        }
    }

    private bool TryReadPlainLine(ReadOnlySpan<char> chars, ref int i)
    {
        // Most records are one line without quotes: read those whole instead of field by field.
        var rest = chars[i..];
        var end = rest.IndexOfAny(LineBreakOrQuote);
        if (end < 0 || rest[end] == '"' || !_record.TryReadPlainLine(rest[..end], _delimiter))
        {
            return false;
        }

        _previousWasCr = false;
        CountLineBreak(rest[end]);
        i += end + 1;
        _inRecord = false;
        if (!_record.IsBlank && !_sink.OnRecord(_record))
        {
            Stopped = true;
        }

        return true;
    }

    private void Consume(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            _record.Append(text);
            _previousWasCr = false;
        }
    }

    private void CountLineBreak(char c)
    {
        // \r\n is one line end; a lone \r or \n is one each.
        if (c == '\r' || !_previousWasCr)
        {
            Line++;
        }

        _previousWasCr = c == '\r';
    }

    private void EndRecord()
    {
        _record.EndField(_delimiter);
        _inRecord = false;
        _state = State.FieldStart;
        if (!_record.IsBlank && !_sink.OnRecord(_record))
        {
            Stopped = true;
        }
    }
}
