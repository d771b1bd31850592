using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Experiments.Runner;

/// <summary>
/// Experiment names and trial ids as file and folder names: one path segment on every OS, never <c>.</c> or <c>..</c>,
/// and distinct for distinct names. A name that is already a safe segment stays as it is (<c>Fast</c>, <c>lr=0.1#2</c>);
/// any other gets its unsafe characters replaced by <c>_</c>, is cut to fit, and ends in <c>~</c> and 12 hex digits of
/// the SHA-256 of the original name (<c>resnet18_lr=0.1#2~3f2a9c0b71de</c>): readable, stable across runs, and two
/// names that sanitise alike (<c>a\b</c>, <c>a|b</c>) still get two folders.
/// </summary>
internal static class FileNames
{
    /// <summary>Most UTF-8 bytes in a file name: 255 on ext4 and APFS (NTFS counts 255 UTF-16 units, which is never less).</summary>
    public const int MaxBytes = 255;

    /// <summary>Hex digits of the hash suffix.</summary>
    public const int HashDigits = 12;

    /// <summary>Comes before the hash suffix.</summary>
    public const char HashSeparator = '~';

    /// <summary>
    /// Characters no name may keep: path separators and what Windows forbids (<c>\ / : * ? " &lt; &gt; |</c>), control
    /// characters, and this OS's own invalid file-name characters.
    /// </summary>
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        new string(Path.GetInvalidFileNameChars().Concat(@"/\:*?""<>|").Concat(Enumerable.Range(0, 32).Select(c => (char)c)).Distinct().ToArray()));

    /// <summary>The name as one safe path segment, unique per name (see the class).</summary>
    public static string Safe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var safe = Sanitise(name);
        if (string.Equals(safe, name, StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(name) <= MaxBytes)
        {
            return name;
        }
        return Prefix(safe, MaxBytes - 1 - HashDigits) + HashSeparator + Hash(name);
    }

    /// <summary>Unsafe characters (and lone surrogates) as <c>_</c>; a name of dots alone (<c>.</c>, <c>..</c>) or empty as underscores.</summary>
    private static string Sanitise(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                builder.Append(c).Append(name[++i]);
            }
            else
            {
                builder.Append(Unsafe.Contains(c) || char.IsControl(c) || char.IsSurrogate(c) ? '_' : c);
            }
        }
        if (builder.Length == 0 || builder.ToString().All(c => c == '.'))
        {
            // '.' and '..' are this folder and the one above: never a name of its own.
            return new string('_', Math.Max(1, builder.Length));
        }
        return builder.ToString();
    }

    /// <summary>The longest start of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, in whole characters.</summary>
    private static string Prefix(string text, int maxBytes)
    {
        var bytes = 0;
        var end = 0;
        while (end < text.Length)
        {
            var length = char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(end, length));
            if (bytes + size > maxBytes)
            {
                break;
            }
            bytes += size;
            end += length;
        }
        return text[..end];
    }

    /// <summary>
    /// The first <see cref="HashDigits"/> hex digits of the SHA-256 of the name's UTF-8 (of its UTF-16 when it holds a
    /// lone surrogate, which UTF-8 cannot keep apart from another).
    /// </summary>
    private static string Hash(string name)
    {
        // Raw UTF-16 code units: every encoder would replace a lone surrogate by U+FFFD.
        var hash = IsWellFormed(name)
            ? SHA256.HashData(Encoding.UTF8.GetBytes(name))
            : SHA256.HashData(MemoryMarshal.AsBytes(name.AsSpan()));
        return Convert.ToHexStringLower(hash, 0, HashDigits / 2);
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
