using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Sql;

/// <summary>Webhooks and their deliveries in the catalogue (see <see cref="IWebhooks"/>); secrets sealed like trunk passwords.</summary>
public sealed class SqlWebhooks(SqlDatabase database, ISecretSealer secrets) : IWebhooks
{
    public long Add(WebhookRow webhook)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "INSERT INTO webhooks (organization, url, secret, created_ms) VALUES (@organization, @url, @secret, @created) RETURNING id;",
            ("@organization", webhook.Organization), ("@url", webhook.Url), ("@secret", secrets.Seal(webhook.Secret)), ("@created", webhook.Created.ToUnixTimeMilliseconds()));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<WebhookRow> Of(string organization) =>
        Read("SELECT id, organization, url, secret, created_ms FROM webhooks WHERE organization = @organization ORDER BY id;", Webhook, ("@organization", organization));

    public bool Remove(long id, string organization)
    {
        database.Execute("DELETE FROM webhook_deliveries WHERE webhook_id = @id AND webhook_id IN (SELECT id FROM webhooks WHERE organization = @organization);",
            ("@id", id), ("@organization", organization));
        return database.Execute("DELETE FROM webhooks WHERE id = @id AND organization = @organization;", ("@id", id), ("@organization", organization)) == 1;
    }

    public void Enqueue(string organization, string eventName, string body, DateTimeOffset now) =>
        database.Execute(
            """
            INSERT INTO webhook_deliveries (webhook_id, event, body, attempts, status, next_ms, created_ms)
            SELECT id, @event, @body, 0, 'pending', @now, @now FROM webhooks WHERE organization = @organization;
            """,
            ("@event", eventName), ("@body", body), ("@now", now.ToUnixTimeMilliseconds()), ("@organization", organization));

    public (WebhookDelivery Delivery, WebhookRow Webhook)? Claim(DateTimeOffset now, DateTimeOffset until)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            var due = Read($"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND d.next_ms <= @now ORDER BY d.next_ms, d.id LIMIT 1;",
                Delivery, ("@now", now.ToUnixTimeMilliseconds())).FirstOrDefault();
            if (due is null) return null;
            // Conditional on the row still being due: of two nodes reading it at once, one moves it and the other tries again.
            var taken = database.Execute("UPDATE webhook_deliveries SET next_ms = @until WHERE id = @id AND status = 'pending' AND next_ms <= @now;",
                ("@until", until.ToUnixTimeMilliseconds()), ("@id", due.Id), ("@now", now.ToUnixTimeMilliseconds())) == 1;
            if (!taken) continue;
            var webhook = Read("SELECT id, organization, url, secret, created_ms FROM webhooks WHERE id = @id;", Webhook, ("@id", due.WebhookId)).FirstOrDefault();
            if (webhook is not null) return (due, webhook);
        }
        return null;
    }

    public void Attempted(long deliveryId, bool delivered, int? statusCode, string? error, DateTimeOffset now, DateTimeOffset? retryAt) =>
        database.Execute(
            """
            UPDATE webhook_deliveries SET attempts = attempts + 1, status = @status, last_status = @code, last_error = @error,
                next_ms = @next, delivered_ms = @delivered WHERE id = @id;
            """,
            ("@status", delivered ? "delivered" : retryAt is null ? "failed" : "pending"), ("@code", statusCode), ("@error", error),
            ("@next", (retryAt ?? now).ToUnixTimeMilliseconds()), ("@delivered", delivered ? now.ToUnixTimeMilliseconds() : null), ("@id", deliveryId));

    public IReadOnlyList<WebhookDelivery> Deliveries(string organization, int count) =>
        Read($"SELECT {DeliveryColumns} FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.organization = @organization ORDER BY d.id DESC LIMIT @count;",
            Delivery, ("@organization", organization), ("@count", count));

    private const string DeliveryColumns = "d.id, d.webhook_id, w.url, d.event, d.body, d.attempts, d.status, d.last_status, d.last_error, d.created_ms, d.delivered_ms";

    private WebhookRow Webhook(System.Data.Common.DbDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), secrets.Unseal(r.GetString(3)) ?? "", DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));

    private static WebhookDelivery Delivery(System.Data.Common.DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), Convert.ToInt32(r.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
            r.GetString(6), r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture), r.IsDBNull(8) ? null : r.GetString(8),
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(9)), r.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)));

    private List<T> Read<T>(string sql, Func<System.Data.Common.DbDataReader, T> map, params (string, object?)[] parameters)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(map(reader));
        return rows;
    }
}
