namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Each organization's webhooks (where to POST its recording events) and the deliveries owed to them, kept in the
/// catalogue so that a delivery survives a restart and several nodes share one queue.
/// </summary>
public interface IWebhooks
{
    long Add(WebhookRow webhook);

    IReadOnlyList<WebhookRow> Of(string organization);

    bool Remove(long id, string organization);

    /// <summary>Queues <paramref name="body"/> for every webhook of the organization.</summary>
    void Enqueue(string organization, string eventName, string body, DateTimeOffset now);

    /// <summary>Takes the oldest delivery due at <paramref name="now"/>, held until <paramref name="until"/> so no other node takes it too.</summary>
    (WebhookDelivery Delivery, WebhookRow Webhook)? Claim(DateTimeOffset now, DateTimeOffset until);

    /// <summary>Records an attempt: delivered, or to try again at <paramref name="retryAt"/> (null: given up).</summary>
    void Attempted(long deliveryId, bool delivered, int? statusCode, string? error, DateTimeOffset now, DateTimeOffset? retryAt);

    /// <summary>The organization's latest deliveries, newest first.</summary>
    IReadOnlyList<WebhookDelivery> Deliveries(string organization, int count);
}

/// <param name="Secret">What signs the deliveries (HMAC-SHA256); the receiver has it, shown once when the webhook was made.</param>
public sealed record WebhookRow(long Id, string Organization, string Url, string Secret, DateTimeOffset Created);

/// <param name="Status">"pending", "delivered" or "failed" (given up after the last retry).</param>
public sealed record WebhookDelivery(long Id, long WebhookId, string Url, string Event, string Body, int Attempts, string Status, int? LastStatusCode,
    string? LastError, DateTimeOffset Created, DateTimeOffset? Delivered);
