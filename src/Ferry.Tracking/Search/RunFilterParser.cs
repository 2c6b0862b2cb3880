using System.Globalization;

namespace Ferry.Tracking.Search;

/// <summary>
/// Parses MLflow's run filter language (<c>metrics.loss &lt; 0.5 AND params.lr = '0.01'</c>) into a <see cref="RunFilter"/>,
/// with MLflow's rules (<c>mlflow/utils/search_utils.py</c>) for which comparators and values each entity accepts.
/// </summary>
public static class RunFilterParser
{
    private static readonly SearchComparator[] NumericComparators =
    [
        SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Greater,
        SearchComparator.GreaterOrEqual, SearchComparator.Less, SearchComparator.LessOrEqual,
    ];

    private static readonly SearchComparator[] TextComparators =
    [
        SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Like, SearchComparator.ILike,
        SearchComparator.IsNull, SearchComparator.IsNotNull,
    ];

    private static readonly SearchComparator[] ListComparators =
    [
        SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Like, SearchComparator.ILike,
        SearchComparator.In, SearchComparator.NotIn,
    ];

    /// <summary>Parses a filter; null, empty or blank means "every run".</summary>
    /// <param name="filter">The filter string as the client sent it.</param>
    /// <returns>The AND-ed comparisons.</returns>
    /// <exception cref="FerryException">INVALID_PARAMETER_VALUE naming the offending token and its 1-based position.</exception>
    public static RunFilter Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return RunFilter.Empty;
        }

        var tokens = SearchLexer.Tokenize(filter);
        var comparisons = new List<RunComparison>();
        var i = 0;
        while (true)
        {
            comparisons.Add(ParseComparison(tokens, ref i));
            var next = tokens[i];
            if (next.Kind == TokenKind.End)
            {
                return new RunFilter(comparisons);
            }

            if (next.IsKeyword("AND"))
            {
                i++;
                continue;
            }

            throw UnexpectedAfterComparison(filter, next);
        }
    }

    private static FerryException UnexpectedAfterComparison(string filter, SearchToken token)
    {
        if (token.IsKeyword("OR"))
        {
            return SearchErrors.Invalid(
                $"Invalid clause(s) in filter string: 'OR' at position {token.Position}. MLflow's search supports only AND " +
                "between comparisons; run one search per alternative instead.");
        }

        if (token.Kind == TokenKind.Semicolon)
        {
            return SearchErrors.Invalid(
                $"Search filter contained multiple expression '{filter}'. Provide AND-ed expression list (';' at position {token.Position}).");
        }

        return SearchErrors.Invalid(
            $"Invalid clause(s) in filter string: {SearchLexer.Describe(token)} at position {token.Position}. " +
            "Expected AND or the end of the filter.");
    }

    private static RunComparison ParseComparison(List<SearchToken> tokens, ref int i)
    {
        var identifier = tokens[i];
        if (identifier.Kind != TokenKind.Identifier || IsReserved(identifier))
        {
            var hint = identifier.Kind == TokenKind.LeftParen ? " Parentheses are not supported; write comparisons joined by AND." : "";
            throw SearchErrors.Invalid(
                $"Invalid comparison clause. Expected an identifier such as metrics.<key>, params.<key>, tags.<key>, " +
                $"attributes.<key> or datasets.<key> at position {identifier.Position}, found {SearchLexer.Describe(identifier)}.{hint}");
        }

        i++;
        var (entity, key) = RunSearchKeys.Resolve(identifier, forOrderBy: false);
        var opToken = tokens[i];
        var comparator = ParseComparator(tokens, ref i, entity, key);
        CheckComparatorAllowed(entity, key, comparator, opToken);

        var value = ParseValue(tokens, ref i, entity, key, comparator);
        return new RunComparison(entity, key, comparator, value);
    }

    private static bool IsReserved(SearchToken token) =>
        token.IsKeyword("AND") || token.IsKeyword("OR") || token.IsKeyword("NOT") || token.IsKeyword("IN") ||
        token.IsKeyword("LIKE") || token.IsKeyword("ILIKE") || token.IsKeyword("IS") || token.IsKeyword("NULL");

    private static SearchComparator ParseComparator(List<SearchToken> tokens, ref int i, SearchEntity entity, string key)
    {
        var token = tokens[i];
        i++;
        if (token.Kind == TokenKind.Operator)
        {
            return token.Text switch
            {
                "=" => SearchComparator.Equal,
                "!=" => SearchComparator.NotEqual,
                ">" => SearchComparator.Greater,
                ">=" => SearchComparator.GreaterOrEqual,
                "<" => SearchComparator.Less,
                "<=" => SearchComparator.LessOrEqual,
                _ => throw InvalidComparator(token.Text, token.Position, entity, key),
            };
        }

        if (token.IsKeyword("LIKE"))
        {
            return SearchComparator.Like;
        }

        if (token.IsKeyword("ILIKE"))
        {
            return SearchComparator.ILike;
        }

        if (token.IsKeyword("IN"))
        {
            return SearchComparator.In;
        }

        if (token.IsKeyword("NOT") && tokens[i].IsKeyword("IN"))
        {
            i++;
            return SearchComparator.NotIn;
        }

        if (token.IsKeyword("IS"))
        {
            var negated = tokens[i].IsKeyword("NOT");
            var nullToken = tokens[negated ? i + 1 : i];
            if (!nullToken.IsKeyword("NULL"))
            {
                throw SearchErrors.Invalid(
                    $"Invalid clause(s) in filter string: IS must be followed by NULL or NOT NULL at position {nullToken.Position}, " +
                    $"found {SearchLexer.Describe(nullToken)}.");
            }

            i += negated ? 2 : 1;
            if (entity is not (SearchEntity.Tag or SearchEntity.Param))
            {
                throw SearchErrors.Invalid(
                    $"IS NULL / IS NOT NULL is only supported for tags and params, not for {RunSearchKeys.Noun(entity)} '{key}' " +
                    $"(position {token.Position}).");
            }

            return negated ? SearchComparator.IsNotNull : SearchComparator.IsNull;
        }

        if (token.IsKeyword("NOT"))
        {
            throw InvalidComparator("NOT " + tokens[i].Text, token.Position, entity, key);
        }

        throw SearchErrors.Invalid(
            $"Invalid comparison clause. Expected a comparator after {RunSearchKeys.Noun(entity)} '{key}' at position " +
            $"{token.Position}, found {SearchLexer.Describe(token)}.");
    }

    private static SearchComparator[] AllowedComparators(SearchEntity entity, string key) => entity switch
    {
        SearchEntity.Metric => NumericComparators,
        SearchEntity.Param or SearchEntity.Tag => TextComparators,
        SearchEntity.Attribute when RunSearchKeys.NumericAttributes.Contains(key) => NumericComparators,
        _ => ListComparators,
    };

    private static void CheckComparatorAllowed(SearchEntity entity, string key, SearchComparator comparator, SearchToken token)
    {
        if (!AllowedComparators(entity, key).Contains(comparator))
        {
            var text = comparator == SearchComparator.NotIn ? "NOT IN" : token.Text.ToUpperInvariant();
            throw InvalidComparator(text, token.Position, entity, key);
        }
    }

    private static FerryException InvalidComparator(string text, int position, SearchEntity entity, string key)
    {
        var valid = string.Join(", ", AllowedComparators(entity, key).Select(Symbol));
        return SearchErrors.Invalid(
            $"Invalid comparator '{text}' for {RunSearchKeys.Noun(entity)} '{key}' at position {position}: not one of {valid}.");
    }

    /// <summary>The operator as written in the language.</summary>
    internal static string Symbol(SearchComparator comparator) => comparator switch
    {
        SearchComparator.Equal => "=",
        SearchComparator.NotEqual => "!=",
        SearchComparator.Greater => ">",
        SearchComparator.GreaterOrEqual => ">=",
        SearchComparator.Less => "<",
        SearchComparator.LessOrEqual => "<=",
        SearchComparator.Like => "LIKE",
        SearchComparator.ILike => "ILIKE",
        SearchComparator.In => "IN",
        SearchComparator.NotIn => "NOT IN",
        SearchComparator.IsNull => "IS NULL",
        _ => "IS NOT NULL",
    };

    private static SearchValue ParseValue(List<SearchToken> tokens, ref int i, SearchEntity entity, string key, SearchComparator comparator)
    {
        if (comparator is SearchComparator.IsNull or SearchComparator.IsNotNull)
        {
            return NullValue.Instance;
        }

        var token = tokens[i];
        var noun = RunSearchKeys.Noun(entity);
        var numeric = entity == SearchEntity.Metric ||
                      (entity == SearchEntity.Attribute && RunSearchKeys.NumericAttributes.Contains(key));
        if (numeric)
        {
            if (token.Kind != TokenKind.Number)
            {
                throw SearchErrors.Invalid(
                    $"Expected a numeric value for {noun} '{key}' at position {token.Position}, found {SearchLexer.Describe(token)}.");
            }

            i++;
            return new NumberValue(double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture), token.Text);
        }

        if (comparator is SearchComparator.In or SearchComparator.NotIn)
        {
            if (entity == SearchEntity.Attribute && key != "run_id")
            {
                throw SearchErrors.Invalid(
                    $"Only the 'run_id' attribute supports comparison with a list of quoted string values (attribute '{key}' at position {token.Position}).");
            }

            var list = ParseList(tokens, ref i, noun, key);

            // MLflow drops run ids that are not lower case (run ids always are), so IN never depends on collation.
            return entity == SearchEntity.Attribute ? new StringListValue(list.Where(IsPythonLower).ToArray()) : new StringListValue(list);
        }

        if (token.Kind == TokenKind.String)
        {
            i++;
            if (comparator is SearchComparator.Like or SearchComparator.ILike)
            {
                LikePattern.Validate(token.Text, token.Position);
            }

            return new StringValue(token.Text);
        }

        if (token.Kind == TokenKind.Identifier)
        {
            throw SearchErrors.Invalid(
                $"Parameter value is either not quoted or unidentified quote types used for string value {token.Text} " +
                $"({noun} '{key}' at position {token.Position}). Use either single or double quotes.");
        }

        throw SearchErrors.Invalid(
            $"Expected a quoted string value for {noun} '{key}' (e.g. 'my-value') at position {token.Position}, " +
            $"found {SearchLexer.Describe(token)}.");
    }

    private static List<string> ParseList(List<SearchToken> tokens, ref int i, string noun, string key)
    {
        var open = tokens[i];
        if (open.Kind != TokenKind.LeftParen)
        {
            throw SearchErrors.Invalid(
                $"Expected a parenthesised list of quoted strings such as ('a', 'b') for {noun} '{key}' at position " +
                $"{open.Position}, found {SearchLexer.Describe(open)}.");
        }

        i++;
        var values = new List<string>();
        if (tokens[i].Kind == TokenKind.RightParen)
        {
            throw SearchErrors.Invalid(
                $"While parsing a list in the query, expected a non-empty list of string values, but got empty list (position {open.Position}).");
        }

        while (true)
        {
            var item = tokens[i];
            if (item.Kind != TokenKind.String)
            {
                throw SearchErrors.Invalid(
                    $"While parsing a list in the query, expected string value, punctuation, or whitespace, but got " +
                    $"{SearchLexer.Describe(item)} at position {item.Position}.");
            }

            values.Add(item.Text);
            i++;
            var separator = tokens[i];
            i++;
            if (separator.Kind == TokenKind.RightParen)
            {
                return values;
            }

            if (separator.Kind != TokenKind.Comma)
            {
                throw SearchErrors.Invalid(
                    $"While parsing a list in the query, expected ',' or ')' at position {separator.Position}, found " +
                    $"{SearchLexer.Describe(separator)}.");
            }
        }
    }

    /// <summary>Python's <c>str.islower</c>: at least one cased character and no upper-case one.</summary>
    private static bool IsPythonLower(string value)
    {
        var cased = false;
        foreach (var c in value)
        {
            if (char.IsUpper(c) || char.GetUnicodeCategory(c) == UnicodeCategory.TitlecaseLetter)
            {
                return false;
            }

            cased |= char.IsLower(c);
        }

        return cased;
    }
}
