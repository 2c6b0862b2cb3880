using System.Globalization;
using Ferry.Tracking.Search;

namespace Ferry.Tracking.Registry;

/// <summary>Which registry table a search runs over.</summary>
internal enum RegistrySearchTarget
{
    /// <summary><c>registered_models m</c>.</summary>
    RegisteredModels,

    /// <summary><c>model_versions v</c>.</summary>
    ModelVersions,
}

/// <summary>A registry search as SQL: a WHERE condition with parameters <c>@f0…</c>, and an ORDER BY list.</summary>
internal sealed record RegistryQuery(string WhereSql, IReadOnlyList<object> Parameters, string OrderBySql);

/// <summary>
/// Translates MLflow's registry filter and order_by into SQL. The language is the run-search one (same lexer, so the
/// same quoting rules: <c>tags.`mlflow.prompt.is_prompt`</c>), restricted to what MLflow's registry search accepts.
/// </summary>
internal static class RegistrySearch
{
    public static RegistryQuery Build(RegistrySearchTarget target, string? filter, IReadOnlyList<string>? orderBy, SearchDialect dialect)
    {
        var parameters = new List<object>();
        var conditions = new List<string>();
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var tokens = SearchLexer.Tokenize(filter);
            var i = 0;
            while (true)
            {
                conditions.Add(ParseComparison(target, tokens, ref i, dialect, parameters));
                var next = tokens[i];
                if (next.Kind == TokenKind.End)
                {
                    break;
                }

                if (!next.IsKeyword("AND"))
                {
                    throw SearchErrors.Invalid($"Invalid filter '{filter}': expected AND or the end after a comparison, found {SearchLexer.Describe(next)} at position {next.Position}.");
                }

                i++;
            }
        }

