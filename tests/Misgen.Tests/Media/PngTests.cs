using System.Buffers.Binary;
using System.Text;
using Misgen.Media;

namespace Misgen.Tests.Media;

public sealed class PngTests
{
    private static byte[] RandomImage(int width, int height, int seed)
    {
        var rng = new Rng((ulong)seed);
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i % 7 == 0 ? rng.NextInt(256) : (i / 3) % 251);
        return rgb;
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 64)]
    [InlineData(37, 5)]
    [InlineData(3, 200)]
    public void Encode_then_decode_gives_back_the_pixels(int width, int height)
    {
        byte[] rgb = RandomImage(width, height, width * 1000 + height);
        var image = Png.Decode(Png.Encode(rgb, width, height));
        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(rgb, image.Rgb);
    }

    [Fact]
    public void File_has_signature_IHDR_IDAT_IEND_with_valid_crcs()
    {
        byte[] file = Png.Encode(RandomImage(20, 10, 3), 20, 10);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        var types = new List<string>();
        int pos = 8;
        while (pos < file.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            string type = Encoding.ASCII.GetString(file, pos + 4, 4);
            types.Add(type);
            // Independent CRC: bitwise, no table.
            uint crc = 0xFFFFFFFF;
            foreach (byte b in file.AsSpan(pos + 4, 4 + length))
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
            Assert.Equal(~crc, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8 + length)));
            if (type == "IHDR")
            {
                Assert.Equal(13, length);
                Assert.Equal(20, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos + 8)));
                Assert.Equal(10, BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos + 12)));
                Assert.Equal(8, file[pos + 16]);
                Assert.Equal(2, file[pos + 17]);
            }
            pos += 12 + length;
        }
        Assert.Equal(file.Length, pos);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.Contains("IDAT", types);
    }

    [Fact]
    public void A_flipped_byte_or_truncation_is_rejected_with_a_clear_message()
    {
        byte[] file = Png.Encode(RandomImage(8, 8, 1), 8, 8);
        var flipped = (byte[])file.Clone();
        flipped[40] ^= 0x55;
        var error = Assert.Throws<MisgenInputException>(() => Png.Decode(flipped, "obs.png"));
        Assert.Contains("obs.png", error.Message);
        Assert.Throws<MisgenInputException>(() => Png.Decode(file.AsSpan(0, file.Length - 20), "obs.png"));
        Assert.Throws<MisgenInputException>(() => Png.Decode("GIF89a"u8, "obs.png"));
    }

    [Fact]
    public void Write_is_atomic_and_read_round_trips()
    {
        using var temp = new TempFolder("misgen-png-");
        string dir = temp.Path;
        {
            string path = Path.Combine(dir, "x.png");
            byte[] rgb = RandomImage(9, 4, 2);
            Png.Write(path, rgb, 9, 4);
            Assert.Equal(rgb, Png.Read(path).Rgb);
            Assert.Single(Directory.GetFiles(dir));
            Assert.Throws<MisgenInputException>(() => Png.Read(Path.Combine(dir, "missing.png")));
        }
    }
}
