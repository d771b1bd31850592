using Experiments.Reports.Formatting;

namespace Experiments.Reports.Tests;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0.0423, "0.04230")]
    [InlineData(0.042345, "0.04235")]
    [InlineData(12.345, "12.35")]
    [InlineData(1234.5, "1235")]
    [InlineData(123456.0, "123456")]
    [InlineData(9.99996, "10.00")]
    [InlineData(-0.5, "-0.5000")]
    [InlineData(0.0, "0")]
    [InlineData(0.0000123, "1.230E-5")]
    public void Numbers_have_four_significant_digits(double value, string expected)
        => Assert.Equal(expected, ReadableFormat.Number(value));

    [Theory]
    [InlineData(0.45, "0.45 s")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(59.97, "1m 00s")]
    [InlineData(245, "4m 05s")]
    [InlineData(7380, "2h 03m")]
    public void Durations_read_naturally(double seconds, string expected)
        => Assert.Equal(expected, ReadableFormat.Duration(seconds));

    [Theory]
    [InlineData(2048.0, "2 KiB")]
    [InlineData(512.0 * 1024 * 1024, "512.0 MiB")]
    [InlineData(2.5 * 1024 * 1024 * 1024, "2.50 GiB")]
    public void Memory_in_binary_units(double bytes, string expected)
        => Assert.Equal(expected, ReadableFormat.Memory(bytes));

    [Fact]
    public void Missing_values_show_a_dash()
    {
        Assert.Equal("—", ReadableFormat.Number(null));
        Assert.Equal("—", ReadableFormat.Duration(null));
        Assert.Equal("—", ReadableFormat.Memory(null));
    }

    [Theory]
    [InlineData("a|b", @"a\|b")]
    [InlineData("line1\nline2\r\nline3", "line1 line2 line3")]
    [InlineData(@"C:\path", @"C:\\path")]
    [InlineData("convnext_tiny", "convnext_tiny")]
    [InlineData("_private_", @"\_private\_")]
    [InlineData("*bold* `code` <tag> [x]", @"\*bold\* \`code\` \<tag\> \[x\]")]
    [InlineData(null, "")]
    public void Markdown_escaping_keeps_a_value_in_its_cell(string? text, string expected)
        => Assert.Equal(expected, MarkdownText.Escape(text));

    [Fact]
    public void First_line_skips_blank_lines_and_shortens()
    {
        Assert.Equal(@"boom \| bang", MarkdownText.FirstLine("\n  boom | bang  \n at X.Y()"));
        Assert.Equal(new string('x', 9) + "…", MarkdownText.FirstLine(new string('x', 50), 10));
    }
}
