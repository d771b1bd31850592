using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Experiments.Generators.Parsing;

/// <summary>
/// Converts an attribute constant to a parameter's type the way C# converts constants implicitly (plus
/// double → float/decimal, which users expect of <c>[Values(0.1)] float</c>), producing the literal to emit and the
/// invariant display text used in trial ids.
/// </summary>
internal static class ConstantConverter
{
    public static bool TryConvert(TypedConstant constant, ITypeSymbol target, out string literal, out string display)
    {
        literal = display = "";
        // Arrays ([Values(new int[] { 1, 2 })] binds one int[] element) and typeof are never a parameter value;
        // TypedConstant.Value throws for arrays, so they are rejected before it is read.
        if (constant.Kind is TypedConstantKind.Error or TypedConstantKind.Array or TypedConstantKind.Type || constant.IsNull || constant.Type is null)
        {
            return false;
        }
        var value = constant.Value;

        if (target.TypeKind == TypeKind.Enum)
        {
            if (!SymbolEqualityComparer.Default.Equals(constant.Type, target))
            {
                return false;
            }
            var type = target.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var member = target.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            literal = member is null ? $"({type})({Invariant(value)})" : $"{type}.{member.Name}";
            display = member is null ? Invariant(value) : Kebab(member.Name);
            return true;
        }

        switch (target.SpecialType)
        {
            case SpecialType.System_String when value is string text:
                literal = SymbolDisplay.FormatLiteral(text, quote: true);
                display = IdText(text);
                return true;
            case SpecialType.System_Boolean when value is bool flag:
                literal = display = flag ? "true" : "false";
                return true;
            case SpecialType.System_Char when value is char character:
                literal = SymbolDisplay.FormatLiteral(character, quote: true);
                display = EscapeForId(character.ToString());
                return true;
        }

        if (!IsNumeric(constant.Type.SpecialType) || !IsNumeric(target.SpecialType))
        {
            return false;
        }
        var isIntegralSource = IsIntegral(constant.Type.SpecialType);
        if (IsIntegral(target.SpecialType))
        {
            if (!isIntegralSource)
            {
                return false;
            }
            var integer = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            if (!InRange(target.SpecialType, integer))
            {
                return false;
            }
            display = integer.ToString(CultureInfo.InvariantCulture);
            literal = target.SpecialType switch
            {
                SpecialType.System_Int32 => display,
                SpecialType.System_Int64 => display + "L",
                SpecialType.System_UInt32 => display + "U",
                SpecialType.System_UInt64 => display + "UL",
                _ => $"({target.ToDisplayString()})({display})",
            };
            return true;
        }

        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        switch (target.SpecialType)
        {
            case SpecialType.System_Double:
                display = number.ToString("R", CultureInfo.InvariantCulture);
                literal = double.IsNaN(number) ? "double.NaN"
                    : double.IsPositiveInfinity(number) ? "double.PositiveInfinity"
                    : double.IsNegativeInfinity(number) ? "double.NegativeInfinity"
                    : display + "D";
                return true;
            case SpecialType.System_Single:
                var single = (float)number;
                if (float.IsInfinity(single) && !double.IsInfinity(number))
                {
                    return false;
                }
                display = single.ToString("R", CultureInfo.InvariantCulture);
                literal = float.IsNaN(single) ? "float.NaN" : float.IsInfinity(single) ? (single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity") : display + "F";
                return true;
            case SpecialType.System_Decimal:
                if (double.IsNaN(number) || double.IsInfinity(number) || Math.Abs(number) > 7.9e28)
                {
                    return false;
                }
                display = ((decimal)number).ToString(CultureInfo.InvariantCulture);
                literal = display + "M";
                return true;
        }
        return false;
    }

    /// <summary>A short description of a constant for messages: <c>"resnet18"</c>, <c>0.1</c>, <c>Pooling.Average</c>.</summary>
    public static string Describe(TypedConstant constant)
    {
        if (constant.Kind == TypedConstantKind.Array)
        {
            return constant.IsNull ? "null" : "{ " + string.Join(", ", constant.Values.Select(Describe)) + " }";
        }
        if (constant.IsNull)
        {
            return "null";
        }
        if (constant.Kind == TypedConstantKind.Type && constant.Value is ITypeSymbol type)
        {
            return $"typeof({type.ToDisplayString()})";
        }
        if (constant.Kind == TypedConstantKind.Enum && constant.Type is { } enumType)
        {
            var member = enumType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value));
            return member is null ? Invariant(constant.Value) : $"{enumType.Name}.{member.Name}";
        }
        return constant.Value switch
        {
            string text => SymbolDisplay.FormatLiteral(text, quote: true),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            _ => Invariant(constant.Value),
        };
    }

    /// <summary>The value of a scalar constant; null for arrays (whose <see cref="TypedConstant.Value"/> throws) and errors.</summary>
    public static object? ValueOf(TypedConstant constant)
        => constant.Kind is TypedConstantKind.Array or TypedConstantKind.Error ? null : constant.Value;

    /// <summary><c>ResizeMethod.Squish</c> → <c>squish</c>, <c>LowRank</c> → <c>low-rank</c>.</summary>
    public static string Kebab(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !char.IsUpper(name[i - 1]))
            {
                builder.Append('-');
            }
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    /// <summary>Ids (see Experiments.TrialId) use '/' between parameters and '#' before the repeat: escape them (and '%') inside values.</summary>
    public static string EscapeForId(string text)
        => text.Replace("%", "%25").Replace("/", "%2F").Replace("#", "%23");

    /// <summary>
    /// Most UTF-8 bytes a string value's id text keeps as it is: a file name has at most 255 bytes (ext4, APFS, NTFS:
    /// 255 UTF-16 units), and the artifact folder of a trial is named after its id, at least <c>value#1</c>. A longer
    /// value could never have run, so shortening it changes no id that ever worked.
    /// </summary>
    public const int MaxIdTextBytes = 253;

    /// <summary>UTF-8 bytes of a long value's text kept before the hash.</summary>
    public const int ShortenedPrefixBytes = 48;

    /// <summary>
    /// A string value's text in ids: escaped (<see cref="EscapeForId"/>), and, when longer than
    /// <see cref="MaxIdTextBytes"/>, its first characters, <c>~</c> and 12 hex digits of the SHA-256 of the whole value
    /// (<c>You are a helpful assistant. Answer in one~3f2a9c0b71de</c>): unique, stable across builds and short.
    /// </summary>
    public static string IdText(string text)
    {
        var escaped = EscapeForId(text);
        if (Encoding.UTF8.GetByteCount(escaped) <= MaxIdTextBytes)
        {
            return escaped;
        }
        var prefix = new StringBuilder();
        var bytes = 0;
        for (var i = 0; i < text.Length;)
        {
            // Never split a surrogate pair or an escape: whole characters, escaped one at a time.
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var piece = EscapeForId(text.Substring(i, length));
            var pieceBytes = Encoding.UTF8.GetByteCount(piece);
            if (bytes + pieceBytes > ShortenedPrefixBytes)
            {
                break;
            }
            prefix.Append(piece);
            bytes += pieceBytes;
            i += length;
        }
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        prefix.Append('~');
        for (var i = 0; i < 6; i++)
        {
            prefix.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return prefix.ToString();
    }

    private static string Invariant(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null";

    private static bool IsNumeric(SpecialType type) => IsIntegral(type) || type is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    private static bool IsIntegral(SpecialType type) => type is SpecialType.System_SByte or SpecialType.System_Byte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64;

    private static bool InRange(SpecialType type, decimal value) => type switch
    {
        SpecialType.System_SByte => value >= sbyte.MinValue && value <= sbyte.MaxValue,
        SpecialType.System_Byte => value >= byte.MinValue && value <= byte.MaxValue,
        SpecialType.System_Int16 => value >= short.MinValue && value <= short.MaxValue,
        SpecialType.System_UInt16 => value >= ushort.MinValue && value <= ushort.MaxValue,
        SpecialType.System_Int32 => value >= int.MinValue && value <= int.MaxValue,
        SpecialType.System_UInt32 => value >= uint.MinValue && value <= uint.MaxValue,
        SpecialType.System_Int64 => value >= long.MinValue && value <= long.MaxValue,
        SpecialType.System_UInt64 => value >= ulong.MinValue && value <= ulong.MaxValue,
        _ => false,
    };
}
