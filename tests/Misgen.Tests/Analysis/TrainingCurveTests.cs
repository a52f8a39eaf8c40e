using Misgen.Analysis;
using Misgen.Rl;

namespace Misgen.Tests.Analysis;

public sealed class TrainingCurveTests : IDisposable
{
    private readonly TempFolder temp = new("misgen-curve-");
    private string dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Reads_the_trainers_train_csv()
    {
        string path = Path.Combine(dir, "train.csv");
        // The trainer's own header; an update without finished episodes has an empty mean return.
        File.WriteAllText(path, UpdateStats.CsvHeader + "\n" +
            "1,8192,54,10,40.1,1,0,0.1,0.2,2.7,0.01,0.1,0.5,0.0005,968.9,8.4\n" +
            "2,16384,0,,,,0,0.1,0.2,2.7,0.01,0.1,0.5,0.0005,968.9,8.4\n" +
            "3,24576,51,9.5,152.1,1,0,0.1,0.2,2.7,0.01,0.1,0.5,0.0005,968.9,8.4\n");
        var curve = TrainingCurve.TryRead("agent", path)!;
        Assert.Equal(("timesteps", "mean return"), (curve.XLabel, curve.YLabel));
        Assert.Equal([8192.0, 24576.0], curve.X);
        Assert.Equal([10.0, 9.5], curve.Y);
    }

    [Fact]
    public void Missing_or_unrelated_files_give_no_curve()
    {
        Assert.Null(TrainingCurve.TryRead("a", Path.Combine(dir, "none.csv")));
        Assert.Null(TrainingCurve.TryRead("a", null));
        File.WriteAllText(Path.Combine(dir, "x.csv"), "a,b\n1,2\n");
        Assert.Null(TrainingCurve.TryRead("a", Path.Combine(dir, "x.csv")));
    }
}
