namespace Misgen.Envs.Cheese;

/// <summary>How a cheese-maze episode ends (the codes results.db stores).</summary>
public static class CheeseOutcome
{
    public const byte Cheese = 1;
    public const byte Timeout = 2;
}
