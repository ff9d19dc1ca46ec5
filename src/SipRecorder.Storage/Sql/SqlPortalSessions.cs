using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sql;

/// <summary>Portal sessions in the shared catalogue (see <see cref="IPortalSessions"/>).</summary>
public sealed class SqlPortalSessions(SqlDatabase database) : IPortalSessions
{
    public void Save(PortalSessionRow session) =>
        database.Execute(
            """
            INSERT INTO portal_sessions (token_hash, actor, login, csrf, expires_ms) VALUES (@hash, @actor, @login, @csrf, @expires)
            ON CONFLICT (token_hash) DO UPDATE SET login = excluded.login, expires_ms = excluded.expires_ms;
            """,
            ("@hash", session.TokenHash), ("@actor", session.Actor), ("@login", session.Login), ("@csrf", session.Csrf),
            ("@expires", session.Expires.ToUnixTimeMilliseconds()));

    public PortalSessionRow? Find(string tokenHash)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT actor, login, csrf, expires_ms FROM portal_sessions WHERE token_hash = @hash;", ("@hash", tokenHash));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new PortalSessionRow(tokenHash, reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)))
            : null;
    }

    public void Delete(string tokenHash) => database.Execute("DELETE FROM portal_sessions WHERE token_hash = @hash;", ("@hash", tokenHash));

    public int DeleteAllOf(string actor, string? keepTokenHash) =>
        database.Execute("DELETE FROM portal_sessions WHERE actor = @actor AND token_hash <> @keep;", ("@actor", actor), ("@keep", keepTokenHash ?? ""));

    public void DeleteExpired(DateTimeOffset now) =>
        database.Execute("DELETE FROM portal_sessions WHERE expires_ms <= @now;", ("@now", now.ToUnixTimeMilliseconds()));
}
