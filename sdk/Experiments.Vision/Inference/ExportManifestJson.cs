using System.Globalization;
using System.Text.Json;
using Experiments.Vision.Models;
using Experiments.Vision.Transforms;

namespace Experiments.Vision.Inference;

/// <summary>
/// Writes and reads <see cref="ExportManifest"/> JSON by hand, field by field: no type names, no polymorphism, nothing
/// from the file decides what code runs. Every problem names the file and the field.
/// </summary>
internal static class ExportManifestJson
{
    /// <summary>Metadata is a few kilobytes; anything far larger is not an export's metadata.</summary>
    private const long MaxBytes = 16L << 20;

    public static byte[] Write(ExportManifest manifest)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", ExportManifest.FormatName);
            json.WriteNumber("format_version", manifest.FormatVersion);
            json.WriteString("name", manifest.Name);
            json.WriteString("architecture", manifest.Architecture);
            json.WriteString("description", manifest.Description);
            json.WriteString("weights", manifest.WeightsFile);
            if (manifest.WeightsSha256 is { } sha)
            {
                json.WriteString("weights_sha256", sha);
            }
            json.WriteNumber("num_classes", manifest.NumClasses);
            json.WriteStartArray("classes");
            foreach (var name in manifest.Classes)
            {
                json.WriteStringValue(name);
            }
            json.WriteEndArray();
            json.WriteBoolean("multi_label", manifest.MultiLabel);
            json.WriteNumber("input_channels", manifest.InputChannels);
            json.WriteStartObject("image_size");
            json.WriteNumber("height", manifest.ImageHeight);
            json.WriteNumber("width", manifest.ImageWidth);
            json.WriteEndObject();
            json.WriteStartObject("resize");
            json.WriteString("method", EnumName(manifest.ResizeMethod));
            json.WriteString("pad_mode", EnumName(manifest.PadMode));
            json.WriteEndObject();
            if (manifest.Normalization is { } normalization)
            {
                json.WriteStartObject("normalization");
                WriteNumbers(json, "mean", normalization.Mean);
                WriteNumbers(json, "std", normalization.Std);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("normalization");
            }
            json.WriteStartObject("head");
            if (manifest.Pooling is { } pooling)
            {
                json.WriteString("pooling", EnumName(pooling));
            }
            else
            {
                json.WriteNull("pooling");
            }
            json.WriteNumber("hidden_size", manifest.HiddenSize);
            json.WriteNumber("dropout", manifest.Dropout);
            json.WriteEndObject();
            json.WriteStartObject("metrics");
            foreach (var (key, value) in manifest.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (double.IsFinite(value))
                {
                    json.WriteNumber(key, value);
                }
                else
                {
                    json.WriteString(key, value.ToString(CultureInfo.InvariantCulture));
                }
            }
            json.WriteEndObject();
            json.WriteStartObject("properties");
            foreach (var (key, value) in manifest.Properties.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
            json.WriteString("created", manifest.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("library_version", manifest.LibraryVersion);
            json.WriteString("torchsharp_version", manifest.TorchSharpVersion);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ExportFormatException">The file is not valid export metadata; the message names the file and field.</exception>
    public static ExportManifest Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"Export metadata '{path}' does not exist.", path);
        }
        if (info.Length > MaxBytes)
        {
            throw new ExportFormatException(path, null, $"is {info.Length} bytes, more than export metadata can be ({MaxBytes} bytes)");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            throw new ExportFormatException(path, null, $"is not valid JSON ({ex.Message})", ex);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ExportFormatException(path, null, $"must hold a JSON object, not {Describe(document.RootElement)}");
            }
            return Parse(new Fields(path, document.RootElement, ""));
        }
    }

    private static ExportManifest Parse(Fields root)
    {
        string format = root.String("format");
        if (format != ExportManifest.FormatName)
        {
            throw root.Error("format", $"is '{format}', expected '{ExportManifest.FormatName}' (this is not an Experiments.Vision export)");
        }
        int version = root.Int("format_version", min: 1);
        if (version > ExportManifest.CurrentFormatVersion)
        {
            throw root.Error("format_version", $"is {version}; this library reads up to version {ExportManifest.CurrentFormatVersion} (a newer Experiments.Vision wrote it)");
        }

        string architecture = root.String("architecture");
        ModelInfo model;
        try
        {
            model = ModelCatalog.Describe(architecture);
        }
        catch (ArgumentException ex)
        {
            throw root.Error("architecture", $"names no catalog model: {ex.Message}", ex);
        }

        string weights = root.String("weights");
        if (weights.Length == 0 || weights != Path.GetFileName(weights) || weights.Contains('/') || weights.Contains('\\') || weights.Contains(':')
            || weights is "." or ".." || !weights.EndsWith(ModelExport.WeightsExtension, StringComparison.Ordinal))
        {
            throw root.Error("weights", $"is '{weights}'; it must be a plain file name ending in {ModelExport.WeightsExtension}, in the metadata's own folder");
        }
        string? sha = root.OptionalString("weights_sha256");
        if (sha is not null && (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower)))
        {
            throw root.Error("weights_sha256", "must be 64 lower-case hex digits");
        }

        int numClasses = root.Int("num_classes", min: 1);
        var classes = root.Strings("classes");
        if (classes.Count != numClasses)
        {
            throw root.Error("classes", $"lists {classes.Count} names but num_classes is {numClasses}");
        }
        var duplicate = classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw root.Error("classes", $"lists '{duplicate.Key}' twice");
        }

        int channels = root.Int("input_channels", min: 1);
        var size = root.Object("image_size");
        int height = size.Int("height", min: 1);
        int width = size.Int("width", min: 1);
        if (model.InputSize is { } fixedSize && (height != fixedSize || width != fixedSize))
        {
            throw root.Error("image_size", $"is {height}×{width} but {architecture} takes {fixedSize}×{fixedSize} inputs only");
        }
        var resize = root.Object("resize");
        var method = resize.Enum<ResizeMethod>("method");
        var padMode = resize.Enum<PadMode>("pad_mode");

        Normalization? normalization = null;
        if (root.OptionalObject("normalization", present: true) is { } stats)
        {
            var mean = stats.Numbers("mean");
            var std = stats.Numbers("std");
            try
            {
                normalization = new Normalization(mean, std);
            }
            catch (ArgumentException ex)
            {
                throw root.Error("normalization", $"is invalid: {ex.Message}", ex);
            }
            if (mean.Count != 1 && mean.Count != channels)
            {
                throw root.Error("normalization.mean", $"has {mean.Count} values for {channels} input channels");
            }
        }

        var head = root.Object("head");
        Pooling? pooling = head.OptionalEnum<Pooling>("pooling");
        int hidden = head.Int("hidden_size", min: 1);
        double dropout = head.Number("dropout");
        if (!(dropout >= 0 && dropout <= 1))
        {
            throw head.Error("dropout", $"is {dropout}; it must be from 0 to 1");
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (root.OptionalObject("metrics") is { } metricFields)
        {
            foreach (var metric in metricFields.Names())
            {
                metrics[metric] = metricFields.Number(metric, allowNamedLiterals: true);
            }
        }
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.OptionalObject("properties") is { } propertyFields)
        {
            foreach (var property in propertyFields.Names())
            {
                properties[property] = propertyFields.String(property);
            }
        }

        string createdText = root.String("created");
        if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created))
        {
            throw root.Error("created", $"is '{createdText}', not an ISO 8601 date and time");
        }

        string name = root.String("name");
        if (!ModelExport.IsValidName(name))
        {
            throw root.Error("name", $"is '{name}'; an export name has up to {ModelExport.MaxNameLength} ASCII letters, digits, '.', '_' and '-', and starts with a letter or digit");
        }

        return new ExportManifest
        {
            FormatVersion = version,
            Name = name,
            Architecture = architecture,
            Description = root.OptionalString("description") ?? "",
            WeightsFile = weights,
            WeightsSha256 = sha,
            Classes = classes,
            MultiLabel = root.Bool("multi_label"),
            InputChannels = channels,
            ImageHeight = height,
            ImageWidth = width,
            ResizeMethod = method,
            PadMode = padMode,
            Normalization = normalization,
            Pooling = pooling,
            HiddenSize = hidden,
            Dropout = dropout,
            Metrics = metrics,
            Properties = properties,
            Created = created,
            LibraryVersion = root.String("library_version"),
            TorchSharpVersion = root.OptionalString("torchsharp_version") ?? "",
        };
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }
        json.WriteEndArray();
    }

    internal static string EnumName<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>The fields of one JSON object, with the dotted path of the object for messages.</summary>
    private readonly struct Fields(string file, JsonElement element, string prefix)
    {
        public ExportFormatException Error(string name, string problem, Exception? inner = null) => new(file, prefix + name, problem, inner);

        public IEnumerable<string> Names() => element.EnumerateObject().Select(p => p.Name).ToList();

        public string String(string name)
        {
            var value = Required(name);
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(name, $"must be a string, not {Describe(value)}");
        }

        public string? OptionalString(string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(name, $"must be a string, not {Describe(value)}");
        }

        public int Int(string name, int min)
        {
            var value = Required(name);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
            {
                throw Error(name, $"must be a whole number, not {Describe(value)}");
            }
            return number >= min ? number : throw Error(name, $"is {number}; it must be at least {min}");
        }

        public bool Bool(string name)
        {
            var value = Required(name);
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error(name, $"must be true or false, not {Describe(value)}"),
            };
        }

        public double Number(string name, bool allowNamedLiterals = false)
        {
            var value = Required(name);
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number))
            {
                return number;
            }
            if (allowNamedLiterals && value.ValueKind == JsonValueKind.String && value.GetString() is "NaN" or "Infinity" or "-Infinity")
            {
                return double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
            }
            throw Error(name, $"must be a number, not {Describe(value)}");
        }

        public List<string> Strings(string name)
        {
            var value = Required(name);
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Error(name, $"must be an array of strings, not {Describe(value)}");
            }
            var items = new List<string>();
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error($"{name}[{i}]", $"must be a string, not {Describe(item)}"));
                i++;
            }
            return items;
        }

        public List<double> Numbers(string name)
        {
            var value = Required(name);
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw Error(name, $"must be an array of numbers, not {Describe(value)}");
            }
            var items = new List<double>();
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                items.Add(item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out double number) && double.IsFinite(number)
                    ? number
                    : throw Error($"{name}[{i}]", $"must be a finite number, not {Describe(item)}"));
                i++;
            }
            return items;
        }

        public Fields Object(string name)
        {
            var value = Required(name);
            return value.ValueKind == JsonValueKind.Object ? new Fields(file, value, prefix + name + ".") : throw Error(name, $"must be an object, not {Describe(value)}");
        }

        /// <summary>An object, or null when the field is null — or missing, unless <paramref name="present"/>.</summary>
        public Fields? OptionalObject(string name, bool present = false)
        {
            if (!present && !element.TryGetProperty(name, out _))
            {
                return null;
            }
            var value = Required(name, allowNull: true);
            return value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.Object => new Fields(file, value, prefix + name + "."),
                _ => throw Error(name, $"must be an object or null, not {Describe(value)}"),
            };
        }

        public T Enum<T>(string name) where T : struct, Enum
            => OptionalEnum<T>(name, allowNull: false)!.Value;

        public T? OptionalEnum<T>(string name, bool allowNull = true) where T : struct, Enum
        {
            var value = Required(name, allowNull);
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            var names = System.Enum.GetValues<T>().Select(EnumName).ToList();
            string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            int index = text is null ? -1 : names.IndexOf(text.ToLowerInvariant());
            if (index < 0)
            {
                throw Error(name, $"must be one of {string.Join(", ", names.Select(n => $"\"{n}\""))}{(allowNull ? " or null" : "")}, not {Describe(value)}");
            }
            return System.Enum.GetValues<T>()[index];
        }

        private JsonElement Required(string name, bool allowNull = false)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                throw Error(name, "is missing");
            }
            if (value.ValueKind == JsonValueKind.Null && !allowNull)
            {
                throw Error(name, "is null");
            }
            return value;
        }
    }
}
