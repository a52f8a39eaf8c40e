namespace Misgen.Envs.Monster;

/// <summary>A monster spec, parsed. Every value the paper leaves unconfirmed is an option (see MonsterDefinition.Notes).</summary>
public sealed class MonsterConfig : GameConfig
{
    public MonsterConfig(SpecValues options) : base("", options)
    {
        Size = options.Int("size");
        Monsters = options.Int("monsters");
        Shields = options.Int("shields");
        Apples = options.Int("apples");
        DoubleMove = options.Number("double_move");
        InventoryCap = options.Int("inventory_cap");
        Respawn = options["respawn"] == "on";
        Timeout = options.Int("timeout");
        if (1 + Monsters + Shields + Apples > Size * Size)
            throw new MisgenInputException($"monster spec puts 1 agent, {Monsters} monsters, {Shields} shields and {Apples} apples on {Size * Size} cells; valid: at most {Size * Size} things (raise size or lower the counts)");
        if (InventoryCap > Side)
            throw new MisgenInputException($"env option inventory_cap={InventoryCap} is invalid for size={Size}; valid: 1..{Side} (the inventory is drawn along the top row)");
    }

    /// <summary>Side of the open area in cells.</summary>
    public int Size { get; }

    /// <summary>Side of the observed square: the open area and its surrounding wall.</summary>
    public int Side => Size + 2;

    public int Monsters { get; }
    public int Shields { get; }
    public int Apples { get; }

    /// <summary>Chance per step that the monsters take a second move.</summary>
    public double DoubleMove { get; }

    /// <summary>Most shields the agent can hold.</summary>
    public int InventoryCap { get; }

    /// <summary>A collected apple or shield reappears on a random empty cell.</summary>
    public bool Respawn { get; }

    public override int Timeout { get; }
}
