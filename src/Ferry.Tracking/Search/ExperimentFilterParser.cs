using System.Globalization;

namespace Ferry.Tracking.Search;

/// <summary>One comparison of an experiment filter, such as <c>name LIKE 'churn%'</c> or <c>tags.team = 'growth'</c>.</summary>
/// <param name="TagKey">The tag key for a tag comparison; null for an attribute.</param>
/// <param name="Attribute">The attribute (<c>name</c>, <c>creation_time</c>, <c>last_update_time</c>); empty for a tag.</param>
/// <param name="Comparator">The operator.</param>
/// <param name="Value">A <see cref="StringValue"/>, or a <see cref="NumberValue"/> for the time attributes.</param>
internal sealed record ExperimentComparison(string? TagKey, string Attribute, SearchComparator Comparator, SearchValue Value);

/// <summary>One order_by clause of an experiment search.</summary>
/// <param name="Attribute">The attribute: <c>name</c>, <c>experiment_id</c>, <c>creation_time</c> or <c>last_update_time</c>.</param>
/// <param name="Ascending">True for ASC (the default), false for DESC.</param>
internal sealed record ExperimentOrder(string Attribute, bool Ascending);

/// <summary>
/// Parses MLflow's experiment filter and order_by (<c>SearchExperimentsUtils</c>) with the run-search lexer, so quoting
/// works the same way (<c>tags."a-b"</c>, <c>tags.`a b`</c>). Comparisons are joined by AND; there is no OR.
/// </summary>
internal static class ExperimentFilterParser
{
    /// <summary>The attributes a filter can compare.</summary>
    public static readonly IReadOnlyList<string> FilterAttributes = ["name", "creation_time", "last_update_time"];

    /// <summary>The attributes an order_by clause can name.</summary>
    public static readonly IReadOnlyList<string> OrderAttributes = ["name", "experiment_id", "creation_time", "last_update_time"];

    private static readonly SearchComparator[] TextComparators =
        [SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Like, SearchComparator.ILike];

    private static readonly SearchComparator[] NumericComparators =
    [
        SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Less,
        SearchComparator.LessOrEqual, SearchComparator.Greater, SearchComparator.GreaterOrEqual,
    ];

