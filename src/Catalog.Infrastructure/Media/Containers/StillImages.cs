using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Catalog.Infrastructure.Media;

/// <summary>
/// The still images beyond the web's formats that a production folder holds — icons (<c>.ico</c>), Photoshop documents
/// (<c>.psd</c>, <c>.psb</c>), Netpbm (<c>.ppm</c>, <c>.pgm</c>, <c>.pbm</c>, <c>.pam</c>), Targa (<c>.tga</c>), SVG,
/// JPEG 2000 (<c>.jp2</c>), OpenEXR (<c>.exr</c>) and DirectDraw surfaces (<c>.dds</c>): each checked whole from its own
/// structure (the pixels its header promises are there; a vector drawing ends its root element) and its size read from
/// its header.
/// </summary>
internal static partial class StillImages
{
    private static ContainerReport Sized(long width, long height) =>
        width is > 0 and <= int.MaxValue && height is > 0 and <= int.MaxValue
            ? ContainerReport.Read(new MediaFacts((int)width, (int)height, null, null, null))
            : ContainerReport.Damaged($"the header gives an impossible size ({width}x{height}): damaged");

    private static ContainerReport Short(string what, long needed, long length) =>
        ContainerReport.Damaged($"the {what} needs {needed:N0} bytes, the file has {length:N0}: truncated");

