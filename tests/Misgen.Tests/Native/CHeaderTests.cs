using System.Diagnostics;
using Misgen.Envs;

namespace Misgen.Tests.Native;

/// <summary>include/misgen.h against the library: a C program compiled with gcc calls it and sees what the managed VecEnv sees.</summary>
public sealed class CHeaderTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #include "misgen.h"
        int main(void) {
            if (sizeof(misgen_episode) != 48) { printf("episode is %zu bytes\n", sizeof(misgen_episode)); return 3; }
            int64_t env = 0;
            if (misgen_vecenv_create("maze:nope", 2, 0, 10, 0, MISGEN_LEVELS_UNIFORM, 0, &env) != MISGEN_BAD_INPUT) return 4;
            printf("error: %s\n", misgen_last_error());
            if (misgen_vecenv_create("maze:yellow-line@textured", 2, 5, 10, 7, MISGEN_LEVELS_UNIFORM, 0, &env) != MISGEN_OK) return 5;
            int32_t n, size, channels, actions;
            misgen_vecenv_shape(env, &n, &size, &channels, &actions);
            int64_t bytes = (int64_t)n * size * size * channels;
            uint8_t *obs = malloc(bytes);
            misgen_vecenv_reset(env, obs, bytes);
            int32_t act[2] = {6, 3};
            float rewards[2];
            misgen_episode episodes[2];
            uint64_t sum = 0;
            for (int t = 0; t < 50; t++) {
                if (misgen_vecenv_step(env, act, 2, obs, bytes, rewards, NULL, NULL, episodes) != MISGEN_OK) return 6;
                for (int64_t i = 0; i < bytes; i++) sum = sum * 31 + obs[i];
            }
            uint8_t *lent = NULL;
            float *lent_rewards = NULL;
            if (misgen_vecenv_buffers(env, &lent, &lent_rewards, NULL, NULL) != MISGEN_OK) return 7;
            int same = 1;
            for (int64_t i = 0; i < bytes; i++) same &= lent[i] == obs[i];
            same &= lent_rewards[0] == rewards[0] && lent_rewards[1] == rewards[1];
            printf("lent buffers equal: %d\n", same);
            printf("shape %d %d %d %d sum %llu\n", n, size, channels, actions, (unsigned long long)sum);
            misgen_vecenv_free(env);
            free(obs);
            return 0;
        }
        """;

    [Fact]
    public void A_C_program_built_against_the_header_steps_like_the_managed_VecEnv()
    {
        string library = NativeBuild.Library;
        string source = folder["check.c"], binary = folder["check"];
        File.WriteAllText(source, Program);
        var (code, text) = Run("gcc", "-std=c11", "-Wall", "-Werror", "-I", Path.Combine(NativeBuild.RepositoryRoot, "src", "Misgen.Native", "include"),
                               source, "-o", binary, "-L", Path.GetDirectoryName(library)!, "-lmisgen", "-Wl,-rpath," + Path.GetDirectoryName(library));
        Assert.True(code == 0, $"gcc failed:\n{text}");
        (code, text) = Run(binary);
        Assert.True(code == 0, $"the C program exited {code}:\n{text}");

        Assert.Contains("error: " + Assert.Throws<MisgenInputException>(() => EnvSpec.Parse("maze:nope")).Message, text);
        using var managed = new VecEnv(EnvSpec.Parse("maze:yellow-line@textured"), 2, LevelSampler.Range(5, 10, 7));
        managed.Reset();
        ulong sum = 0;
        for (int t = 0; t < 50; t++)
        {
            managed.Step([6, 3]);
            foreach (byte b in managed.Observations) sum = sum * 31 + b;
        }
        Assert.Contains($"shape 2 64 3 15 sum {sum}", text);
        Assert.Contains("lent buffers equal: 1", text);
    }

    private static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + errors.Result);
    }
}
