using System.Security.Cryptography;
using System.Text;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Server.Web.Hooks;

/// <summary>
/// Delivers the queued webhook calls: a POST of the JSON body with <c>X-SipRecorder-Event</c>,
/// <c>X-SipRecorder-Delivery</c> (the same on every retry, so a receiver can drop a repeat), <c>X-SipRecorder-Timestamp</c>
/// and <c>X-SipRecorder-Signature: sha256=</c>HMAC-SHA256(secret, timestamp + "." + body). A 2xx delivers it; anything
/// else is tried again after <paramref name="retryBase"/>, 6x, 36x... that, six attempts in all, then given up. The log
/// of attempts is the portal's delivery list.
/// </summary>
public sealed partial class WebhookDispatcher(IWebhooks webhooks, HttpClient http, TimeProvider time, TimeSpan retryBase, ILogger<WebhookDispatcher> logger)
    : IPeriodicJob
{
    public const int MaxAttempts = 6;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _disposed;

    public void Start() => _loop = Task.Run(LoopAsync);

    // Twice: by the hosted service at shutdown, then by the container.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        try
        {
            _loop?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // stopping
        }
        _stop.Dispose();
    }

    /// <summary>Delivers whatever is due now; returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancel)
    {
        var attempts = 0;
        while (!cancel.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (webhooks.Claim(now, now.AddMinutes(1)) is not var (delivery, webhook)) break;
            attempts++;
            var (code, error) = await PostAsync(delivery, webhook, cancel);
            var done = code is >= 200 and < 300;
            var retryAt = done || delivery.Attempts + 1 >= MaxAttempts ? (DateTimeOffset?)null : time.GetUtcNow() + (retryBase * Math.Pow(6, delivery.Attempts));
            webhooks.Attempted(delivery.Id, done, code, error, time.GetUtcNow(), retryAt);
            if (!done) LogFailed(logger, delivery.Id, webhook.Url, code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? error ?? "", retryAt is null ? "given up" : $"again at {retryAt:u}");
        }
        return attempts;
    }

    /// <summary>The signature a receiver checks: hex HMAC-SHA256 of "timestamp.body" with the webhook's secret.</summary>
    public static string Signature(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await DeliverDueAsync(_stop.Token);
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (System.Data.Common.DbException e)
            {
                LogStoreFailed(logger, e.Message); // the catalogue is back soon: keep the loop alive
                await Task.Delay(TimeSpan.FromSeconds(5), time, CancellationToken.None);
            }
        }
    }

    private async Task<(int? Code, string? Error)> PostAsync(WebhookDelivery delivery, WebhookRow webhook, CancellationToken cancel)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-SipRecorder-Event", delivery.Event);
        request.Headers.Add("X-SipRecorder-Delivery", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-SipRecorder-Timestamp", timestamp);
        request.Headers.Add("X-SipRecorder-Signature", Signature(webhook.Secret, timestamp, delivery.Body));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e is TaskCanceledException ? "no answer in 10 s" : e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Id} to {Url} failed ({Outcome}): {Next}")]
    private static partial void LogFailed(ILogger logger, long id, string url, string outcome, string next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook deliveries paused: the catalogue failed: {Error}")]
    private static partial void LogStoreFailed(ILogger logger, string error);
}