    /// <summary>An icon or cursor: a directory of images, each at an offset with a size that must fit; the largest's size.</summary>
    public static ContainerReport ReadIco(ContainerFile file)
    {
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file.Exactly(4, 2, "the icon directory"));
        if (count == 0) return ContainerReport.Damaged("an icon file with no images: damaged");
        int width = 0, height = 0;
        for (var i = 0; i < count; i++)
        {
            var e = file.Exactly(6 + i * 16, 16, "an icon directory entry");
            var (w, h) = (e[0] == 0 ? 256 : e[0], e[1] == 0 ? 256 : e[1]);
            var end = (long)BinaryPrimitives.ReadUInt32LittleEndian(e[12..]) + BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
            if (end > file.Length) return Short($"icon's image {i + 1}", end, file.Length);
            if (w * h > width * height) (width, height) = (w, h);
        }
        return Sized(width, height);
    }

    /// <summary>
    /// A Photoshop document (PSD; PSB, its large form): the header, then the colour mode data, image resources and layers, each
    /// with its length, then the merged image — raw (every channel's pixels) or RLE (its rows' byte counts, then the rows).
    /// </summary>
    public static ContainerReport ReadPsd(ContainerFile file)
    {
        var h = file.Exactly(0, 26, "the Photoshop header");
        var large = BinaryPrimitives.ReadUInt16BigEndian(h[4..]) == 2;
        var channels = BinaryPrimitives.ReadUInt16BigEndian(h[12..]);
        long height = BinaryPrimitives.ReadUInt32BigEndian(h[14..]), width = BinaryPrimitives.ReadUInt32BigEndian(h[18..]);
        var depth = BinaryPrimitives.ReadUInt16BigEndian(h[22..]);
        long at = 26;
        at += 4 + file.UInt32BE(at, "the colour mode data's length");
        at += 4 + file.UInt32BE(at, "the image resources' length");
        at += large ? 8 + (long)BinaryPrimitives.ReadUInt64BigEndian(file.Exactly(at, 8, "the layers' length")) : 4 + file.UInt32BE(at, "the layers' length");
        if (at + 2 > file.Length) return Short("document's sections", at + 2, file.Length);
        var compression = BinaryPrimitives.ReadUInt16BigEndian(file.Exactly(at, 2, "the image data"));
        at += 2;
        var rows = height * channels;
        long needed = compression switch
        {
            0 => rows * ((width * depth + 7) / 8),
            1 => RleRows(file, at, rows, large ? 4 : 2),
            _ => 0, // ZIP: its length is the stream's
        };
        return at + needed > file.Length ? Short("merged image", at + needed, file.Length) : Sized(width, height);
    }

    private static long RleRows(ContainerFile file, long at, long rows, int width)
    {
        long total = rows * width;
        for (long i = 0; i < rows; i++)
            total += width == 2 ? BinaryPrimitives.ReadUInt16BigEndian(file.Exactly(at + i * 2, 2, "a row's byte count")) : file.UInt32BE(at + i * 4, "a row's byte count");
        return total;
    }

    /// <summary>Netpbm: "P1"–"P7", the width, height (and maximum value) in text, then the raster, which the binary forms must hold whole.</summary>
    public static ContainerReport ReadNetpbm(ContainerFile file)
    {
        var head = Encoding.Latin1.GetString(file.At(0, 1024));
        var kind = head[1];
        if (kind == '7')
        {
            var end = head.IndexOf("ENDHDR\n", StringComparison.Ordinal);
            if (end < 0) return ContainerReport.Damaged("the PAM header does not end (ENDHDR): truncated or damaged");
            long Field(string name) => Regex.Match(head[..end], $@"(?m)^{name}\s+(\d{{1,9}})\s") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            var (w, h, depth, max) = (Field("WIDTH"), Field("HEIGHT"), Field("DEPTH"), Field("MAXVAL"));
            var raster = end + 7 + (double)w * h * depth * (max > 255 ? 2 : 1); // in doubles: a header's numbers may be absurd
            return raster > file.Length ? Short("PAM raster", (long)Math.Min(raster, long.MaxValue), file.Length) : Sized(w, h);
        }
        var numbers = new List<long>();
        var at = 2;
        var fields = kind is '1' or '4' ? 2 : 3;
        while (numbers.Count < fields && at < head.Length)
        {
            if (head[at] == '#') { while (at < head.Length && head[at] != '\n') at++; continue; }
            if (char.IsWhiteSpace(head[at])) { at++; continue; }
            var start = at;
            while (at < head.Length && char.IsAsciiDigit(head[at])) at++;
            if (at == start || !long.TryParse(head[start..at], CultureInfo.InvariantCulture, out var n)) return ContainerReport.Damaged("the Netpbm header's numbers do not read: damaged");
            numbers.Add(n);
        }
        if (numbers.Count < fields) return ContainerReport.Damaged("the Netpbm header is cut short: truncated");
        var (width, height) = (numbers[0], numbers[1]);
        double row = kind switch { '4' => (width + 7) / 8, '5' => (double)width * (numbers[2] > 255 ? 2 : 1), '6' => 3.0 * width * (numbers[2] > 255 ? 2 : 1), _ => 0 };
        var needed = at + 1 + row * height; // one whitespace byte after the header; in doubles, as a header's numbers may be absurd
        return row > 0 && needed > file.Length ? Short("Netpbm raster", (long)Math.Min(needed, long.MaxValue), file.Length) : Sized(width, height);
    }

    /// <summary>Targa: the 18-byte header, an id, a colour map, then the pixels — raw, or run-length packets that must cover every pixel.</summary>
    public static ContainerReport ReadTga(ContainerFile file)
    {
        var h = file.Exactly(0, 18, "the Targa header");
        var (type, width, height) = (h[2], BinaryPrimitives.ReadUInt16LittleEndian(h[12..]), BinaryPrimitives.ReadUInt16LittleEndian(h[14..]));
        var pixel = (h[16] + 7) / 8;
        long at = 18 + h[0] + (h[1] == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(h[5..]) * ((h[7] + 7) / 8) : 0);
        var pixels = (long)width * height;
        if (type is 1 or 2 or 3)
            return at + pixels * pixel > file.Length ? Short("Targa image", at + pixels * pixel, file.Length) : Sized(width, height);
        if (type is 9 or 10 or 11)
            for (long done = 0; done < pixels;)
            {
                var packet = file.Exactly(at, 1, "a run-length packet")[0];
                var count = (packet & 0x7F) + 1;
                at += 1 + ((packet & 0x80) != 0 ? pixel : count * pixel);
                if (at > file.Length) return Short("Targa image's packets", at, file.Length);
                done += count;
            }
        return Sized(width, height);
    }

    /// <summary>Whether these bytes start an SVG document: XML (after a byte-order mark, a declaration, comments, a doctype) whose root element is <c>svg</c>.</summary>
    public static bool IsSvg(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head[..Math.Min(head.Length, 4096)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('<') && SvgRoot().IsMatch(text);
    }

    [GeneratedRegex(@"^(<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*<svg[\s>/]", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex SvgRoot();

    [GeneratedRegex(@"<svg\b[^>]*>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex SvgTag();

    /// <summary>
    /// SVG: whole when the root element ends (<c>&lt;/svg&gt;</c>, then only space or comments); its size the root's
    /// <c>width</c> and <c>height</c> in pixels (or unitless), else its <c>viewBox</c>'s; none when it gives neither.
    /// </summary>
    public static ContainerReport ReadSvg(ContainerFile file)
    {
        var tail = Encoding.UTF8.GetString(file.At(Math.Max(0, file.Length - 1024), 1024));
        tail = Regex.Replace(tail, @"<!--((?!-->).)*-->", "", RegexOptions.Singleline).TrimEnd();
        var head = Encoding.UTF8.GetString(file.At(0, 16 * 1024));
        if (SvgTag().Match(head) is not { Success: true } tag) return ContainerReport.Damaged("the SVG's root element does not close its start tag: truncated");
        var selfClosed = tag.Value.EndsWith("/>", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(head[(tag.Index + tag.Length)..]);
        if (!selfClosed && !tail.EndsWith("</svg>", StringComparison.OrdinalIgnoreCase)) return ContainerReport.Damaged("the SVG does not end its root element (</svg>): truncated");
        double? Length(string name) =>
            Regex.Match(tag.Value, $@"\s{name}\s*=\s*[""']\s*([0-9.]+)\s*(px)?\s*[""']") is { Success: true } m &&
            double.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var v) ? v : null;
        var (width, height) = (Length("width"), Length("height"));
        if ((width is null || height is null) && Regex.Match(tag.Value, @"\sviewBox\s*=\s*[""']\s*[-0-9.eE]+[\s,]+[-0-9.eE]+[\s,]+([0-9.eE]+)[\s,]+([0-9.eE]+)\s*[""']") is { Success: true } box)
            (width, height) = (double.Parse(box.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(box.Groups[2].Value, CultureInfo.InvariantCulture));
        return width >= 0.5 && height >= 0.5
            ? ContainerReport.Read(new MediaFacts((int)Math.Round(width.Value), (int)Math.Round(height.Value), null, null, null))
            : ContainerReport.Read(MediaFacts.None);
    }

    /// <summary>JPEG 2000 (JP2, ISO/IEC 15444-1 annex I): boxes to exactly the end of the file, the size in the header box's <c>ihdr</c>, the codestream ending with its EOC marker.</summary>
    public static ContainerReport ReadJp2(ContainerFile file)
    {
        long at = 0;
        (long, long)? size = null;
        var codestream = false;
        while (at < file.Length)
        {
            var h = file.Exactly(at, 8, "a box header");
            long length = BinaryPrimitives.ReadUInt32BigEndian(h);
            var type = Encoding.Latin1.GetString(h[4..8]);
            var header = 8L;
            if (length == 1) (length, header) = ((long)BinaryPrimitives.ReadUInt64BigEndian(file.Exactly(at + 8, 8, "a box's length")), 16);
            else if (length == 0) length = file.Length - at;
            if (length < header || at + length > file.Length) return Short($"'{type.TrimEnd()}' box", at + length, file.Length);
            if (type == "jp2h")
                for (var sub = at + header; sub + 16 <= at + length;)
                {
                    var s = file.Exactly(sub, 16, "a header box");
                    if (s[4..8].SequenceEqual("ihdr"u8)) size = (BinaryPrimitives.ReadUInt32BigEndian(s[12..]), BinaryPrimitives.ReadUInt32BigEndian(s[8..]));
                    sub += Math.Max(8, BinaryPrimitives.ReadUInt32BigEndian(s));
                }
            if (type == "jp2c")
            {
                codestream = true;
                if (!file.Exactly(at + length - 2, 2, "the codestream's end").SequenceEqual((ReadOnlySpan<byte>)[0xFF, 0xD9]))
                    return ContainerReport.Damaged("the JPEG 2000 codestream has no end-of-codestream marker: truncated");
            }
            at += length;
        }
        if (!codestream) return ContainerReport.Damaged("no codestream box ('jp2c') in the JPEG 2000 file: truncated");
        return size is var (width, height) ? Sized(width, height) : ContainerReport.Damaged("no image header ('ihdr') in the JPEG 2000 file: damaged");
    }

    /// <summary>
    /// OpenEXR: the magic and version, attributes (name, type, size, value) to an empty name, the data window's size; for one
    /// part of scan lines, the offset table after the header, whose last chunk must fit.
    /// </summary>
    public static ContainerReport ReadExr(ContainerFile file)
    {
        var flags = file.UInt32LE(4, "the EXR version");
        long at = 8;
        (long, long, long, long)? window = null;
        var compression = 0;
        for (var guard = 0; guard < 1000; guard++)
        {
            var name = CString(file, ref at);
            if (name.Length == 0) break;
            var type = CString(file, ref at);
            var size = (int)file.UInt32LE(at, "an attribute's size");
            at += 4;
            if (size < 0 || at + size > file.Length) return Short("EXR header", at + size, file.Length);
            if (name == "dataWindow" && type == "box2i" && size >= 16)
            {
                var w = file.Exactly(at, 16, "the data window");
                window = (BinaryPrimitives.ReadInt32LittleEndian(w), BinaryPrimitives.ReadInt32LittleEndian(w[4..]), BinaryPrimitives.ReadInt32LittleEndian(w[8..]), BinaryPrimitives.ReadInt32LittleEndian(w[12..]));
            }
            else if (name == "compression" && size >= 1) compression = file.Exactly(at, 1, "the compression")[0];
            at += size;
        }
        if (window is not var (x0, y0, x1, y1)) return ContainerReport.Damaged("no data window in the EXR header: damaged");
        var (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
        if ((flags & 0x1A00) == 0 && height > 0) // one part of scan lines: its offset table, then the chunks
        {
            var lines = compression switch { 3 or 5 => 16, 4 or 6 or 7 or 8 => 32, 9 => 256, _ => 1 };
            var chunks = (height + lines - 1) / lines;
            long last = 0;
            for (long i = 0; i < chunks; i++) last = Math.Max(last, (long)BinaryPrimitives.ReadUInt64LittleEndian(file.Exactly(at + i * 8, 8, "the offset table")));
            var end = last + 8 + file.UInt32LE(last + 4, "the last chunk's size");
            if (end > file.Length) return Short("EXR's last chunk", end, file.Length);
        }
        return Sized(width, height);
    }

    private static string CString(ContainerFile file, ref long at)
    {
        var bytes = file.At(at, 256);
        var end = bytes.IndexOf((byte)0);
        if (end < 0) throw new CutShortException($"a header name at byte {at:N0} does not end: truncated");
        at += end + 1;
        return Encoding.Latin1.GetString(bytes[..end]);
    }

    /// <summary>A DirectDraw surface: "DDS ", a 124-byte header (a DX10 one after it), then the main surface its pitch or linear size promises.</summary>
    public static ContainerReport ReadDds(ContainerFile file)
    {
        var h = file.Exactly(4, 124, "the DDS header");
        var (flags, height, width, pitch) = (BinaryPrimitives.ReadUInt32LittleEndian(h[4..]), BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(h[12..]), BinaryPrimitives.ReadUInt32LittleEndian(h[16..]));
        long at = 128 + (h[80..84].SequenceEqual("DX10"u8) ? 20 : 0);
        long needed = (flags & 0x80000) != 0 ? pitch : (flags & 0x8) != 0 ? (long)pitch * height : 0;
        return at + needed > file.Length ? Short("DDS surface", at + needed, file.Length) : Sized(width, height);
    }
}