    /// <summary>Parses a filter; null, empty or blank matches every experiment.</summary>
    public static IReadOnlyList<ExperimentComparison> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var tokens = SearchLexer.Tokenize(filter);
        var comparisons = new List<ExperimentComparison>();
        var i = 0;
        while (true)
        {
            comparisons.Add(ParseComparison(tokens, ref i));
            var next = tokens[i];
            if (next.Kind == TokenKind.End)
            {
                return comparisons;
            }

            if (!next.IsKeyword("AND"))
            {
                var hint = next.IsKeyword("OR") ? " MLflow's search supports only AND between comparisons; run one search per alternative." : "";
                throw SearchErrors.Invalid(
                    $"Invalid clause(s) in filter string: {SearchLexer.Describe(next)} at position {next.Position}. Expected AND or the end of the filter.{hint}");
            }

            i++;
        }
    }

    /// <summary>Parses order_by clauses (<c>name</c>, <c>creation_time DESC</c>…); null or empty means the default order.</summary>
    public static IReadOnlyList<ExperimentOrder> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        var clauses = new List<ExperimentOrder>();
        foreach (var clause in orderBy ?? [])
        {
            var text = (clause ?? "").Trim();
            List<SearchToken> tokens;
            try
            {
                tokens = SearchLexer.Tokenize(text);
            }
            catch (FerryException e)
            {
                throw SearchErrors.Invalid($"Invalid order_by clause '{clause}'. Could not be parsed: {e.Message}");
            }

            // The lexer ends every list with an End token, so after an identifier there is always a next token.
            var identifier = tokens[0];
            var direction = identifier.Kind == TokenKind.Identifier ? tokens[1] : identifier;
            var wellFormed = identifier.Kind == TokenKind.Identifier
                && (direction.Kind == TokenKind.End || (direction.Kind == TokenKind.Identifier && tokens[2].Kind == TokenKind.End));
            if (!wellFormed)
            {
                throw SearchErrors.Invalid(
                    $"Invalid order_by clause '{clause}'. Write an attribute optionally followed by ASC or DESC, for example 'creation_time DESC'.");
            }

            if (direction.Kind == TokenKind.Identifier && !direction.IsKeyword("ASC") && !direction.IsKeyword("DESC"))
            {
                throw SearchErrors.Invalid($"Invalid ordering key in order_by clause '{clause}': expected ASC or DESC, found '{direction.Text}'.");
            }

            var (tagKey, attribute) = Resolve(identifier, OrderAttributes);
            if (tagKey is not null)
            {
                throw SearchErrors.Invalid($"Invalid order_by entity: tag (clause '{clause}'). Experiments can be ordered by {List(OrderAttributes)}.");
            }

            clauses.Add(new ExperimentOrder(attribute, !direction.IsKeyword("DESC")));
        }

        return clauses;
    }

    private static ExperimentComparison ParseComparison(List<SearchToken> tokens, ref int i)
    {
        var identifier = tokens[i];
        if (identifier.Kind != TokenKind.Identifier || identifier.IsKeyword("AND") || identifier.IsKeyword("OR") || identifier.IsKeyword("NOT"))
        {
            var hint = identifier.Kind == TokenKind.LeftParen ? " Parentheses are not supported; write comparisons joined by AND." : "";
            throw SearchErrors.Invalid(
                $"Invalid comparison clause. Expected {List(FilterAttributes)} or tags.<key> at position {identifier.Position}, " +
                $"found {SearchLexer.Describe(identifier)}.{hint}");
        }

        i++;
        var (tagKey, attribute) = Resolve(identifier, FilterAttributes);
        var what = tagKey is null ? $"attribute '{attribute}'" : $"tag '{tagKey}'";
        var numeric = tagKey is null && attribute != "name";
        var opToken = tokens[i++];
        var comparator = Comparator(opToken, what);
        var allowed = numeric ? NumericComparators : TextComparators;
        if (!allowed.Contains(comparator))
        {
            var kind = tagKey is not null ? "tag" : numeric ? "numeric attribute" : "string attribute";
            throw SearchErrors.Invalid(
                $"Invalid comparator for {kind}: {RunFilterParser.Symbol(comparator)} ({what} at position {opToken.Position}). " +
                $"Use one of {string.Join(", ", allowed.Select(RunFilterParser.Symbol))}.");
        }

        var value = tokens[i++];
        if (numeric)
        {
            return value.Kind == TokenKind.Number
                ? new ExperimentComparison(null, attribute, comparator, new NumberValue(double.Parse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture), value.Text))
                : throw SearchErrors.Invalid(
                    $"Expected numeric value type for numeric attribute: {attribute}. Found {SearchLexer.Describe(value)} at position {value.Position}; " +
                    "give epoch milliseconds such as 1700000000000.");
        }

        if (value.Kind != TokenKind.String)
        {
            throw SearchErrors.Invalid(
                $"Expected a quoted string value for {what} (e.g. 'my-value') at position {value.Position}, found {SearchLexer.Describe(value)}.");
        }

        if (comparator is SearchComparator.Like or SearchComparator.ILike)
        {
            LikePattern.Validate(value.Text, value.Position);
        }

        return new ExperimentComparison(tagKey, tagKey is null ? attribute : "", comparator, new StringValue(value.Text));
    }

    private static SearchComparator Comparator(SearchToken token, string what)
    {
        if (token.Kind == TokenKind.Operator)
        {
            switch (token.Text)
            {
                case "=": return SearchComparator.Equal;
                case "!=": return SearchComparator.NotEqual;
                case "<": return SearchComparator.Less;
                case "<=": return SearchComparator.LessOrEqual;
                case ">": return SearchComparator.Greater;
                case ">=": return SearchComparator.GreaterOrEqual;
            }
        }
        else if (token.IsKeyword("LIKE"))
        {
            return SearchComparator.Like;
        }
        else if (token.IsKeyword("ILIKE"))
        {
            return SearchComparator.ILike;
        }

        throw SearchErrors.Invalid(
            $"Invalid comparator {SearchLexer.Describe(token)} after {what} at position {token.Position}: " +
            "experiments are compared with =, !=, LIKE, ILIKE, <, <=, > or >=.");
    }

    /// <summary>
    /// Splits an identifier as MLflow does: a bare word is an attribute; otherwise the first part is the entity
    /// (<c>attribute</c>/<c>attributes</c>/<c>attr</c> or <c>tag</c>/<c>tags</c>) and the rest is the key.
    /// </summary>
    private static (string? TagKey, string Attribute) Resolve(SearchToken identifier, IReadOnlyList<string> validAttributes)
    {
        var parts = identifier.Parts!;
        string key;
        bool isTag;
        if (parts.Count == 1)
        {
            key = parts[0].Text;
            isTag = false;
        }
        else
        {
            var entity = parts[0].IsQuoted ? "" : parts[0].Text;
            isTag = entity is "tag" or "tags";
            if (!isTag && entity is not ("attribute" or "attributes" or "attr"))
            {
                throw SearchErrors.Invalid(
                    $"Invalid entity type '{parts[0].Text}' at position {identifier.Position}. Valid entity types are attribute and tags.");
            }

            if (parts.Count > 2 && parts.Skip(1).Any(p => p.IsQuoted))
            {
                throw SearchErrors.Invalid(
                    $"Invalid identifier '{identifier.Text}' at position {identifier.Position}: quote the whole key, for example tags.\"a.b-c\".");
            }

            key = string.Join('.', parts.Skip(1).Select(p => p.Text));
        }

        if (key.Length == 0)
        {
            throw SearchErrors.Invalid($"Empty key in '{identifier.Text}' at position {identifier.Position}.");
        }

        if (isTag)
        {
            return (key, "");
        }

        return validAttributes.Contains(key, StringComparer.Ordinal)
            ? (null, key)
            : throw SearchErrors.Invalid(
                $"Invalid attribute key '{key}' specified at position {identifier.Position}. Valid keys are {List(validAttributes)}.");
    }

    private static string List(IReadOnlyList<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
