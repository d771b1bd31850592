using System.Globalization;
using System.Text;
using Experiments.Vision.Data;
using Experiments.Vision.Inference;
using Experiments.Vision.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Experiments.Vision.Tests.Inference;

public sealed class PredictionsCsvTests : IDisposable
{
    private static readonly string[] AwkwardClasses = ["cat", "with,comma", "say \"hi\"", "two\nlines"];

    private readonly TempDirectory _temp = new();

    public PredictionsCsvTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_csv_has_a_header_and_one_row_per_item_with_fields_escaped()
    {
        using var scope = NewDisposeScope();
        float[] values = [0.1f, 0.2f, 0.3f, 0.4f, 0.7f, 0.1f, 0.1f, 0.1f];
        using var predictions = new Predictions(tensor(values, [2, 4]), tensor(new long[] { 2, 1 }), [4, 9], AwkwardClasses, isMultiLabel: false);
        var dataset = new NamedItems(["/data/a,b.png", "/data/plain.png"]);
        string path = _temp.Combine("predictions.csv");

        PredictionsCsv.Write(path, predictions, new IndexedNames(dataset, 4, 9));

        var bytes = File.ReadAllBytes(path);
        Assert.NotEqual(0xEF, bytes[0]); // no byte-order mark
        string text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("index,item,predicted,target,prob_cat,\"prob_with,comma\",\"prob_say \"\"hi\"\"\",\"prob_two\nlines\"\r\n", text);
        Assert.EndsWith("\r\n", text);

        var rows = CsvText.Parse(text);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["index", "item", "predicted", "target", .. AwkwardClasses.Select(c => "prob_" + c)], rows[0]);
        Assert.Equal(["4", "/data/a,b.png", "two\nlines", "say \"hi\""], rows[1][..4]);
        Assert.Equal(["9", "/data/plain.png", "cat", "with,comma"], rows[2][..4]);
        Assert.Equal(values, rows.Skip(1).SelectMany(r => r[4..]).Select(f => float.Parse(f, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Multi_label_rows_join_the_classes_above_the_threshold()
    {
        using var scope = NewDisposeScope();
        using var predictions = new Predictions(
            tensor(new[] { 0.9f, 0.6f, 0.1f, 0.2f, 0.3f, 0.4f }, [2, 3]), tensor(new[] { 1f, 0f, 1f, 0f, 0f, 0f }, [2, 3]), [0, 1], ["a", "b;c", "d"], isMultiLabel: true);
        var writer = new StringWriter();

        PredictionsCsv.Write(writer, predictions, options: new PredictionsCsvOptions { LabelSeparator = "|" });

        var rows = CsvText.Parse(writer.ToString());
        Assert.Equal(["index", "predicted", "target", "prob_a", "prob_b;c", "prob_d"], rows[0]);
        Assert.Equal(["0", "a|b;c", "a|d"], rows[1][..3]);
        Assert.Equal(["1", "", ""], rows[2][..3]);
    }

    [Fact]
    public void Without_targets_or_a_dataset_the_columns_are_the_index_the_prediction_and_the_probabilities()
    {
        using var scope = NewDisposeScope();
        using var predictions = new Predictions(tensor(new[] { 0.25f, 0.75f }, [1, 2]), null, [0], ["no", "yes"], isMultiLabel: false);
        var writer = new StringWriter();

        PredictionsCsv.Write(writer, predictions);

        Assert.Equal("index,predicted,prob_no,prob_yes\r\n0,yes,0.25,0.75\r\n", writer.ToString());
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\r\nbreak", "\"line\r\nbreak\"")]
    [InlineData(" padded ", "\" padded \"")]
    public void Fields_are_quoted_only_when_they_must_be(string field, string written) => Assert.Equal(written, PredictionsCsv.Escape(field));

    /// <summary>Items described by given names (only <see cref="IImageDataset.Describe"/> matters here).</summary>
    private sealed class NamedItems(string[] names) : IImageDataset
    {
        public int Count => names.Length;

        public IReadOnlyList<string> Classes => AwkwardClasses;

        public bool IsMultiLabel => false;

        public int Channels => 3;

        public ImageSample Get(int index) => throw new NotSupportedException();

        public int[] GetLabels(int index) => throw new NotSupportedException();

        public string Describe(int index) => names[index];
    }

    /// <summary>The items of <c>inner</c> at the given dataset indices.</summary>
    private sealed class IndexedNames(IImageDataset inner, params int[] indices) : IImageDataset
    {
        public int Count => indices.Max() + 1;

        public IReadOnlyList<string> Classes => inner.Classes;

        public bool IsMultiLabel => inner.IsMultiLabel;

        public int Channels => inner.Channels;

        public ImageSample Get(int index) => throw new NotSupportedException();

        public int[] GetLabels(int index) => throw new NotSupportedException();

        public string Describe(int index) => inner.Describe(Array.IndexOf(indices, index));
    }
}
