using System.Security.Cryptography;
using System.Text;
using Misgen.Media;
using Misgen.Rl;

namespace Misgen.Tests.Hostile;

/// <summary>
/// Issue 18, item 1: damaged checkpoints and models are found by their SHA-256 (docs/FILES.md) and never
/// trusted. A damaged checkpoint falls back to the one before; with none left the run is refused, naming the
/// files; a finished agent is never blocked by a damaged checkpoint.
/// </summary>
public sealed class CheckpointHostileTests : HostileKit
{
    private const ulong Seed = 11;

    private string[] TrainArgs(string dir) =>
        ["train", TrainSpec, "--preset", "smoke", "--seed", Seed.ToString(), "--out", dir, "--threads", "1"];

    private byte[] ReferenceModel()
    {
        string dir = PathOf("reference");
        if (!Directory.Exists(dir)) Assert.True(TrainSmoke(dir, Seed).Finished);
        return File.ReadAllBytes(Path.Combine(dir, AgentTraining.ModelFile));
    }

    private static void Flip(string path, int count = 64)
    {
        var bytes = File.ReadAllBytes(path);
        int start = bytes.Length / 2;
        for (int i = start; i < start + count; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void Flipped_bytes_in_the_newest_checkpoint_fall_back_to_the_one_before()
    {
        string dir = PathOf("agent");
        TrainSmoke(dir, Seed);
        var checkpoints = Checkpoints(dir);
        Assert.Equal(2, checkpoints.Length);
        File.Delete(Path.Combine(dir, AgentTraining.ModelFile));
        Flip(checkpoints[^1]);

        var o = Misgen(TrainArgs(dir));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Contains(Path.GetFileName(checkpoints[^1]), o.Stdout);
        Assert.Contains("SHA-256", o.Stdout);
        Assert.Equal(ReferenceModel(), File.ReadAllBytes(Path.Combine(dir, AgentTraining.ModelFile)));
    }

    public static TheoryData<string> Damages => ["flip", "truncate", "empty", "foreign", "pre-hash", "device"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void With_no_intact_checkpoint_left_the_run_is_refused_naming_the_file(string damage)
    {
        string dir = PathOf("agent");
        TrainSmoke(dir, Seed, stopAfter: 1);
        string only = Assert.Single(Checkpoints(dir));
        var bytes = File.ReadAllBytes(only);
        switch (damage)
        {
            case "flip": Flip(only); break;
            case "truncate": File.WriteAllBytes(only, bytes[..(bytes.Length * 2 / 3)]); break;
            case "empty": File.WriteAllBytes(only, []); break;
            case "foreign": File.WriteAllBytes(only, Encoding.ASCII.GetBytes("#!/bin/sh\necho not a checkpoint\n")); break;
            case "pre-hash":
                // The format before integrity hashes: magic "MSGENCK1" and no SHA-256 trailer.
                Encoding.ASCII.GetBytes("MSGENCK1").CopyTo(bytes, 0);
                File.WriteAllBytes(only, bytes[..^32]);
                break;
            case "device":
                // Reading it would never end: it must be refused without reading.
                File.Delete(only);
                File.CreateSymbolicLink(only, "/dev/zero");
                break;
        }

        var o = RefusedWithoutChanges(TrainArgs(dir), Path.GetFileName(only), "no intact checkpoint");
        if (damage == "pre-hash") Assert.Contains("older Misgen", o.Stderr);
    }

    [Fact]
    public void A_damaged_optimizer_state_with_a_valid_hash_falls_back_to_the_one_before()
    {
        // The hash only proves the bytes are those written; the parts still check themselves (Adam's state throws
        // MisgenInputException), and that too must lead to the previous checkpoint, not to a crash.
        string dir = PathOf("agent");
        TrainSmoke(dir, Seed);
        File.Delete(Path.Combine(dir, AgentTraining.ModelFile));
        string newest = Checkpoints(dir)[^1];
        var bytes = File.ReadAllBytes(newest);
        int at = bytes.AsSpan().IndexOf("misgen-adam-1"u8);
        Assert.True(at > 0);
        bytes[at + 12] = (byte)'X';
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        File.WriteAllBytes(newest, bytes);

        var o = Misgen(TrainArgs(dir));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Contains(Path.GetFileName(newest), o.Stdout);
        Assert.Contains("Adam", o.Stdout);
        Assert.Equal(ReferenceModel(), File.ReadAllBytes(Path.Combine(dir, AgentTraining.ModelFile)));
    }

    [Fact]
    public void A_truncated_checkpoint_does_not_block_a_finished_agent()
    {
        string dir = PathOf("agent");
        TrainSmoke(dir, Seed);
        foreach (string checkpoint in Checkpoints(dir))
            File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..100]);
        var before = Snapshot(dir);

        var o = Misgen(TrainArgs(dir));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Contains("already trained", o.Stdout);
        Assert.Equal(before, Snapshot(dir));
    }

    [Fact]
    public void A_damaged_model_is_refused_by_readers_and_written_again_by_train()
    {
        string dir = PathOf("agent");
        TrainSmoke(dir, Seed);
        string model = Path.Combine(dir, AgentTraining.ModelFile);
        var bytes = File.ReadAllBytes(model);
        bytes[^5] ^= 0x01; // one bit of one weight
        File.WriteAllBytes(model, bytes);
        string obs = PathOf("obs.png");
        Png.Write(obs, new byte[16 * 16 * 3], 16, 16);

        RefusedWithoutChanges(["forward", model, "--obs", obs], model, "damaged", "SHA-256");
        AssertRefused(Misgen("eval", dir, "--setting", "maze:red-line+yellow-gem@black", "--levels", "2", "--out", PathOf("results.db")), model, "damaged");

        var o = Misgen(TrainArgs(dir));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Equal(ReferenceModel(), File.ReadAllBytes(model));
    }
}
