using System.Data.Common;
using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sql;

public sealed class SqlAuditLog(SqlDatabase database) : IAuditLog
{
    private const string Columns = "at_ms, actor, action, target, organization, address, detail";

    public void Write(DateTimeOffset at, string actor, string action, string? target, string? organization = null, string? address = null, string? detail = null) =>
        database.Execute("INSERT INTO audit (at_ms, actor, action, target, organization, address, detail) VALUES (@at, @actor, @action, @target, @organization, @address, @detail);",
            ("@at", at.ToUnixTimeMilliseconds()), ("@actor", actor), ("@action", action), ("@target", target), ("@organization", organization), ("@address", address),
            ("@detail", detail));

    public IReadOnlyList<AuditEntry> Recent(int count) => Query(new AuditQuery(Limit: count)).Entries;

    public (IReadOnlyList<AuditEntry> Entries, int Total) Query(AuditQuery query)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        void Filter(string clause, string name, object? value)
        {
            if (value is null) return;
            where.Add(clause);
            parameters.Add((name, value));
        }
        Filter("organization = @organization", "@organization", query.Organization);
        Filter("target = @target", "@target", query.Target);
        Filter("actor = @actor", "@actor", query.Actor);
        // A prefix compared as text, not LIKE: '_' in what a client sends would be a wildcard.
        Filter("substr(action, 1, length(@action)) = @action", "@action", query.ActionPrefix);
        Filter("at_ms >= @from", "@from", query.From?.ToUnixTimeMilliseconds());
        Filter("at_ms < @to", "@to", query.To?.ToUnixTimeMilliseconds());
        var condition = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        using var connection = database.Connect();
        int total;
        using (var count = SqlDatabase.Command(connection, $"SELECT COUNT(*) FROM audit {condition};", [.. parameters]))
            total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var command = SqlDatabase.Command(connection, $"SELECT {Columns} FROM audit {condition} ORDER BY at_ms DESC, id DESC LIMIT @limit OFFSET @offset;",
            [.. parameters, ("@limit", query.Limit), ("@offset", query.Offset)]);
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read()) entries.Add(Read(reader));
        return (entries, total);
    }

    private static AuditEntry Read(DbDataReader reader) =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3))
        {
            Organization = reader.IsDBNull(4) ? null : reader.GetString(4),
            Address = reader.IsDBNull(5) ? null : reader.GetString(5),
            Detail = reader.IsDBNull(6) ? null : reader.GetString(6),
        };
}
