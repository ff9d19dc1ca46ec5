using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sql;

/// <summary>Failed portal logins in the shared catalogue (see <see cref="ILoginFailures"/>): one upsert per failure.</summary>
public sealed class SqlLoginFailures(SqlDatabase database) : ILoginFailures
{
    public (int Count, DateTimeOffset Last)? Find(string key)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT failures, last_ms FROM login_failures WHERE key = @key;", ("@key", key));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))) : null;
    }

    public void Failed(string key, DateTimeOffset now, TimeSpan window)
    {
        var windowStart = (now - window).ToUnixTimeMilliseconds();
        database.Execute(
            """
            DELETE FROM login_failures WHERE last_ms <= @windowStart AND key <> @key;
            INSERT INTO login_failures (key, failures, last_ms) VALUES (@key, 1, @now)
            ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_ms <= @windowStart THEN 1 ELSE login_failures.failures + 1 END,
                last_ms = excluded.last_ms;
            """,
            ("@key", key), ("@now", now.ToUnixTimeMilliseconds()), ("@windowStart", windowStart));
    }

    public void Forget(string key) => database.Execute("DELETE FROM login_failures WHERE key = @key;", ("@key", key));
}
