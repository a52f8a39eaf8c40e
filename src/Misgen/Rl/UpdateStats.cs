namespace Misgen.Rl;

/// <summary>One row of train.csv: what happened in one PPO update.</summary>
public sealed record UpdateStats(
    int Update, int NumUpdates, long Timesteps, int Episodes, double MeanReturn, double MeanLength,
    double SuccessRate, int Timeouts, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl,
    double ClipFraction, double ExplainedVariance, double LearningRate, double StepsPerSecond, double WallSeconds)
{
    /// <summary>
    /// For a continual world (<see cref="Envs.GameConfig.IsContinual"/>), whose episodes never end: the mean raw
    /// reward per env step of this update's rollout, then each of the game's facts averaged over the running
    /// games at the rollout's end (the tree world's chop rate and trees alive). Null for other games.
    /// </summary>
    public ContinualStats? Continual { get; init; }

    /// <summary>The train.csv header for a spec: <see cref="CsvHeader"/>, plus reward_per_step and the facts for a continual world.</summary>
    public static string HeaderFor(Envs.EnvSpec spec) =>
        spec.Config.IsContinual ? CsvHeader + ",reward_per_step," + string.Join(',', spec.Game.Facts) : CsvHeader;

    public const string CsvHeader =
        "update,timesteps,episodes,mean_return,mean_length,success_rate,timeouts,policy_loss,value_loss," +
        "entropy,approx_kl,clip_fraction,explained_variance,learning_rate,steps_per_second,wall_seconds";

    public string ToCsv()
    {
        static string F(double x) => double.IsNaN(x) ? "" : x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', Update, Timesteps, Episodes, F(MeanReturn), F(MeanLength), F(SuccessRate), Timeouts,
            F(PolicyLoss), F(ValueLoss), F(Entropy), F(ApproxKl), F(ClipFraction), F(ExplainedVariance),
            F(LearningRate), F(StepsPerSecond), F(WallSeconds))
            + (Continual is { } c ? "," + F(c.RewardPerStep) + string.Concat(c.Facts.Select(f => "," + F(f))) : "");
    }
}

/// <summary>What a continual world's update adds to its train.csv row (<see cref="UpdateStats.Continual"/>).</summary>
public sealed record ContinualStats(double RewardPerStep, IReadOnlyList<double> Facts);
