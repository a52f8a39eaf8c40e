namespace Misgen.Envs.Maze;

/// <summary>What shows behind the maze: black (procgen default), grey (127) or one of nine textures per level.</summary>
public enum Background : byte { Black, Grey, Textured }
