using System.CommandLine;
using Misgen.Media;
using Misgen.Nn;

namespace Misgen.Cli.Verbs;

internal static class ForwardVerb
{
    public static Command Create()
    {
        var weights = new Argument<string>("weights") { Description = "IMPALA-CNN weights (.safetensors, PyTorch state-dict names); widths and input size are inferred" };
        var obs = new Option<string>("--obs") { Description = "RGB PNG observation of the network's input size (e.g. 64x64)", Required = true };
        var json = new Option<bool>("--json") { Description = "print one JSON object: logits, groups, value" };
        var command = new Command("forward", "Run a policy network on one observation: logits, action-group probabilities (left/down/up/right/no-op) and value.") { weights, obs, json };
        command.SetAction(parse =>
        {
            var model = Safetensors.Load(parse.GetValue(weights)!);
            var image = Png.Read(parse.GetValue(obs)!);
            var output = PolicyOutput.Of(model, image.Rgb, image.Width, image.Height);
            Console.WriteLine(parse.GetValue(json) ? output.ToJson() : output.ToText());
            return Cli.Done;
        });
        return command;
    }
}
