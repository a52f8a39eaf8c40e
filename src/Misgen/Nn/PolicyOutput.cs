using System.Globalization;
using System.Text;

namespace Misgen.Nn;

/// <summary>The network's answer for one observation: logits, action-group probabilities and value.</summary>
public sealed record PolicyOutput(float[] Logits, float[] GroupProbabilities, float Value)
{
    /// <summary>Runs one HWC RGB observation of the model's input size.</summary>
    public static PolicyOutput Of(ImpalaCnn model, ReadOnlySpan<byte> rgb, int width, int height)
    {
        int size = model.Config.InputSize;
        if (width != size || height != size)
            throw new MisgenInputException($"observation is {width}x{height}, the network takes {size}x{size}");
        var logits = new float[model.Config.Actions];
        var value = new float[1];
        model.Forward(rgb, 1, logits, value);
        return new PolicyOutput(logits, Categorical.GroupProbabilities(logits), value[0]);
    }

    /// <summary>
    /// One JSON object. JSON has no NaN or infinity, so a non-finite number (weights that diverged) is written
    /// as <c>null</c>, which every JSON reader accepts (pandas and numpy read it as NaN).
    /// </summary>
    public string ToJson()
    {
        static string Number(float x) => float.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "null";
        static string List(IEnumerable<float> xs) => string.Join(", ", xs.Select(Number));
        var groups = string.Join(", ", Categorical.GroupNames.Select((g, i) => $"\"{g}\": {Number(GroupProbabilities[i])}"));
        return $"{{\"logits\": [{List(Logits)}], \"groups\": {{{groups}}}, \"value\": {Number(Value)}}}";
    }

    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"logits: {string.Join(" ", Logits.Select(l => l.ToString("F4", CultureInfo.InvariantCulture)))}");
        text.AppendLine("action groups:");
        for (int g = 0; g < 5; g++) text.AppendLine(CultureInfo.InvariantCulture, $"  {Categorical.GroupNames[g],-6} {GroupProbabilities[g]:F4}");
        text.Append(CultureInfo.InvariantCulture, $"value: {Value:F4}");
        return text.ToString();
    }
}
