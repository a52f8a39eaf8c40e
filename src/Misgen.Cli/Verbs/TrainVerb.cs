using System.CommandLine;
using System.Globalization;
using Misgen.Envs;
using Misgen.Rl;
using Misgen.Studies;
using Spectre.Console;

namespace Misgen.Cli.Verbs;

internal static class TrainVerb
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "Env spec to train on, e.g. maze:yellow-line@black or maze:yellow-line@textured." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the agent: weights, actions, minibatch order and level order.", DefaultValueFactory = _ => 0 };
        var preset = new Option<string>("--preset") { Description = $"Hyperparameter preset: {string.Join(", ", PpoConfig.PresetNames)} (paper = the original recipe, fast = tuned for minutes on a CPU, smoke = seconds, for tests), or one of the game's own (misgen envs lists them).", DefaultValueFactory = _ => "fast" };
        var output = new Option<string?>("--out") { Description = "Agent directory (default agents/<spec>-s<seed>)." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it.", DefaultValueFactory = _ => Environment.ProcessorCount }.Threads();
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in --out (an error if there is none). Rerunning the same command also continues." };
        var force = new Option<bool>("--force") { Description = "Replace an agent directory that holds a different recipe, or start over." };
        var set = new Option<string[]>("--set") { Description = "Override a hyperparameter, key=value (repeatable), e.g. --set total_steps=2e6 --set ent_coef=0.005. Keys: " + string.Join(", ", PpoConfig.Keys) + " (valid ranges: docs/LIMITS.md).", AllowMultipleArgumentsPerToken = false };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N updates (always after the last).", DefaultValueFactory = _ => 10 }.Within(1, PpoConfig.MaxUpdates);
        var check = new Option<bool>("--check") { Description = "After training, play one episode on each of the study's evaluation levels (100000..100999 for the procgen studies) and print success rate and mean steps." };

        var command = new Command("train", "Train one PPO agent into an agent directory (agent.yaml, model.safetensors, checkpoints/, train.csv).")
        {
            spec, seed, preset, output, threads, resume, force, set, checkpointEvery, check,
        };
        command.SetAction(parse =>
        {
            int threadCount = parse.GetValue(threads);
            WorkerPool.ConfigureShared(threadCount);

            var envSpec = EnvSpec.Parse(parse.GetValue(spec)!);
            string presetName = parse.GetValue(preset)!;
            ulong seedValue = parse.GetValue(seed);
            var manifest = Recipe.Manifest(envSpec, presetName, seedValue, parse.GetValue(set) ?? []);
            var config = manifest.Config;
            string dir = parse.GetValue(output) ?? AgentTraining.DefaultDir(manifest.Spec, seedValue);

            // Training stops at the next minibatch; the last finished update is what a rerun continues from.
            using var interruption = new Interruption("stopping now, keeping the last finished update");
            var options = new TrainOptions
            {
                Resume = parse.GetValue(resume),
                Force = parse.GetValue(force),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Cancellation = interruption.Token,
                Log = line => Console.WriteLine(line),
            };
            Console.WriteLine($"training {manifest.Spec} seed {seedValue} preset {presetName}: {config.TotalSteps:N0} steps, " +
                              $"{config.NumEnvs} envs x {config.NumSteps} steps, {config.ObservationSize}px, IMPALA {config.Width1}/{config.Width2}/{config.Width3}, {threadCount} threads -> {dir}");
            var result = Console.IsOutputRedirected ? RunPlain(dir, manifest, options) : RunLive(dir, manifest, options);
            if (!result.AlreadyTrained)
                Console.WriteLine($"done: {result.CompletedUpdates} updates, {result.Timesteps:N0} steps in {result.WallSeconds:F0} s -> {Path.Combine(dir, AgentTraining.ModelFile)}");
            if (parse.GetValue(check))
            {
                var study = StudyCatalogue.For(envSpec);
                var heldOut = HeldOutCheck.Run(dir, start: study.EvalStartLevel, count: study.EvalLevels);
                Console.WriteLine($"held-out levels {study.EvalStartLevel}..{study.EvalStartLevel + heldOut.Levels - 1}: " +
                                  $"success {heldOut.SuccessRate:P1}, mean steps {heldOut.MeanSteps:F2}, timeouts {heldOut.Timeouts} ({heldOut.Seconds:F1} s)");
            }
            return Cli.Done;
        });
        return command;
    }

    private static string Summary(UpdateStats s, double eta)
    {
        static string Or(double x, string format) => double.IsNaN(x) ? "-" : x.ToString(format, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Update}/{s.NumUpdates}  {s.Timesteps:N0} steps  {s.StepsPerSecond:N0}/s  return {Or(s.MeanReturn, "F2")}  " +
            $"success {Or(s.SuccessRate * 100, "0'%'")}  length {Or(s.MeanLength, "F1")}  ETA {TimeSpan.FromSeconds(Math.Max(0, eta)):hh\\:mm\\:ss}")
            + (s.Continual is { } c ? string.Create(CultureInfo.InvariantCulture, $"  reward/step {c.RewardPerStep:F3}") : "");
    }

    // CI and Slurm logs: one plain line per update (at most about every 5 s).
    private static TrainResult RunPlain(string dir, AgentManifest manifest, TrainOptions options)
    {
        var last = DateTime.MinValue;
        return AgentTraining.Run(dir, manifest, WithProgress(options, s =>
        {
            if (s.Update != s.NumUpdates && (DateTime.UtcNow - last).TotalSeconds < 5) return;
            last = DateTime.UtcNow;
            Console.WriteLine(Summary(s, Eta(s)));
        }));
    }

    private static TrainResult RunLive(string dir, AgentManifest manifest, TrainOptions options)
    {
        TrainResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: manifest.Config.NumUpdates);
                result = AgentTraining.Run(dir, manifest, WithProgress(options, s =>
                {
                    task.Value = s.Update;
                    task.Description = Markup.Escape(Summary(s, Eta(s)));
                }));
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static double Eta(UpdateStats s) => (s.NumUpdates - s.Update) * s.WallSeconds;

    private static TrainOptions WithProgress(TrainOptions o, Action<UpdateStats> progress) => new()
    {
        Resume = o.Resume, Force = o.Force, CheckpointEvery = o.CheckpointEvery, StopAfterUpdates = o.StopAfterUpdates,
        Cancellation = o.Cancellation, Log = o.Log, Pool = o.Pool, Progress = progress,
    };
}
