using System.Data.Common;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sql;

public sealed class SqlAuditLog(SqlDatabase database) : IAuditLog
{
    public void Write(DateTimeOffset at, string actor, string action, string? target) =>
        database.Execute("INSERT INTO audit (at_ms, actor, action, target) VALUES (@at, @actor, @action, @target);",
            ("@at", at.ToUnixTimeMilliseconds()), ("@actor", actor), ("@action", action), ("@target", target));

    public IReadOnlyList<AuditEntry> Recent(int count)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT at_ms, actor, action, target FROM audit ORDER BY id DESC LIMIT @count;", ("@count", count));
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
            entries.Add(new AuditEntry(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return entries;
    }
}
