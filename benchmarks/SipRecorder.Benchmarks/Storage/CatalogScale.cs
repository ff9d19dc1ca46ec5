using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Benchmarks.Storage;

/// <summary>
/// The portal's queries on a big catalogue: fills it (bulk, once) with recordings spread over 10 organizations of 100
/// users, then times each query the portal makes (median of 20 after 3 warm-ups), through the same SqlRecordingStore
/// the server uses. Run by benchmarks/catalog/run.sh; figures in RESULTS.md.
/// </summary>
public static class CatalogScale
{
    private const int Organizations = 10;
    private const int UsersPerOrganization = 100;

    public static int Run(string engine, string target, int rows)
    {
        SqlDatabase database = engine == "postgres" ? PostgresDatabase.Open(target) : SqliteDatabase.Open(target);
        var store = new SqlRecordingStore(database);
        var existing = store.Query(new RecordingQuery(RecordingScope.Everything, null, null, null, 1, 1)).Total;
        if (existing < rows)
        {
            var clock = Stopwatch.StartNew();
            if (database is PostgresDatabase postgres) FillPostgres(postgres, existing, rows);
            else FillSqlite((SqliteDatabase)database, existing, rows);
            Console.WriteLine($"filled {rows - existing:N0} rows in {clock.Elapsed.TotalSeconds:F1} s");
        }
        var admin = RecordingScope.Everything;
        var orgAdmin = new RecordingScope("org-3", null);
        var user = new RecordingScope("org-3", "user-3-42");
        Console.WriteLine($"{engine}, {rows:N0} rows: median ms of 20");
        Time("Admin, page 1 of 25 (with the count)", () => store.Query(new RecordingQuery(admin, null, null, null, 1, 25)));
        Time("OrgAdmin, page 1 of 25", () => store.Query(new RecordingQuery(orgAdmin, null, null, null, 1, 25)));
        Time("OrgAdmin, page 400 of 25", () => store.Query(new RecordingQuery(orgAdmin, null, null, null, 400, 25)));
        Time("User, page 1 of 25", () => store.Query(new RecordingQuery(user, null, null, null, 1, 25)));
        Time("User, search a number", () => store.Query(new RecordingQuery(user, null, null, "4670123", 1, 25)));
        Time("OrgAdmin, search a number", () => store.Query(new RecordingQuery(orgAdmin, null, null, "4670123", 1, 25)));
        Time("OrgAdmin, search text every row holds (467)", () => store.Query(new RecordingQuery(orgAdmin, null, null, "467", 1, 25)));
        Time("OrgAdmin, search two characters (23)", () => store.Query(new RecordingQuery(orgAdmin, null, null, "23", 1, 25)));
        Time("OrgAdmin, folder filter", () => store.Query(new RecordingQuery(orgAdmin, null, "3042", null, 1, 25)));
        Time("OrgAdmin, folder list", () => store.Folders(orgAdmin, null));
        Time("Quota: an organization's finished bytes", () => store.FinishedBytes("org-3", null));
        // The filters and orders of the portal's list (issue 18).
        var lastWeek = DateTimeOffset.FromUnixTimeMilliseconds(Row(rows - 1).Created).AddDays(-7);
        RecordingQuery OrgPage() => new(orgAdmin, null, null, null, 1, 25);
        Time("OrgAdmin, internal calls", () => store.Query(OrgPage() with { Direction = CallDirection.Internal }));
        Time("OrgAdmin, failed recordings", () => store.Query(OrgPage() with { Status = RecordingStatus.Failed }));
        Time("OrgAdmin, number starts with 0046701", () => store.Query(OrgPage() with { Number = "0046701" }));
        Time("OrgAdmin, the last 7 days", () => store.Query(OrgPage() with { Since = lastWeek }));
        Time("OrgAdmin, longest first", () => store.Query(OrgPage() with { Sort = RecordingSort.Duration }));
        Time("OrgAdmin, smallest first", () => store.Query(OrgPage() with { Sort = RecordingSort.Size, Ascending = true }));
        Time("Admin, largest first", () => store.Query(new RecordingQuery(admin, null, null, null, 1, 25) { Sort = RecordingSort.Size }));
        Time("User, longest first", () => store.Query(new RecordingQuery(user, null, null, null, 1, 25) { Sort = RecordingSort.Duration }));
        Time("OrgAdmin, internal, failed, last 7 days, longest", () => store.Query(OrgPage() with
        {
            Direction = CallDirection.Internal, Status = RecordingStatus.Failed, Since = lastWeek, Sort = RecordingSort.Duration,
        }));
        return 0;
    }

