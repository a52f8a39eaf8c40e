using System.Buffers.Binary;
using System.Text;

namespace Misgen.Nn.Onnx;

/// <summary>
/// The protocol-buffers wire format, as much of it as ONNX files need: each field is a tag
/// (field number x 8 + wire type) followed by a varint (type 0), 4 little-endian bytes (type 5) or
/// a varint length and that many bytes (type 2: strings, bytes, nested messages, packed numbers).
/// Nested messages are written into their own writer first, so their length is known.
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
    private readonly MemoryStream buffer = new();

    public long Length => buffer.Length;

    public byte[] ToArray() => buffer.ToArray();

    public void WriteTo(Stream stream) => buffer.WriteTo(stream);

    public ProtoWriter Int64(int field, long value)
    {
        Tag(field, Varint);
        RawVarint(unchecked((ulong)value)); // negative int64 takes ten bytes, as protobuf says
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        RawVarint((ulong)value.Length);
        buffer.Write(value);
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message)
    {
        Tag(field, LengthDelimited);
        RawVarint((ulong)message.Length);
        message.buffer.WriteTo(buffer);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var message = new ProtoWriter();
        write(message);
        return Message(field, message);
    }

    private void Tag(int field, int wireType)
    {
        if (field < 1 || field > (1 << 29) - 1) throw new ArgumentOutOfRangeException(nameof(field), field, "protobuf field numbers are 1..2^29-1");
        RawVarint(((ulong)field << 3) | (uint)wireType);
    }

    /// <summary>Seven bits per byte, least significant first, high bit set on every byte but the last.</summary>
    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        buffer.WriteByte((byte)value);
    }
}
