namespace Ferry.Tracking.Search;

/// <summary>
/// Parses MLflow's <c>order_by</c> list for run search: each item is an identifier (<c>metrics.loss</c>,
/// <c>params."learning rate"</c>, <c>attributes.start_time</c>, or a bare attribute such as <c>start_time</c>)
/// optionally followed by ASC or DESC.
/// </summary>
public static class RunOrderByParser
{
    /// <summary>Parses the clauses; null or empty means MLflow's default order (applied by <see cref="RunQueryBuilder"/>).</summary>
    /// <param name="orderBy">The order_by strings as the client sent them.</param>
    /// <returns>The explicit clauses, in priority order; the builder appends the tie-breakers.</returns>
    /// <exception cref="FerryException">INVALID_PARAMETER_VALUE for a malformed clause, a dataset key or a repeated field.</exception>
    public static IReadOnlyList<OrderClause> Parse(IReadOnlyList<string>? orderBy)
    {
        if (orderBy is null || orderBy.Count == 0)
        {
            return Array.Empty<OrderClause>();
        }

        var clauses = new List<OrderClause>(orderBy.Count);
        foreach (var text in orderBy)
        {
            var clause = ParseOne(text ?? "");
            if (clauses.Any(c => c.Entity == clause.Entity && c.Key == clause.Key))
            {
                throw SearchErrors.Invalid(
                    $"`order_by` contains duplicate fields: [{string.Join(", ", orderBy.Select(o => $"'{o}'"))}].");
            }

            clauses.Add(clause);
        }

        return clauses;
    }

    private static OrderClause ParseOne(string text)
    {
        // MLflow (sqlparse) sees surrounding blanks as extra tokens and refuses the clause; so do we.
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            throw SearchErrors.Invalid($"Invalid order_by clause '{text}'. Could not be parsed: remove the surrounding blanks.");
        }

        List<SearchToken> tokens;
        try
        {
            tokens = SearchLexer.Tokenize(text);
        }
        catch (FerryException e)
        {
            throw SearchErrors.Invalid($"Invalid order_by clause '{text}'. Could not be parsed: {e.Message}");
        }

        var identifier = tokens[0];
        if (identifier.Kind != TokenKind.Identifier)
        {
            throw SearchErrors.Invalid($"Invalid order_by clause '{text}'. Could not be parsed.");
        }

        var ascending = true;
        var next = tokens[1];
        if (next.Kind != TokenKind.End)
        {
            if (next.Kind != TokenKind.Identifier || tokens[2].Kind != TokenKind.End)
            {
                throw SearchErrors.Invalid($"Invalid order_by clause '{text}'. Could not be parsed.");
            }

            if (next.IsKeyword("DESC"))
            {
                ascending = false;
            }
            else if (!next.IsKeyword("ASC"))
            {
                throw SearchErrors.Invalid(
                    $"Invalid ordering key in order_by clause '{text}': expected ASC or DESC at position {next.Position}, found '{next.Text}'.");
            }
        }

        var (entity, key) = RunSearchKeys.Resolve(identifier, forOrderBy: true);
        if (entity == SearchEntity.Dataset)
        {
            throw SearchErrors.Invalid(
                $"Invalid order_by clause '{text}': runs cannot be ordered by a dataset field; use metrics, params, tags or attributes.");
        }

        return new OrderClause(entity, key, ascending);
    }
}