        var where = conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
        return new RegistryQuery(where, parameters, OrderBy(target, orderBy));
    }

    private static string ParseComparison(RegistrySearchTarget target, List<SearchToken> tokens, ref int i, SearchDialect dialect, List<object> parameters)
    {
        var keyToken = tokens[i];
        if (keyToken.Kind != TokenKind.Identifier || keyToken.Parts is null)
        {
            throw SearchErrors.Invalid($"Invalid filter: expected a key such as name or tags.<key> at position {keyToken.Position}, found {SearchLexer.Describe(keyToken)}.");
        }

        i++;
        var (tagKey, attribute) = ResolveKey(target, keyToken);
        var comparator = ReadComparator(tokens, ref i);
        var allowed = attribute switch
        {
            "run_id" => [SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.In],
            "version_number" => [SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Less, SearchComparator.LessOrEqual, SearchComparator.Greater, SearchComparator.GreaterOrEqual],
            _ => new[] { SearchComparator.Equal, SearchComparator.NotEqual, SearchComparator.Like, SearchComparator.ILike },
        };
        var what = tagKey is null ? $"attribute '{attribute}'" : $"tag '{tagKey}'";
        if (!allowed.Contains(comparator.Comparator))
        {
            throw SearchErrors.Invalid(
                $"Invalid comparator '{comparator.Text}' for {what} at position {comparator.Position}: use one of {string.Join(", ", allowed.Select(RunFilterParser.Symbol))}.");
        }

        if (comparator.Comparator == SearchComparator.In)
        {
            var values = ReadList(tokens, ref i, what);
            return $"v.run_id IN ({string.Join(", ", values.Select(v => Add(parameters, v)))})";
        }

        var valueToken = tokens[i++];
        if (attribute == "version_number")
        {
            if (valueToken.Kind is not (TokenKind.Number or TokenKind.String)
                || !long.TryParse(valueToken.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw SearchErrors.Invalid($"Invalid value {SearchLexer.Describe(valueToken)} for version_number at position {valueToken.Position}: give a whole number.");
            }

            return $"v.version {Sql(comparator.Comparator)} {Add(parameters, number)}";
        }

        if (valueToken.Kind != TokenKind.String)
        {
            throw SearchErrors.Invalid($"Invalid value {SearchLexer.Describe(valueToken)} for {what} at position {valueToken.Position}: quote it, for example '{valueToken.Text}'.");
        }

        if (comparator.Comparator is SearchComparator.Like or SearchComparator.ILike)
        {
            LikePattern.Validate(valueToken.Text, valueToken.Position);
        }

        if (tagKey is null)
        {
            var column = target == RegistrySearchTarget.RegisteredModels ? "m.name" : attribute switch
            {
                "name" => "v.name",
                "source_path" => "v.source",
                _ => "v.run_id",
            };
            return Text(column, comparator.Comparator, valueToken.Text, dialect, parameters);
        }

        var tags = target == RegistrySearchTarget.RegisteredModels
            ? "registered_model_tags t WHERE t.name = m.name"
            : "model_version_tags t WHERE t.name = v.name AND t.version = v.version";
        var key = Add(parameters, tagKey);
        // A model without the tag is "not equal", as MLflow's client relies on for its prompt filter.
        return comparator.Comparator == SearchComparator.NotEqual
            ? $"NOT EXISTS (SELECT 1 FROM {tags} AND t.key = {key} AND t.value = {Add(parameters, valueToken.Text)})"
            : $"EXISTS (SELECT 1 FROM {tags} AND t.key = {key} AND {Text("t.value", comparator.Comparator, valueToken.Text, dialect, parameters)})";
    }

    private static (string? TagKey, string Attribute) ResolveKey(RegistrySearchTarget target, SearchToken token)
    {
        var parts = token.Parts!;
        var head = parts[0].IsQuoted ? "" : parts[0].Text.ToLowerInvariant();
        if (parts.Count >= 2 && head is "tags" or "tag")
        {
            return (string.Join('.', parts.Skip(1).Select(p => p.Text)), "");
        }

        var attribute = parts.Count == 2 && head is "attributes" or "attribute" ? parts[1].Text : parts.Count == 1 ? parts[0].Text : token.Text;
        string[] valid = target == RegistrySearchTarget.RegisteredModels ? ["name"] : ["name", "run_id", "source_path", "version_number"];
        if (!valid.Contains(attribute))
        {
            throw SearchErrors.Invalid(
                $"Invalid attribute key '{attribute}' at position {token.Position}: valid keys are {string.Join(", ", valid)} and tags.<key>.");
        }

        return (null, attribute);
    }

    private static (SearchComparator Comparator, string Text, int Position) ReadComparator(List<SearchToken> tokens, ref int i)
    {
        var token = tokens[i++];
        SearchComparator? comparator = token.Kind == TokenKind.Operator
            ? token.Text switch
            {
                "=" => SearchComparator.Equal,
                "!=" => SearchComparator.NotEqual,
                "<" => SearchComparator.Less,
                "<=" => SearchComparator.LessOrEqual,
                ">" => SearchComparator.Greater,
                ">=" => SearchComparator.GreaterOrEqual,
                _ => null,
            }
            : token.IsKeyword("LIKE") ? SearchComparator.Like
            : token.IsKeyword("ILIKE") ? SearchComparator.ILike
            : token.IsKeyword("IN") ? SearchComparator.In
            : null;
        return comparator is { } found
            ? (found, token.Text, token.Position)
            : throw SearchErrors.Invalid($"Invalid comparator {SearchLexer.Describe(token)} at position {token.Position}: use =, !=, LIKE, ILIKE, IN or a numeric comparison.");
    }

    private static List<string> ReadList(List<SearchToken> tokens, ref int i, string what)
    {
        if (tokens[i].Kind != TokenKind.LeftParen)
        {
            throw SearchErrors.Invalid($"Invalid value for {what} at position {tokens[i].Position}: IN needs a parenthesised list such as ('a', 'b').");
        }

        i++;
        var values = new List<string>();
        while (true)
        {
            var token = tokens[i++];
            if (token.Kind != TokenKind.String)
            {
                throw SearchErrors.Invalid($"Invalid value {SearchLexer.Describe(token)} in the list for {what} at position {token.Position}: quote each value.");
            }

            values.Add(token.Text);
            var separator = tokens[i++];
            if (separator.Kind == TokenKind.RightParen)
            {
                return values;
            }

            if (separator.Kind != TokenKind.Comma)
            {
                throw SearchErrors.Invalid($"Invalid list for {what} at position {separator.Position}: expected ',' or ')', found {SearchLexer.Describe(separator)}.");
            }
        }
    }

    private static string Text(string column, SearchComparator comparator, string value, SearchDialect dialect, List<object> parameters) => comparator switch
    {
        SearchComparator.Equal => $"{column} = {Add(parameters, value)}",
        SearchComparator.NotEqual => $"{column} <> {Add(parameters, value)}",
        // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive whatever the connection's pragmas (as in run search).
        SearchComparator.Like when dialect == SearchDialect.Sqlite => $"{column} GLOB {Add(parameters, LikePattern.ToGlob(value))}",
        SearchComparator.Like => $"{column} LIKE {Add(parameters, value)}",
        SearchComparator.ILike when dialect == SearchDialect.Sqlite => $"LOWER({column}) LIKE LOWER({Add(parameters, value)}) ESCAPE '\\'",
        _ => $"{column} ILIKE {Add(parameters, value)}",
    };

    private static string Sql(SearchComparator comparator) => comparator switch
    {
        SearchComparator.Equal => "=",
        SearchComparator.NotEqual => "<>",
        SearchComparator.Less => "<",
        SearchComparator.LessOrEqual => "<=",
        SearchComparator.Greater => ">",
        _ => ">=",
    };

    private static string Add(List<object> parameters, object value)
    {
        parameters.Add(value);
        return "@f" + (parameters.Count - 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string OrderBy(RegistrySearchTarget target, IReadOnlyList<string>? orderBy)
    {
        var models = target == RegistrySearchTarget.RegisteredModels;
        var columns = models
            ? new Dictionary<string, string> { ["name"] = "m.name", ["last_updated_timestamp"] = "m.last_updated_time", ["timestamp"] = "m.last_updated_time" }
            : new Dictionary<string, string>
            {
                ["name"] = "v.name", ["version_number"] = "v.version", ["creation_timestamp"] = "v.creation_time",
                ["last_updated_timestamp"] = "v.last_updated_time", ["timestamp"] = "v.last_updated_time",
            };
        IReadOnlyList<string> clauses = orderBy is { Count: > 0 } ? orderBy
            : models ? ["name ASC"] : ["last_updated_timestamp DESC", "name ASC", "version_number DESC"];
        var parts = new List<string>();
        var used = new HashSet<string>();
        foreach (var clause in clauses)
        {
            var words = (clause ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var direction = words.Length == 2 ? words[1].ToUpperInvariant() : "ASC";
            if (words.Length is < 1 or > 2 || direction is not ("ASC" or "DESC") || !columns.TryGetValue(words[0], out var column))
            {
                throw SearchErrors.Invalid(
                    $"Invalid order_by clause '{clause}': use one of {string.Join(", ", columns.Keys)}, optionally followed by ASC or DESC.");
            }

            if (!used.Add(column))
            {
                throw SearchErrors.Invalid($"`order_by` contains duplicate fields: '{clause}'.");
            }

            parts.Add($"{column} {direction}");
        }

        // Tie-breakers make pages stable: every row has one place in the order.
        if (used.Add(models ? "m.name" : "v.name"))
        {
            parts.Add(models ? "m.name ASC" : "v.name ASC");
        }

        if (!models && used.Add("v.version"))
        {
            parts.Add("v.version DESC");
        }

        return string.Join(", ", parts);
    }
}
