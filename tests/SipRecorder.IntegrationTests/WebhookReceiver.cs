using System.Collections.Concurrent;
using System.Net;

namespace SipRecorder.IntegrationTests;

internal sealed record WebhookCall(string? Event, string? Delivery, string? Timestamp, string? Signature, string Body);

/// <summary>A webhook receiver on 127.0.0.1 that keeps what it got; with <c>failFirst</c> it answers 500 the first time.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<WebhookCall> _received = new();
    private readonly Task _loop;

    public WebhookReceiver(bool failFirst)
    {
        Url = $"http://127.0.0.1:{TestPorts.Free()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
                using var reader = new StreamReader(context.Request.InputStream);
                var request = context.Request;
                _received.Enqueue(new WebhookCall(request.Headers["X-SipRecorder-Event"], request.Headers["X-SipRecorder-Delivery"],
                    request.Headers["X-SipRecorder-Timestamp"], request.Headers["X-SipRecorder-Signature"], await reader.ReadToEndAsync()));
                context.Response.StatusCode = failFirst && _received.Count == 1 ? 500 : 200;
                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public int Count => _received.Count;

    public async Task<WebhookCall[]> StopAsync()
    {
        _listener.Stop();
        await _loop;
        return _received.ToArray();
    }

    public void Dispose() => _listener.Close();
}
