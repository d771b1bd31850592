using Experiments.Vision.Data;
using Experiments.Vision.Tests.Support;
using SkiaSharp;

namespace Experiments.Vision.Tests.Data;

public sealed class LabelsCsvDatasetTests
{
    [Fact]
    public void Single_label_rows_give_one_class_each_in_vocabulary_order()
    {
        using var temp = new TempDirectory();
        WriteImages(temp, "images", "1.png", "2.png", "3.png", "odd, name.png");
        File.WriteAllText(temp.Combine("labels.csv"),
            "\uFEFFfile,label\r\nimages/1.png,dog\r\nimages/2.png, cat \r\n\r\n\"images/odd, name.png\",\"dog\"\r\nimages/3.png,bird\r\n");

        var dataset = LabelsCsvDataset.Open(temp.Combine("labels.csv"));

        Assert.False(dataset.IsMultiLabel);
        Assert.Equal(["bird", "cat", "dog"], dataset.Classes);
        Assert.Equal(4, dataset.Count);
        Assert.Equal([2, 1, 2, 0], Enumerable.Range(0, 4).Select(i => dataset.Get(i).Label));
        Assert.Equal(temp.Combine("images", "odd, name.png"), dataset.Describe(2));
        Assert.Equal(5, dataset.Get(2).Image.Width);
    }

    [Fact]
    public void Space_separated_tags_give_multi_label_samples_like_the_Planet_data_set()
    {
        using var temp = new TempDirectory();
        WriteImages(temp, "train", "train_0.jpg", "train_1.jpg", "train_2.jpg");
        File.WriteAllText(temp.Combine("train_v2.csv"),
            "image_name,tags\ntrain_0,haze primary\ntrain_1,agriculture clear primary water\ntrain_2,clear  primary primary\n");

        var dataset = LabelsCsvDataset.Open(temp.Combine("train_v2.csv"), new LabelsCsvOptions
        {
            ImageFolder = temp.Combine("train"),
            FileColumn = "image_name",
            LabelColumn = "tags",
            LabelDelimiter = " ",
            Suffix = ".jpg",
        });

        Assert.True(dataset.IsMultiLabel);
        Assert.Equal(["agriculture", "clear", "haze", "primary", "water"], dataset.Classes);
        Assert.Equal([[2, 3], [0, 1, 3, 4], [1, 3]], Enumerable.Range(0, 3).Select(dataset.GetLabels));
        Assert.Equal([2, 3], dataset.Get(0).Labels);
        Assert.Equal(temp.Combine("train", "train_1.jpg"), dataset.Files[1]);
    }

    [Fact]
    public void Columns_can_be_chosen_by_name_in_any_case_or_by_number()
    {
        using var temp = new TempDirectory();
        WriteImages(temp, ".", "a.png");
        File.WriteAllText(temp.Combine("l.csv"), "split,Label,Path\ntrain,x,a.png\n");

        var byName = LabelsCsvDataset.Open(temp.Combine("l.csv"), new LabelsCsvOptions { FileColumn = "path", LabelColumn = "Label" });
        var byNumber = LabelsCsvDataset.Open(temp.Combine("l.csv"), new LabelsCsvOptions { FileColumn = "2", LabelColumn = "1" });

        Assert.Equal(temp.Combine("a.png"), byName.Files[0]);
        Assert.Equal(byName.Files, byNumber.Files);
        var missing = Assert.Throws<DataFileException>(() => LabelsCsvDataset.Open(temp.Combine("l.csv"), new LabelsCsvOptions { FileColumn = "file" }));
        Assert.Contains("no file column 'file' (columns: 'split', 'Label', 'Path')", missing.Message);
    }

    [Theory]
    [InlineData("file,label\na.png,x,extra\n", "line 2 has 3 field(s), the header has 2")]
    [InlineData("file,label\na.png,\n", "line 2: no label for 'a.png'")]
    [InlineData("file,label\n\"a.png,x\n", "line 2: a quoted field is not closed")]
    [InlineData("file,label\n../outside.png,x\n", "line 2: '../outside.png' is outside the image folder")]
    [InlineData("file,label\n/etc/passwd,x\n", "line 2: '/etc/passwd' is an absolute path")]
    [InlineData("file,label\n", "a header but no rows")]
    public void A_malformed_labels_file_is_an_error_naming_it_and_the_line(string csv, string message)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("labels.csv"), csv);

        var error = Assert.Throws<DataFileException>(() => LabelsCsvDataset.Open(temp.Combine("labels.csv")));

        Assert.Equal(temp.Combine("labels.csv"), error.FilePath);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_listed_file_that_is_missing_is_an_error_naming_it_when_decoded()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("labels.csv"), "file,label\nghost.png,x\n");
        var dataset = LabelsCsvDataset.Open(temp.Combine("labels.csv"));

        var error = Assert.Throws<DataFileException>(() => dataset.Get(0));

        Assert.Equal(temp.Combine("ghost.png"), error.FilePath);
        Assert.Contains("cannot be read", error.Message);
    }

    private static void WriteImages(TempDirectory temp, string folder, params string[] names)
    {
        foreach (string name in names)
        {
            var format = name.EndsWith(".jpg", StringComparison.Ordinal) ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
            DataFixtures.WriteImage(temp.Combine(folder, name), DataFixtures.Solid(5, 4, 9, 9, 9), format);
        }
    }
}
