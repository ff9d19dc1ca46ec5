using System.Diagnostics;
using Npgsql;

namespace SipRecorder.Storage.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1 (Debian's postgresql, which tests/run.sh installs): initdb into a
/// temporary folder and pg_ctl start, as the postgres user when the tests run as root (PostgreSQL refuses root).
/// Each test gets a database of its own from <see cref="NewDatabase"/>.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _directory;
    private readonly string _bin;
    private readonly bool _asPostgres = Environment.UserName == "root";

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0) throw new InvalidOperationException("PostgreSQL is not installed: run the test command from README.md (tests/run.sh installs postgresql).");
        _directory = Directory.CreateTempSubdirectory("siprec-pg-").FullName;
        if (_asPostgres) Run("/bin/chown", "-R", "postgres:postgres", _directory);
        Port = Objects.S3rver.FreePort();
        var data = Path.Combine(_directory, "data");
        Postgres("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");
        Postgres("pg_ctl", "-D", data, "-l", Path.Combine(_directory, "log"), "-w", "-t", "30", "start",
            "-o", $"-p {Port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off");
    }

    public int Port { get; }

    /// <summary>A new, empty database; its connection string.</summary>
    public string NewDatabase()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name};", admin);
            create.ExecuteNonQuery();
        }
        return ConnectionString(name);
    }

    private string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true";

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try { Postgres("pg_ctl", "-D", Path.Combine(_directory, "data"), "-m", "immediate", "stop"); }
        catch (InvalidOperationException) { }
        Directory.Delete(_directory, true);
    }

    private void Postgres(string tool, params string[] args)
    {
        if (_asPostgres) Run("/usr/sbin/runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);
        else Run(Path.Combine(_bin, tool), args);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) process.Kill(true);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {error.Result}{output.Result}");
    }
}
