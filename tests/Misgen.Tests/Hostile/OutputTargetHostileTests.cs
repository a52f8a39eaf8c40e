using System.Diagnostics;
using Misgen.Tests.Analysis;

namespace Misgen.Tests.Hostile;

/// <summary>
/// Issue 18, items 9 and 12: what `--out` may point at (docs/FILES.md, "Writing outputs"). Only regular files
/// are ever replaced; a character device or a named pipe is written through; a symbolic link is followed; a
/// folder where a file belongs, or a file where a folder belongs, is bad input (exit 2) and nothing changes.
/// </summary>
public sealed class OutputTargetHostileTests : HostileKit
{
    // results.db lives outside Root: opening it is not what these tests watch.
    private readonly Lazy<string> resultsDb = new(() =>
    {
        string folder = Directory.CreateTempSubdirectory("misgen-hostile-results-").FullName;
        SyntheticStudy.Create(folder, agents: 3, levels: 10);
        return Path.Combine(folder, "results.db");
    });

    public override void Dispose()
    {
        if (resultsDb.IsValueCreated)
            try { Directory.Delete(Path.GetDirectoryName(resultsDb.Value)!, recursive: true); } catch (IOException) { }
        base.Dispose();
    }

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G'];

    private static void Run(string program, params string[] args)
    {
        using var p = Process.Start(program, args);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    // A character device for the test. As root, a private copy of /dev/null (mknod c 1 3), so that a build that
    // replaced devices could only replace the copy; otherwise /dev/null itself, which only root could replace.
    private string CharacterDevice()
    {
        string node = PathOf("null-device");
        using var mknod = Process.Start(new ProcessStartInfo("mknod", [node, "c", "1", "3"]) { RedirectStandardError = true })!;
        mknod.WaitForExit();
        return mknod.ExitCode == 0 ? node : "/dev/null";
    }

    public static TheoryData<string> FileVerbs => ["render", "report"];

    private string[] WriteTo(string verb, string target)
    {
        if (verb == "render") return ["render", "maze:yellow-line@black", "--scale", "1", "--out", target];
        return ["report", resultsDb.Value, "--out", target];
    }

    [Theory]
    [MemberData(nameof(FileVerbs))]
    public void Out_onto_a_character_device_writes_through_and_keeps_the_device(string verb)
    {
        string device = CharacterDevice();
        var o = Misgen(WriteTo(verb, device));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(device));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(device)!, ".*.tmp"));
    }

    [Fact]
    public async Task Out_onto_a_named_pipe_writes_through_to_its_reader()
    {
        string fifo = PathOf("pipe.png");
        Run("mkfifo", fifo);
        var read = Task.Run(() => File.ReadAllBytes(fifo));
        var o = Misgen(WriteTo("render", fifo));
        Assert.True(o.ExitCode == 0, o.ToString());
        byte[] received = await read.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(PngSignature, received[..4]);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
    }

    [Theory]
    [MemberData(nameof(FileVerbs))]
    public void Out_onto_a_folder_is_refused(string verb)
    {
        Directory.CreateDirectory(PathOf("picture.png"));
        File.WriteAllText(PathOf("picture.png", "keep.txt"), "kept");
        var args = WriteTo(verb, PathOf("picture.png"));
        RefusedWithoutChanges(args, "picture.png", "folder");
    }

    [Fact]
    public void Out_through_a_symlink_replaces_its_target_and_keeps_the_link()
    {
        Directory.CreateDirectory(PathOf("figures"));
        File.WriteAllText(PathOf("figures", "maze.png"), "old");
        File.CreateSymbolicLink(PathOf("latest.png"), Path.Combine("figures", "maze.png")); // relative, like ln -s
        var o = Misgen(WriteTo("render", PathOf("latest.png")));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Equal(Path.Combine("figures", "maze.png"), new FileInfo(PathOf("latest.png")).LinkTarget);
        Assert.Equal(PngSignature, File.ReadAllBytes(PathOf("figures", "maze.png"))[..4]);
        Assert.Empty(Directory.GetFiles(Root, ".*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Out_through_a_dangling_symlink_is_refused()
    {
        File.CreateSymbolicLink(PathOf("dangling.png"), PathOf("nowhere", "x.png"));
        RefusedWithoutChanges(WriteTo("render", PathOf("dangling.png")), "dangling.png", "does not exist");
    }

    [Fact]
    public void Out_onto_an_existing_file_overwrites_it()
    {
        File.WriteAllText(PathOf("maze.png"), "an older picture");
        for (int i = 0; i < 2; i++)
        {
            var o = Misgen(WriteTo("render", PathOf("maze.png")));
            Assert.True(o.ExitCode == 0, o.ToString());
            Assert.Equal(PngSignature, File.ReadAllBytes(PathOf("maze.png"))[..4]);
        }
    }

    [Theory]
    [InlineData("train")]
    [InlineData("demo")]
    [InlineData("sweep")]
    [InlineData("export")]
    [InlineData("render-below-a-file")]
    public void A_file_where_a_folder_belongs_is_refused(string verb)
    {
        File.WriteAllText(PathOf("taken"), "a file, not a folder");
        string study = PathOf("s.yaml");
        File.WriteAllText(study, "name: s\nrunner: synthetic\nseeds: [0]\nconditions:\n  - env: maze:yellow-line@black\n");
        string[] args = verb switch
        {
            "train" => ["train", TrainSpec, "--preset", "smoke", "--out", PathOf("taken")],
            "demo" => ["demo", "--preset", "smoke", "--out", PathOf("taken")],
            "sweep" => ["sweep", "plan", study, "--out", PathOf("taken")],
            "export" => ["export", resultsDb.Value, "--out", PathOf("taken")],
            _ => ["render", TrainSpec, "--out", PathOf("taken", "maze.png")],
        };
        RefusedWithoutChanges(args, "taken", "not a folder");
    }
}
