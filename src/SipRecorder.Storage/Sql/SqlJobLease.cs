using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Sql;

/// <summary>
/// Job leases in the shared catalogue: one conditional upsert, so two nodes asking at once cannot both win (the row's
/// lock orders them and the second sees the first's holder and expiry).
/// </summary>
/// <param name="holder">This node, as the lease names it (host and process).</param>
public sealed class SqlJobLease(SqlDatabase database, string holder) : IJobLease
{
    public bool TryHold(string job, DateTimeOffset now, DateTimeOffset until) =>
        database.Execute(
            """
            INSERT INTO leases (name, holder, expires_ms) VALUES (@name, @holder, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
            WHERE leases.holder = excluded.holder OR leases.expires_ms <= @now;
            """,
            ("@name", job), ("@holder", holder), ("@until", until.ToUnixTimeMilliseconds()), ("@now", now.ToUnixTimeMilliseconds())) == 1;

    public DateTimeOffset? HeldUntil(string job)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT expires_ms FROM leases WHERE name = @name;", ("@name", job));
        return command.ExecuteScalar() is { } until and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(until, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }
}
