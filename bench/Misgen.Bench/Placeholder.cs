namespace Misgen.Bench; internal static class Placeholder {}
