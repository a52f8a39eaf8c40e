namespace Misgen;

/// <summary>One unit of parallel work: <see cref="Execute"/> runs part <c>part</c> of <c>parts</c>.</summary>
/// <remarks>
/// Determinism contract: each part must write only its own outputs (or its own partial-sum
/// buffer that the caller reduces in part order afterwards). Which thread runs a part is then
/// irrelevant, so results are bit-identical for any thread count.
/// </remarks>
public interface IParallelWork
{
    void Execute(int part);
}

/// <summary>
/// A small pool of persistent threads for hot loops (kernels, environment stepping). Parts are
/// handed out through an atomic counter; the calling thread works too. Runs allocate nothing,
/// so a kernel can call <see cref="Run"/> thousands of times per second.
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private static WorkerPool? shared;
    private static readonly Lock SharedLock = new();

    private readonly Thread[] workers;
    private readonly SemaphoreSlim[] wake;
    private IParallelWork? work;
    private int parts;
    private int next;
    private int active;
    private volatile bool stopping;
    private Exception? failure;
    private int running;

    /// <summary>
    /// The most threads a pool may have (docs/LIMITS.md). Results never depend on the thread count, and threads
    /// beyond the cores only cost time (10,000 ran 27x slower than 2), so this bounds a typo, not a real machine.
    /// </summary>
    public const int MaxThreads = 1024;

    /// <summary>The one check of every thread count a user gives (each verb's --threads, the demo, sweep tasks).</summary>
    public static void CheckThreads(int threads, string what = "--threads")
    {
        if (threads < 1 || threads > MaxThreads)
            throw new MisgenInputException($"{what} {threads} is invalid; valid: 1..{MaxThreads}");
    }

    public WorkerPool(int threads)
    {
        CheckThreads(threads, "thread count");
        Threads = threads;
        workers = new Thread[threads - 1];
        wake = new SemaphoreSlim[threads - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            int index = i;
            wake[i] = new SemaphoreSlim(0);
            workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"misgen-worker-{i + 1}" };
            workers[i].Start();
        }
    }

    /// <summary>Threads taking part in each run, the caller included.</summary>
    public int Threads { get; }

    /// <summary>The process-wide pool (all cores unless <see cref="ConfigureShared"/> said otherwise).</summary>
    public static WorkerPool Shared
    {
        get
        {
            if (shared is { } pool) return pool;
            lock (SharedLock)
            {
                return shared ??= new WorkerPool(Environment.ProcessorCount);
            }
        }
    }

    /// <summary>Replaces the shared pool with one of <paramref name="threads"/> threads (the CLI's --threads).</summary>
    public static void ConfigureShared(int threads)
    {
        lock (SharedLock)
        {
            if (shared is { } old && old.Threads == threads) return;
            var previous = shared;
            shared = new WorkerPool(threads);
            previous?.Dispose();
        }
    }

    /// <summary>Runs parts 0..count-1 of <paramref name="job"/> and returns when all are done.</summary>
    public void Run(IParallelWork job, int count)
    {
        if (count <= 0) return;
        if (workers.Length == 0 || count == 1)
        {
            for (int i = 0; i < count; i++) job.Execute(i);
            return;
        }
        if (Interlocked.Exchange(ref running, 1) != 0)
        {
            // Nested or concurrent use: run inline rather than deadlock; still deterministic, and a failing
            // part surfaces the same way as from the threads.
            try
            {
                for (int i = 0; i < count; i++) job.Execute(i);
            }
            catch (Exception e)
            {
                throw new AggregateException("a parallel part failed", e);
            }
            return;
        }
        try
        {
            work = job;
            parts = count;
            failure = null;
            Volatile.Write(ref next, 0);
            int helpers = Math.Min(workers.Length, count - 1);
            Volatile.Write(ref active, helpers);
            for (int i = 0; i < helpers; i++) wake[i].Release();
            Drain(job);
            var spin = new SpinWait();
            while (Volatile.Read(ref active) != 0) spin.SpinOnce(sleep1Threshold: -1);
            work = null;
            if (failure is { } error)
                throw new AggregateException("a parallel part failed", error);
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }

    private void Drain(IParallelWork job)
    {
        int total = parts;
        int part;
        while ((part = Interlocked.Increment(ref next) - 1) < total)
        {
            try
            {
                job.Execute(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }
    }

    private void WorkerLoop(int index)
    {
        while (true)
        {
            wake[index].Wait();
            if (stopping) return;
            if (work is { } job) Drain(job);
            Interlocked.Decrement(ref active);
        }
    }

    public void Dispose()
    {
        stopping = true;
        foreach (var semaphore in wake) semaphore.Release();
        foreach (var worker in workers) worker.Join();
        foreach (var semaphore in wake) semaphore.Dispose();
    }
}
