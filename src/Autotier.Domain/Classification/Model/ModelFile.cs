using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autotier.Domain.Classification.Model;

/// <summary>A model file that cannot be loaded: the message says why, for a CLI line or a log.</summary>
public sealed class ModelFormatException(string message) : Exception(message);

/// <summary>
/// The model file: gzip of
/// <c>"ATTC" | u16 version | u32 header length | UTF-8 JSON header | int16 table | float32 bias</c>,
/// little-endian. The header names the labels, dims, feature layout, the table's units and the
/// calibration (softmax temperature), plus the trainer's meta. A file is checked whole before use:
/// a foreign, corrupt, truncated or padded file is refused with the reason, never half-loaded.
/// The TypeScript's format 3 (<c>autotier-text-classifier/3</c>: the same table and bias behind a
/// JSON header, temperature 0.6) loads too, so a model trained by the TS CLI predicts the same here.
/// </summary>
public static class ModelFile
{
    /// <summary>The format this build writes; it reads this and every earlier one.</summary>
    public const ushort Version = 1;

    private static ReadOnlySpan<byte> Magic => "ATTC"u8;
    private const string TypeScriptMagic = "autotier-text-classifier/3";

    // A model of 2^22 buckets and 16 labels is 136 MB; anything past this is not a model of ours
    // and must not be inflated into memory (a gzip bomb).
    private const int MaxRawBytes = 256 * 1024 * 1024;
    private const int MaxDims = 1 << 22;
    private const int MaxLabels = 1000;

    private sealed record Header(
        [property: JsonPropertyName("labels")] string[]? Labels,
        [property: JsonPropertyName("dims")] int Dims,
        [property: JsonPropertyName("layout")] LayoutHeader? Layout,
        [property: JsonPropertyName("idfUnit")] double IdfUnit,
        [property: JsonPropertyName("weightUnit")] double WeightUnit,
        [property: JsonPropertyName("temperature")] double? Temperature,
        [property: JsonPropertyName("magic")] string? Magic,
        [property: JsonPropertyName("meta")] Dictionary<string, JsonElement>? Meta);

    private sealed record LayoutHeader(
        [property: JsonPropertyName("skipWindow")] int SkipWindow,
        [property: JsonPropertyName("skipWeight")] double SkipWeight);

