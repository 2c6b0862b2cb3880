using System.Text;
using Ferry.Data.Schema;
using Ferry.Learn;
using Ferry.Learn.Features;

namespace Ferry.Serving.Protocols;

/// <summary>
/// A signature prepared once per served version for the decoders: the inputs by position and by name, each
/// categorical input's known categories with a lookup, so a request costs no per-signature work.
/// </summary>
internal sealed class InputLayout
{
    private readonly Dictionary<string, int> _index;

    public InputLayout(ModelSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Signature = signature;
        Inputs = new InputSlot[signature.Inputs.Count];
        _index = new Dictionary<string, int>(Inputs.Length, StringComparer.Ordinal);
        var allNumeric = Inputs.Length > 0;
        for (var i = 0; i < Inputs.Length; i++)
        {
            var input = signature.Inputs[i];
            Inputs[i] = new InputSlot(input);
            _index.TryAdd(input.Name, i);
            allNumeric &= input.Kind == ColumnKind.Numeric;
            if (input.Kind == ColumnKind.Image)
            {
                ImageInput ??= input.Name;
            }
        }

        AllNumeric = allNumeric;
        InputNames = Listed([.. signature.Inputs.Select(i => i.Name)]);
    }

    public ModelSignature Signature { get; }

    public InputSlot[] Inputs { get; }

    /// <summary>Whether every input is numeric (so one [N, F] matrix can carry a batch).</summary>
    public bool AllNumeric { get; }

    /// <summary>The inputs' names for messages, the first few then how many more.</summary>
    public string InputNames { get; }

    /// <summary>The first image input, which no JSON protocol here carries; null for tabular models.</summary>
    public string? ImageInput { get; }

    /// <summary>The position of the input called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Refuses image models, whose rows cannot be sent as JSON values.</summary>
    public void EnsureTabular()
    {
        if (ImageInput is not null)
        {
            throw FerryException.Invalid(
                InputErrors.Code,
                $"this model reads images (input '{ImageInput}'); these JSON protocols carry table rows, so score images with `ferry predict` on an image folder");
        }
    }

    /// <summary>Up to <paramref name="max"/> names, quoted, then "and N more".</summary>
    public static string Listed(IReadOnlyList<string> names, int max = 10)
    {
        var text = new StringBuilder();
        for (var i = 0; i < names.Count && i < max; i++)
        {
            text.Append(i == 0 ? "'" : ", '").Append(names[i]).Append('\'');
        }

        return names.Count > max ? text.Append($" and {names.Count - max} more").ToString() : text.ToString();
    }
}

/// <summary>One input as the decoders need it.</summary>
internal sealed class InputSlot
{
    private static readonly HashSet<string> TrueWords = new(StringComparer.OrdinalIgnoreCase) { "true", "yes", "y", "t", "1" };
    private static readonly HashSet<string> FalseWords = new(StringComparer.OrdinalIgnoreCase) { "false", "no", "n", "f", "0" };

    public InputSlot(InputColumn input)
    {
        Name = input.Name;
        Utf8Name = Encoding.UTF8.GetBytes(input.Name);
        Kind = input.Kind;
        if (input.Categories is { Count: > 0 } categories && input.Kind is ColumnKind.Categorical or ColumnKind.Boolean)
        {
            Categories = [.. categories];
            Lookup = new Dictionary<string, int>(Categories.Length, StringComparer.Ordinal);
            for (var i = 0; i < Categories.Length; i++)
            {
                Lookup.TryAdd(Categories[i], i);
            }

            TrueCode = FindWord(TrueWords);
            FalseCode = FindWord(FalseWords);
        }
    }

    public string Name { get; }

    public byte[] Utf8Name { get; }

    public ColumnKind Kind { get; }

    /// <summary>The categories seen in training, shared as the dictionary of every column decoded; null when not listed (hashed or not categorical).</summary>
    public string[]? Categories { get; }

    public Dictionary<string, int>? Lookup { get; }

    /// <summary>The category that means true ("true", "yes", "1"...), or -1.</summary>
    public int TrueCode { get; } = -1;

    /// <summary>The category that means false, or -1.</summary>
    public int FalseCode { get; } = -1;

    /// <summary>
    /// The code of <paramref name="text"/> among <see cref="Categories"/>: as written, then canonical ("1.0" is "1",
    /// blanks trimmed), then for boolean columns as a truth word ("yes" for a true/false column); -1 when unknown.
    /// </summary>
    public int CodeOf(string text)
    {
        if (Lookup is null)
        {
            return -1;
        }

        if (Lookup.TryGetValue(text, out var code))
        {
            return code;
        }

        var canonical = CategoryText.Canonical(text);
        if (Lookup.TryGetValue(canonical, out code))
        {
            return code;
        }

        if (Kind == ColumnKind.Boolean)
        {
            return TrueWords.Contains(canonical) ? TrueCode : FalseWords.Contains(canonical) ? FalseCode : -1;
        }

        return -1;
    }

    private int FindWord(HashSet<string> words)
    {
        for (var i = 0; i < Categories!.Length; i++)
        {
            if (words.Contains(Categories[i].Trim()))
            {
                return i;
            }
        }

        return -1;
    }
}
