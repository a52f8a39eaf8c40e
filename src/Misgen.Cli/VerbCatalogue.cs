using System.CommandLine;
using Misgen.Cli.Verbs;

namespace Misgen.Cli;

/// <summary>Every verb of `misgen`, in the order `--help` lists them.</summary>
internal static class VerbCatalogue
{
    public static IEnumerable<Command> All()
    {
        yield return DemoVerb.Create();
        yield return VersionVerb.Create();
        yield return EnvsVerb.Create();
        yield return RenderVerb.Create();
        yield return LevelVerb.Create();
        yield return TrainVerb.Create();
        yield return SettingsVerb.Create();
        yield return EvalVerb.Create();
        yield return ExportVerb.Create();
        yield return ReportVerb.Create();
        yield return VideoVerb.Create();
        yield return FieldVerb.Create();
        yield return DecisionVerb.Create();
        yield return ActivationsVerb.Create();
        yield return AttributeVerb.Create();
        yield return NmfVerb.Create();
        yield return ChannelsVerb.Create();
        yield return ExploreVerb.Create();
        yield return SweepVerb.Create();
        yield return BenchVerb.Create();
        yield return ForwardVerb.Create();
        yield return ExportOnnxVerb.Create();
        yield return NnBenchVerb.Create();
    }
}