    public static byte[] Save(TextClassifier model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(
            [.. model.Labels],
            model.Dims,
            new LayoutHeader(model.Layout.SkipWindow, model.Layout.SkipWeight),
            model.Table.IdfUnit,
            model.Table.WeightUnit,
            model.Temperature,
            Magic: null,
            model.Meta.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal)));
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            Span<byte> prefix = stackalloc byte[10];
            Magic.CopyTo(prefix);
            BinaryPrimitives.WriteUInt16LittleEndian(prefix[4..], Version);
            BinaryPrimitives.WriteUInt32LittleEndian(prefix[6..], (uint)header.Length);
            gzip.Write(prefix);
            gzip.Write(header);
            WriteLittleEndian(gzip, model.Table.Rows);
            WriteLittleEndian(gzip, model.Bias);
        }
        return output.ToArray();
    }

    public static TextClassifier Load(ReadOnlySpan<byte> file)
    {
        var raw = Inflate(file);
        if (raw.Length >= 10 && raw.AsSpan(0, 4).SequenceEqual(Magic))
        {
            var version = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(4));
            if (version > Version)
                throw new ModelFormatException($"classifier model format {version} is newer than this build reads ({Version})");
            return Parse(raw, 10, (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(6)), int.MaxValue), typeScript: false);
        }
        if (raw.Length >= 4)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(raw), int.MaxValue);
            if (length <= raw.Length - 4 && raw[4] == (byte)'{')
                return Parse(raw, 4, length, typeScript: true);
        }
        throw new ModelFormatException("not a classifier model (unknown format)");
    }

    private static byte[] Inflate(ReadOnlySpan<byte> file)
    {
        if (file.Length < 2 || file[0] != 0x1f || file[1] != 0x8b)
            throw new ModelFormatException("not a classifier model (not gzip)");
        try
        {
            using var input = new MemoryStream(file.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxRawBytes)
                    throw new ModelFormatException($"not a classifier model (larger than {MaxRawBytes / 1048576} MB unpacked)");
                output.Write(buffer, 0, read);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            throw new ModelFormatException("classifier model is corrupt (bad gzip data)");
        }
    }

    private static TextClassifier Parse(byte[] raw, int headerStart, int headerLength, bool typeScript)
    {
        if (headerLength > raw.Length - headerStart) throw new ModelFormatException("classifier model is truncated");
        Header? header;
        try
        {
            header = JsonSerializer.Deserialize<Header>(raw.AsSpan(headerStart, headerLength));
        }
        catch (JsonException)
        {
            throw new ModelFormatException("classifier model has a header that is not valid JSON");
        }
        if (header is null) throw new ModelFormatException("classifier model has no header");
        if (typeScript && header.Magic != TypeScriptMagic)
            throw new ModelFormatException(header.Magic is { } m && m.StartsWith("autotier-text-classifier/", StringComparison.Ordinal)
                ? $"classifier model format {m} is not supported (retrain it, or save it again with the TypeScript CLI)"
                : "not a classifier model (unknown format)");
        var labels = header.Labels;
        if (labels is null || labels.Length < 2 || labels.Length > MaxLabels || labels.Any(string.IsNullOrEmpty)
            || labels.Distinct(StringComparer.Ordinal).Count() != labels.Length)
            throw new ModelFormatException("classifier model has no valid labels (at least two, distinct, non-empty)");
        if (header.Dims <= 0 || header.Dims > MaxDims || (header.Dims & (header.Dims - 1)) != 0)
            throw new ModelFormatException("classifier model has no valid dims (a power of two)");
        var layout = header.Layout is { } l ? new FeatureLayout(l.SkipWindow, l.SkipWeight) : null;
        if (!Features.IsValidLayout(layout)) throw new ModelFormatException("classifier model has no valid feature layout");
        if (!(double.IsFinite(header.IdfUnit * header.WeightUnit) && header.IdfUnit > 0 && header.WeightUnit > 0))
            throw new ModelFormatException("classifier model has no table units");
        var temperature = typeScript ? TextClassifier.DefaultTemperature : header.Temperature ?? TextClassifier.DefaultTemperature;
        if (!(double.IsFinite(temperature) && temperature > 0))
            throw new ModelFormatException("classifier model has no valid temperature");

        var k = labels.Length;
        var body = raw.AsSpan(headerStart + headerLength);
        var tableBytes = (long)header.Dims * (k + 1) * 2;
        var expected = tableBytes + (k * 4L);
        if (body.Length < expected) throw new ModelFormatException("classifier model is truncated");
        if (body.Length > expected) throw new ModelFormatException("classifier model has bytes past its end");
        var rows = new short[header.Dims * (k + 1)];
        for (var i = 0; i < rows.Length; i++) rows[i] = BinaryPrimitives.ReadInt16LittleEndian(body[(i * 2)..]);
        var bias = new float[k];
        for (var c = 0; c < k; c++) bias[c] = BinaryPrimitives.ReadSingleLittleEndian(body[(int)(tableBytes + (c * 4))..]);
        if (!bias.All(float.IsFinite)) throw new ModelFormatException("classifier model has a bias that is not a number");
        var meta = (header.Meta ?? []).ToDictionary(
            p => p.Key,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText(),
            StringComparer.Ordinal);
        return new TextClassifier(labels, header.Dims, layout!, new ModelTable(rows, header.IdfUnit, header.WeightUnit, k), bias, temperature, meta);
    }

    private static void WriteLittleEndian(Stream stream, short[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        stream.Write(bytes);
    }

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        stream.Write(bytes);
    }
}
