using Misgen.Nn.Onnx;

namespace Misgen.Tests.Interop;

/// <summary>Wire-format bytes worked out by hand from the protocol-buffers encoding rules.</summary>
public sealed class ProtoWriterTests
{
    [Fact]
    public void Varint_field_150_is_08_96_01() =>
        // 150 = 0b1_0010110: low 7 bits 0x16 with the continuation bit (0x96), then 0x01; tag 1<<3|0.
        Assert.Equal([0x08, 0x96, 0x01], new ProtoWriter().Int64(1, 150).ToArray());

    [Fact]
    public void Negative_int64_takes_ten_bytes() =>
        Assert.Equal([0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], new ProtoWriter().Int64(2, -1).ToArray());

    [Fact]
    public void String_is_tag_length_utf8() =>
        Assert.Equal([0x12, 0x07, (byte)'t', (byte)'e', (byte)'s', (byte)'t', (byte)'i', (byte)'n', (byte)'g'], new ProtoWriter().String(2, "testing").ToArray());

    [Fact]
    public void Float_is_fixed32_little_endian() =>
        // 1.0f = 0x3F800000; tag 2<<3|5 = 0x15.
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], new ProtoWriter().Float(2, 1f).ToArray());

    [Fact]
    public void Nested_message_is_length_delimited() =>
        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], new ProtoWriter().Message(3, m => m.Int64(1, 150)).ToArray());

    [Fact]
    public void Large_field_numbers_and_lengths_take_several_varint_bytes()
    {
        // Field 20 (AttributeProto.type): tag 20<<3|0 = 160 = 0xA0 0x01. A 300-byte string: length 0xAC 0x02.
        var bytes = new ProtoWriter().Int64(20, 7).Bytes(9, new byte[300]).ToArray();
        Assert.Equal([0xA0, 0x01, 0x07, 0x4A, 0xAC, 0x02], bytes[..6]);
        Assert.Equal(6 + 300, bytes.Length);
    }
}
