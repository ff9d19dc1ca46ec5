using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests;

/// <summary>Registrations outlive a restart: a location service built on the same database finds the phones again.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SqlBindingStoreTests(PostgresServer postgres) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-bindings-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private string? _postgresDatabase;

    public static TheoryData<string> Engines => new() { "sqlite", "postgres" };

    private LocationService Restart(string engine) => new(_time, new SqlBindingStore(engine == "sqlite"
        ? SqliteDatabase.Open(Path.Combine(_dir, "siprecorder.db"))
        : PostgresDatabase.Open(_postgresDatabase ??= postgres.NewDatabase())));

    private Binding Phone(string extension, int port, TimeSpan lifetime, SipProtocol protocol = SipProtocol.Udp) =>
        new(extension, NameAddress.Parse($"\"Desk\" <sip:{extension}@192.0.2.7:{port};transport=udp>"), _time.GetUtcNow() + lifetime, $"call-{port}", 7,
            new SipEndPoint(protocol, new IPEndPoint(IPAddress.Parse("198.51.100.9"), port)), "Yealink T46U")
        { Path = ["<sip:edge.example.com;lr;received=sip:198.51.100.9:5062>", "<sip:outbound.example.net;lr>"] };

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_registered_phone_is_found_after_a_restart_with_its_nat_source_and_contact(string engine)
    {
        Restart(engine).Upsert(Phone("2003", 5062, TimeSpan.FromHours(1)));

        var found = Assert.Single(Restart(engine).Lookup("2003"));
        Assert.Equal(Phone("2003", 5062, TimeSpan.FromHours(1)) with { Contact = found.Contact, Path = found.Path }, found);
        Assert.Equal(Phone("2003", 5062, TimeSpan.FromHours(1)).Path, found.Path); // the way back through the edge proxy
        Assert.Equal("Desk", found.Contact.DisplayName);
        Assert.Equal(5062, found.Contact.Uri.Port);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Unregistered_expired_and_tcp_bindings_do_not_come_back(string engine)
    {
        var locations = Restart(engine);
        locations.Upsert(Phone("2003", 5062, TimeSpan.FromHours(1)));
        locations.Upsert(Phone("2003", 5064, TimeSpan.FromMinutes(1)));
        locations.Upsert(Phone("2004", 5066, TimeSpan.FromHours(1)));
        locations.Upsert(Phone("2005", 5068, TimeSpan.FromHours(1), SipProtocol.Tcp));
        locations.Remove("2003", Phone("2003", 5062, TimeSpan.Zero).Key);
        locations.RemoveAll("2004");
        _time.Advance(TimeSpan.FromMinutes(2));
        locations.Purge();

        var restarted = Restart(engine);
        Assert.Equal(0, restarted.Count);
    }
}