    private static void Time(string what, Action query)
    {
        for (var i = 0; i < 3; i++) query();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            query();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-45} {times[10],8:F2}"));
    }

    /// <summary>Row <paramref name="i"/>: a call a minute, spread over the users; durations from 5 s to 10 min (WAV's 32 bytes a
    /// millisecond), half incoming, one in five between extensions, one in fifty failed.</summary>
    private static (string Org, string User, string Ext, string Number, long Created, long DurationMs, string Type, long Internal, string Status) Row(int i)
    {
        var org = i % Organizations;
        var user = i / Organizations % UsersPerOrganization;
        var duration = 5_000 + (i * 7_919L % 595_000);
        var call = i / Organizations; // the organization's own count, so that every organization has each kind
        return ($"org-{org}", $"user-{org}-{user}", (1000 * org + user).ToString(CultureInfo.InvariantCulture),
            "00467" + (i % 100_000).ToString("D5", CultureInfo.InvariantCulture) + "23", 1_700_000_000_000 + (i * 60_000L),
            duration, call % 2 == 0 ? "outgoing" : "incoming", call % 5 == 0 ? 1 : 0, call % 50 == 7 ? "Failed" : "Complete");
    }

    private static void FillPostgres(PostgresDatabase database, int from, int to)
    {
        using var connection = (NpgsqlConnection)database.Connect();
        using (var import = connection.BeginBinaryImport(
            "COPY recordings (organization, user_login, extension, type, from_number, to_number, folder, format, size_bytes, duration_ms, created_ms, call_id, status, path, internal_call) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = from; i < to; i++)
            {
                var (org, user, ext, number, created, duration, type, internalCall, status) = Row(i);
                import.StartRow();
                import.Write(org, NpgsqlDbType.Text);
                import.Write(user, NpgsqlDbType.Text);
                import.Write(ext, NpgsqlDbType.Text);
                import.Write(type, NpgsqlDbType.Text);
                import.Write(ext, NpgsqlDbType.Text);
                import.Write(number, NpgsqlDbType.Text);
                import.Write(ext, NpgsqlDbType.Text);
                import.Write("Wav", NpgsqlDbType.Text);
                import.Write(44 + (32 * duration), NpgsqlDbType.Bigint);
                import.Write(duration, NpgsqlDbType.Bigint);
                import.Write(created, NpgsqlDbType.Bigint);
                import.Write($"call-{i}", NpgsqlDbType.Text);
                import.Write(status, NpgsqlDbType.Text);
                import.Write($"/data/recordings/{ext}/{i}.wav", NpgsqlDbType.Text);
                import.Write(internalCall, NpgsqlDbType.Bigint);
            }
            import.Complete();
        }
        // What autovacuum does on a live system soon after: statistics, and the visibility map index-only scans need.
        using var analyze = new NpgsqlCommand("VACUUM ANALYZE recordings;", connection);
        analyze.ExecuteNonQuery();
    }

    private static void FillSqlite(SqliteDatabase database, int from, int to)
    {
        using var connection = (SqliteConnection)database.Connect();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO recordings (organization, user_login, extension, type, from_number, to_number, folder, format, size_bytes, duration_ms, created_ms, call_id, status, path, internal_call)
            VALUES ($org, $user, $ext, $type, $ext, $number, $ext, 'Wav', 44 + 32 * $duration, $duration, $created, $call, $status, $path, $internal);
            """;
        var parameters = new[] { "$org", "$user", "$ext", "$number", "$created", "$call", "$path", "$duration", "$type", "$internal", "$status" }
            .Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        for (var i = from; i < to; i++)
        {
            var (org, user, ext, number, created, duration, type, internalCall, status) = Row(i);
            parameters[0].Value = org;
            parameters[1].Value = user;
            parameters[2].Value = ext;
            parameters[3].Value = number;
            parameters[4].Value = created;
            parameters[5].Value = $"call-{i}";
            parameters[6].Value = $"/data/recordings/{ext}/{i}.wav";
            parameters[7].Value = duration;
            parameters[8].Value = type;
            parameters[9].Value = internalCall;
            parameters[10].Value = status;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }
}
