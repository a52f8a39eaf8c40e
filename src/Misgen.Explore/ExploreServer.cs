using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Misgen.Explore;

/// <summary>
/// The explorer's web server (ASP.NET Core from the shared framework, Kestrel): one page with everything inline
/// and JSON endpoints over <see cref="Explorer"/>. Bad input is a 4xx with {"error": message}; anything else is a
/// 500 whose body names no stack or path. Only the page and /api/* exist: no static files, so no request path
/// reaches the file system.
/// </summary>
public sealed class ExploreServer : IAsyncDisposable
{
    /// <summary>Largest request body (a 64x64 grid with patches is a few kB).</summary>
    public const long MaxRequestBytes = 256 * 1024;

    private readonly WebApplication app;

    private ExploreServer(WebApplication app, Explorer explorer)
    {
        this.app = app;
        Explorer = explorer;
    }

    public Explorer Explorer { get; }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:8050/.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>True for hosts that only this machine can reach.</summary>
    public static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Starts listening on <paramref name="host"/>:<paramref name="port"/> (0: a free port); returns once it accepts requests.</summary>
    public static async Task<ExploreServer> StartAsync(Explorer explorer, string host, int port, TextWriter? log = null)
    {
        if (port < 0 || port > 65535) throw new MisgenInputException($"--port {port} is invalid; valid: 0..65535 (0: any free port)");
        IPAddress address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip
            : throw new MisgenInputException($"--host '{host}' is not an IP address; valid: 127.0.0.1 (default), localhost, ::1, 0.0.0.0 or this machine's address");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "Misgen.Explore" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, port);
            k.Limits.MaxRequestBodySize = MaxRequestBytes;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new ExploreServer(app, explorer);
        server.Map(log ?? TextWriter.Null);
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new MisgenInputException($"cannot listen on {host}:{port}: {e.Message}; choose another --port");
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        return server;
    }

    private void Map(TextWriter log)
    {
        byte[] page = Page();
        app.MapGet("/", (HttpContext context) =>
        {
            // The page loads nothing from elsewhere; say so to the browser too.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(page, "text/html; charset=utf-8");
        });
        app.MapGet("/api/info", () => Results.Json(Explorer.Info()));
        Post("/api/level", Explorer.Level, log);
        Post("/api/field", Explorer.Field, log);
        Post("/api/policy", Explorer.Policy, log);
        Post("/api/channels", Explorer.Channels, log);
        Post("/api/labels", Explorer.SearchLabels, log);
        Post("/api/rollout", Explorer.Rollout, log);
        Post("/api/attribution", Explorer.Attribute, log);
        Post("/api/study", _ => Explorer.Study(), log);
        app.MapFallback((HttpContext context) =>
            Results.Json(new { error = $"no such page '{ExploreAgents.Short(context.Request.Path.Value ?? "")}'; the explorer serves / and /api/*" }, statusCode: 404));
    }

    private void Post(string route, Func<RequestBody, object> handler, TextWriter log) =>
        app.MapPost(route, async (HttpContext context) =>
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, context.RequestAborted);
                var body = new RequestBody(json.RootElement);
                // The network work runs off the request thread so Kestrel keeps accepting while a field is computed.
                var answer = await Task.Run(() => handler(body), context.RequestAborted);
                return Results.Json(answer);
            }
            catch (MisgenInputException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: 400);
            }
            catch (UnknownAgentException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: 404);
            }
            catch (JsonException e)
            {
                return Results.Json(new { error = $"the request body is not valid JSON: {e.Message}" }, statusCode: 400);
            }
            catch (BadHttpRequestException e)
            {
                return Results.Json(new { error = e.StatusCode == 413 ? $"the request body is larger than {MaxRequestBytes} bytes" : e.Message }, statusCode: e.StatusCode);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }
            catch (Exception e)
            {
                lock (log) log.WriteLine($"explore: {route} failed: {e}");
                return Results.Json(new { error = $"internal error ({e.GetType().Name}) in {route}" }, statusCode: 500);
            }
        });

    private static byte[] Page()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Misgen.Explore.explore.html")
            ?? throw new InvalidOperationException("the explorer page is missing from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
