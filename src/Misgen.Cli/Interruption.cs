using System.Runtime.InteropServices;

namespace Misgen.Cli;

/// <summary>
/// Turns the first Ctrl+C or SIGTERM into a cancellation that long work honours at its next safe
/// point (checkpoint, finished episode batch, worker hand-off), so a rerun resumes; a second Ctrl+C
/// kills the process at once. One place for the four long-running verbs (demo, eval, sweep, train).
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly string _stopping;
    private readonly PosixSignalRegistration _sigterm;

    /// <param name="stopping">What the process does before it exits, e.g. "stopping after this update".</param>
    public Interruption(string stopping)
    {
        _stopping = stopping;
        Console.CancelKeyPress += OnCancelKeyPress;
        // Slurm's scancel and job time limits send SIGTERM first: treat it like Ctrl+C.
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Request();
        });
    }

    public CancellationToken Token => _cancel.Token;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        if (_cancel.IsCancellationRequested) return; // the second Ctrl+C: let the runtime kill the process
        e.Cancel = true;
        Request();
    }

    private void Request()
    {
        if (_cancel.IsCancellationRequested) return;
        Console.Error.WriteLine($"misgen: {_stopping}; rerun to resume (Ctrl+C again to kill)...");
        _cancel.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _cancel.Dispose();
    }
}
