namespace Misgen.Rl;

/// <summary>One row of train.csv: what happened in one PPO update.</summary>
public sealed record UpdateStats(
    int Update, int NumUpdates, long Timesteps, int Episodes, double MeanReturn, double MeanLength,
    double SuccessRate, int Timeouts, double PolicyLoss, double ValueLoss, double Entropy, double ApproxKl,
    double ClipFraction, double ExplainedVariance, double LearningRate, double StepsPerSecond, double WallSeconds)
{
    public const string CsvHeader =
        "update,timesteps,episodes,mean_return,mean_length,success_rate,timeouts,policy_loss,value_loss," +
        "entropy,approx_kl,clip_fraction,explained_variance,learning_rate,steps_per_second,wall_seconds";

    public string ToCsv()
    {
        static string F(double x) => double.IsNaN(x) ? "" : x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
        return string.Join(',', Update, Timesteps, Episodes, F(MeanReturn), F(MeanLength), F(SuccessRate), Timeouts,
            F(PolicyLoss), F(ValueLoss), F(Entropy), F(ApproxKl), F(ClipFraction), F(ExplainedVariance),
            F(LearningRate), F(StepsPerSecond), F(WallSeconds));
    }
}
