namespace Misgen.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-atomic-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Write_replaces_content_and_leaves_no_temp_files()
    {
        string path = Path.Combine(dir, "a.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void A_writer_that_throws_keeps_the_previous_file()
    {
        string path = Path.Combine(dir, "b.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(9);
            throw new InvalidOperationException("crash mid-write");
        }));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }
}
