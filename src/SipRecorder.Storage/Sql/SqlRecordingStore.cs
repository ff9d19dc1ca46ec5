using System.Globalization;
using System.Text;
using System.Data.Common;
using SipRecorder.Pbx.Directory;
using SipRecorder.Media.Recording;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Storage.Sql;

/// <summary>Recording metadata in SQLite or PostgreSQL. Times are Unix milliseconds (UTC), durations milliseconds.</summary>
public sealed class SqlRecordingStore(SqlDatabase database) : IRecordingStore
{
    // A row is held by its own hold or by one on either party's number in its organization (read per row returned: a
    // page of the list, never the whole table).
    private const string HeldCondition =
        "(recordings.held_ms IS NOT NULL OR EXISTS (SELECT 1 FROM legal_holds h WHERE h.organization = recordings.organization " +
        "AND h.number IN (recordings.from_number, recordings.to_number)))";

    private const string Columns = "id, organization, user_login, extension, type, from_number, from_name, to_number, to_name, folder, format, " +
                                   "size_bytes, duration_ms, created_ms, call_id, status, stop_reason, path, transferred_ms, transferred_by, transferred_to, node, internal_call, " +
                                   "CASE WHEN " + HeldCondition + " THEN 1 ELSE 0 END";

    public long Add(RecordingEntry entry)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            """
            INSERT INTO recordings (organization, user_login, extension, type, from_number, from_name, to_number, to_name, folder, format,
                                    size_bytes, duration_ms, created_ms, call_id, status, stop_reason, path, node, internal_call)
            VALUES (@organization, @user, @extension, @type, @fromNumber, @fromName, @toNumber, @toName, @folder, @format,
                    @size, @duration, @created, @callId, @status, @stopReason, @path, @node, @internal)
            RETURNING id;
            """,
            ("@organization", entry.Organization), ("@user", entry.UserLogin), ("@extension", entry.Extension), ("@type", entry.Type),
            ("@fromNumber", entry.FromNumber), ("@fromName", entry.FromName), ("@toNumber", entry.ToNumber), ("@toName", entry.ToName),
            ("@folder", entry.Folder), ("@format", entry.Format.ToString()), ("@size", entry.SizeBytes), ("@duration", (long)entry.Duration.TotalMilliseconds),
            ("@created", entry.CreatedAt.ToUnixTimeMilliseconds()), ("@callId", entry.CallId), ("@status", entry.Status.ToString()),
            ("@stopReason", entry.StopReason), ("@path", entry.Path), ("@node", entry.Node), ("@internal", entry.Internal ? 1L : 0L));
        return (long)command.ExecuteScalar()!;
    }

    public Waveform? Waveform(long id)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT waveform FROM recordings WHERE id = @id;", ("@id", id));
        return SipRecorder.Media.Recording.Waveform.FromBytes(command.ExecuteScalar() as byte[]);
    }

    private static readonly System.Text.Json.JsonSerializerOptions DetailsJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public RecordingDetails? Details(long id)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, "SELECT details FROM recordings WHERE id = @id;", ("@id", id));
        return command.ExecuteScalar() is string json ? System.Text.Json.JsonSerializer.Deserialize<RecordingDetails>(json, DetailsJson) : null;
    }

    public void NoteTransfer(long id, RecordingTransfer transfer) =>
        database.Execute("UPDATE recordings SET transferred_ms = @at, transferred_by = @by, transferred_to = @to WHERE id = @id;",
            ("@at", transfer.At.ToUnixTimeMilliseconds()), ("@by", transfer.By), ("@to", transfer.To), ("@id", id));

    public void Complete(long id, RecordingStatus status, long sizeBytes, TimeSpan duration, string? stopReason, Waveform? waveform = null, RecordingDetails? details = null) =>
        database.Execute(
            "UPDATE recordings SET status = @status, size_bytes = @size, duration_ms = @duration, stop_reason = @reason, " +
            "waveform = COALESCE(@waveform, waveform), details = COALESCE(@details, details) WHERE id = @id;",
            ("@status", status.ToString()), ("@size", sizeBytes), ("@duration", (long)duration.TotalMilliseconds), ("@reason", stopReason),
            ("@waveform", waveform?.ToBytes()), ("@details", details is null ? null : System.Text.Json.JsonSerializer.Serialize(details, DetailsJson)), ("@id", id));

    public RecordingEntry? Find(long id) => Select($"SELECT {Columns} FROM recordings WHERE id = @id;", ("@id", id)).FirstOrDefault();

    public RecordingPage Query(RecordingQuery query)
    {
        var (where, parameters) = Filter(query.Scope, query.UserLogin);
        if (query.Folder is not null)
        {
            where.Append(" AND folder = @folder");
            parameters.Add(("@folder", query.Folder));
        }
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            where.Append(" AND ").Append(database.PartySearch(query.Text, parameters));
        }
        if (query.Since is { } since)
        {
            where.Append(" AND created_ms >= @since");
            parameters.Add(("@since", since.ToUnixTimeMilliseconds()));
        }
        if (query.Before is { } before)
        {
            where.Append(" AND created_ms < @before");
            parameters.Add(("@before", before.ToUnixTimeMilliseconds()));
        }
        if (query.Direction is { } direction)
        {
            where.Append(direction switch
            {
                CallDirection.Internal => " AND internal_call = 1",
                CallDirection.Incoming => " AND internal_call = 0 AND type = 'incoming'",
                _ => " AND internal_call = 0 AND type = 'outgoing'",
            });
        }
        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            parameters.Add(("@status", status.ToString()));
        }
        if (!string.IsNullOrEmpty(query.Number))
        {
            where.Append(" AND ").Append(database.NumberPrefix("@number"));
            parameters.Add(("@number", query.Number));
        }
        using var connection = database.Connect();
        using var count = SqlDatabase.Command(connection, $"SELECT COUNT(*) FROM recordings WHERE {where};", [.. parameters]);
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        parameters.Add(("@limit", query.PageSize));
        parameters.Add(("@offset", (long)(query.Page - 1) * query.PageSize));
        var column = query.Sort switch { RecordingSort.Duration => "duration_ms", RecordingSort.Size => "size_bytes", _ => "created_ms" };
        // With a narrow filter (dates, status, number) its index finds the few rows and they are sorted after; walking the
        // whole organization in duration or size order to find them is what a planner without value statistics (SQLite)
        // would otherwise do. A unary + keeps the order's index out of the plan in both engines.
        if (query.Sort != RecordingSort.Created && (query.Since is not null || query.Before is not null || query.Status is not null || query.Number is not null))
            column = "+" + column;
        var order = query.Ascending ? "ASC" : "DESC";
        var items = Select(connection, $"SELECT {Columns} FROM recordings WHERE {where} ORDER BY {column} {order}, id {order} LIMIT @limit OFFSET @offset;", [.. parameters]);
        return new RecordingPage(total, query.Page, query.PageSize, items);
    }

    public IReadOnlyList<string> Folders(RecordingScope scope, string? userLogin)
    {
        var (where, parameters) = Filter(scope, userLogin);
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, $"SELECT DISTINCT folder FROM recordings WHERE {where} ORDER BY folder;", [.. parameters]);
        using var reader = command.ExecuteReader();
        var folders = new List<string>();
        while (reader.Read()) folders.Add(reader.GetString(0));
        return folders;
    }

    public bool Delete(long id) => database.Execute($"DELETE FROM recordings WHERE id = @id AND NOT {HeldCondition};", ("@id", id)) > 0;

    public bool SetHold(long id, DateTimeOffset? since) =>
        database.Execute("UPDATE recordings SET held_ms = @since WHERE id = @id;", ("@since", since?.ToUnixTimeMilliseconds()), ("@id", id)) > 0;

    public void HoldNumber(NumberHold hold) =>
        database.Execute("INSERT INTO legal_holds (organization, number, since_ms, held_by) VALUES (@organization, @number, @since, @by) ON CONFLICT (organization, number) DO NOTHING;",
            ("@organization", hold.Organization), ("@number", hold.Number), ("@since", hold.Since.ToUnixTimeMilliseconds()), ("@by", hold.By));

    public bool ReleaseNumber(string organization, string number) =>
        database.Execute("DELETE FROM legal_holds WHERE organization = @organization AND number = @number;", ("@organization", organization), ("@number", number)) > 0;

    public IReadOnlyList<NumberHold> NumberHolds(string? organization)
    {
        using var connection = database.Connect();
        using var command = organization is null
            ? SqlDatabase.Command(connection, "SELECT organization, number, since_ms, held_by FROM legal_holds ORDER BY organization, number;")
            : SqlDatabase.Command(connection, "SELECT organization, number, since_ms, held_by FROM legal_holds WHERE organization = @organization ORDER BY number;", ("@organization", organization));
        using var reader = command.ExecuteReader();
        var holds = new List<NumberHold>();
        while (reader.Read()) holds.Add(new NumberHold(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetString(3)));
        return holds;
    }

    public long FinishedBytes(string organization, string? userLogin)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            userLogin is null
                ? "SELECT COALESCE(SUM(size_bytes), 0) FROM recordings WHERE status <> 'Recording' AND organization = @organization;"
                : "SELECT COALESCE(SUM(size_bytes), 0) FROM recordings WHERE status <> 'Recording' AND organization = @organization AND user_login = @user;",
            userLogin is null ? [("@organization", organization)] : [("@organization", organization), ("@user", userLogin)]);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<RecordingEntry> InProgress(string? node = null) => node is null
        ? Select($"SELECT {Columns} FROM recordings WHERE status = 'Recording';")
        : Select($"SELECT {Columns} FROM recordings WHERE status = 'Recording' AND node = @node;", ("@node", node));

    public bool Abandon(long id, string detail) =>
        database.Execute("UPDATE recordings SET status = 'Failed', stop_reason = @reason WHERE id = @id AND status = 'Recording';",
            ("@reason", RecordingEntry.AbandonedPrefix + detail), ("@id", id)) == 1;

    public IReadOnlyList<RecordingEntry> Unfinished(string node) =>
        Select($"SELECT {Columns} FROM recordings WHERE node = @node AND (status = 'Recording' OR (status = 'Failed' AND stop_reason LIKE @abandoned));",
            ("@node", node), ("@abandoned", RecordingEntry.AbandonedPrefix + "%"));

    public IReadOnlyList<RecordingEntry> FinishedBefore(string extension, DateTimeOffset cutoff) =>
        Select($"SELECT {Columns} FROM recordings WHERE extension = @extension AND status <> 'Recording' AND created_ms < @cutoff AND NOT {HeldCondition};",
            ("@extension", extension), ("@cutoff", cutoff.ToUnixTimeMilliseconds()));

    private static (StringBuilder Where, List<(string, object?)> Parameters) Filter(RecordingScope scope, string? userLogin)
    {
        var where = new StringBuilder("1 = 1");
        var parameters = new List<(string, object?)>();
        if (scope.Organization is not null)
        {
            where.Append(" AND organization = @scopeOrganization");
            parameters.Add(("@scopeOrganization", scope.Organization));
        }
        if (scope.UserLogin is not null)
        {
            where.Append(" AND user_login = @scopeUser");
            parameters.Add(("@scopeUser", scope.UserLogin));
        }
        if (userLogin is not null)
        {
            where.Append(" AND user_login = @user");
            parameters.Add(("@user", userLogin));
        }
        return (where, parameters);
    }

    private List<RecordingEntry> Select(string sql, params (string, object?)[] parameters)
    {
        using var connection = database.Connect();
        return Select(connection, sql, parameters);
    }

    private static List<RecordingEntry> Select(DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<RecordingEntry>();
        while (reader.Read())
        {
            rows.Add(new RecordingEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetString(9), Enum.Parse<RecordingFormat>(reader.GetString(10)), reader.GetInt64(11), TimeSpan.FromMilliseconds(reader.GetInt64(12)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)), reader.GetString(14), Enum.Parse<RecordingStatus>(reader.GetString(15)),
                reader.IsDBNull(16) ? null : reader.GetString(16), reader.GetString(17))
            {
                Transfer = reader.IsDBNull(18) ? null
                    : new RecordingTransfer(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(18)), reader.GetString(19), reader.GetString(20)),
                Node = reader.GetString(21),
                Internal = reader.GetInt64(22) != 0,
                Held = Convert.ToInt64(reader.GetValue(23), System.Globalization.CultureInfo.InvariantCulture) != 0,
            });
        }
        return rows;
    }
}
