using System.Globalization;
using System.Text;

namespace Experiments;

/// <summary>
/// The identity of a trial: its configuration (the parameter values, <c>resnet18/lr=0.008</c>) and its repeat.
/// Written <c>configuration#repeat</c> (<c>resnet18/lr=0.008#2</c>): parameters in declaration order separated by
/// <c>/</c>, each as <c>key=value</c>, or as the value alone for parameters that are <c>BareInId</c> (strings, enums).
/// Ids are stable across builds, so the store is keyed by experiment and id. The generator escapes <c>/</c>, <c>#</c>
/// and <c>%</c> inside values (<c>%2F</c>, <c>%23</c>, <c>%25</c>), so the last <c>#</c> always starts the repeat; it
/// rejects values without a usable id (empty, null, control characters: EXP025) and writes a value longer than 253
/// UTF-8 bytes as its first 48 bytes, <c>~</c> and 12 hex digits of its SHA-256 (no value alone is too long for a file name).
/// This is the one place that builds and splits ids.
/// </summary>
/// <param name="ConfigurationId">The id without the repeat suffix: the same for every repeat of one combination.</param>
/// <param name="Repeat">The repeat, from 1.</param>
public readonly record struct TrialId(string ConfigurationId, int Repeat)
{
    /// <summary>Comes before the repeat number: <c>lr=0.1#2</c>.</summary>
    public const char RepeatSeparator = '#';

    /// <summary>Comes between parameters: <c>resnet18/lr=0.1</c>.</summary>
    public const char ParameterSeparator = '/';

    /// <summary>Comes between a parameter's key and its value: <c>lr=0.1</c>.</summary>
    public const char KeySeparator = '=';

    /// <summary>Splits <c>a/b#2</c> into <c>("a/b", 2)</c>.</summary>
    /// <exception cref="FormatException"><paramref name="id"/> does not end with <c>#</c> and a repeat number from 1.</exception>
    public static TrialId Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return TryParse(id, out var trialId)
            ? trialId
            : throw new FormatException($"'{id}' is not a trial id: a trial id ends with '{RepeatSeparator}' and the repeat number, e.g. 'lr=0.1{RepeatSeparator}1'.");
    }

    /// <summary>Like <see cref="Parse"/>, false instead of an exception.</summary>
    public static bool TryParse(string? id, out TrialId trialId)
    {
        trialId = default;
        if (id is null)
        {
            return false;
        }
        var separator = id.LastIndexOf(RepeatSeparator);
        if (separator >= 0
            && int.TryParse(id.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var repeat)
            && repeat >= 1)
        {
            trialId = new TrialId(id[..separator], repeat);
            return true;
        }
        return false;
    }

    /// <summary>Lenient: the text before the last <c>#</c>, or the whole id when it has none.</summary>
    public static string ConfigurationIdOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var separator = id.LastIndexOf(RepeatSeparator);
        return separator >= 0 ? id[..separator] : id;
    }

    /// <summary>
    /// The id of one repeat of a combination: <c>key=value</c> per parameter (the value alone where
    /// <c>Bare</c>), joined by <c>/</c>, then <c>#repeat</c>. <c>Display</c> is the value's invariant, escaped text.
    /// </summary>
    public static string Format(IEnumerable<(string Key, string Display, bool Bare)> parameters, int repeat)
        => new TrialId(Label(parameters), repeat).ToString();

    /// <summary>
    /// The configuration part of an id (no <c>#repeat</c>) for these parameters; reports use it for labels built from a
    /// subset of the parameters (without the data set, say).
    /// </summary>
    public static string Label(IEnumerable<(string Key, string Display, bool Bare)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var label = new StringBuilder();
        var first = true;
        foreach (var (key, display, bare) in parameters)
        {
            if (!first)
            {
                label.Append(ParameterSeparator);
            }
            first = false;
            if (!bare)
            {
                label.Append(key).Append(KeySeparator);
            }
            label.Append(display);
        }
        return label.ToString();
    }

    /// <summary><see cref="ConfigurationId"/> + <c>#</c> + <see cref="Repeat"/>: the id as stored.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{ConfigurationId}{RepeatSeparator}{Repeat}");
}
