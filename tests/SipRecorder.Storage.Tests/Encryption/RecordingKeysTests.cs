using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Storage.Encryption;
using SipRecorder.Storage.Postgres;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.Storage.Tests.Encryption;

/// <summary>
/// The key hierarchy on SQLite and PostgreSQL: each recording's own key wrapped by its organization's, which is sealed
/// by the master key; another master key opens nothing; a master key rotation reseals without touching files; an
/// organization's public key makes recordings the server cannot open.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RecordingKeysTests(PostgresServer postgres) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("siprec-keys-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public static TheoryData<string> Catalogues => new() { "sqlite", "postgres" };

    public void Dispose() => Directory.Delete(_dir, true);

    private SqlDatabase Open(string kind) => kind == "sqlite" ? SqliteDatabase.Open(Path.Combine(_dir, "db.sqlite")) : PostgresDatabase.Open(postgres.NewDatabase());

    private RecordingKeys Keys(SqlDatabase database, MasterKey? master, params MasterKey[] previous) => new(new SqlOrganizationKeys(database), master, previous, _time);

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void Each_recording_has_its_own_key_under_its_organizations_key_and_another_master_key_opens_nothing(string kind)
    {
        var database = Open(kind);
        var master = MasterKey.Random();
        var keys = Keys(database, master);
        var first = keys.NewDataKey("acme")!;
        var second = keys.NewDataKey("ACME")!; // organization names compare without case, as in the directory
        var other = keys.NewDataKey("globex")!;
        Assert.NotEqual(first.Key, second.Key);
        Assert.Equal(RecordingKeys.ReadEnvelope(first.Envelope).KeyId, RecordingKeys.ReadEnvelope(second.Envelope).KeyId);
        Assert.NotEqual(RecordingKeys.ReadEnvelope(first.Envelope).KeyId, RecordingKeys.ReadEnvelope(other.Envelope).KeyId);

        // A server started again (nothing cached) opens them from the catalogue and the master key.
        var restarted = Keys(database, master);
        Assert.Equal(first.Key, restarted.OpenEnvelope(first.Envelope));
        Assert.Equal(other.Key, restarted.OpenEnvelope(other.Envelope));

        // The catalogue without the master key: whoever has it (a stolen backup) opens nothing.
        var thief = Assert.Throws<RecordingKeyException>(() => Keys(database, MasterKey.Random()).OpenEnvelope(first.Envelope));
        Assert.Contains("not configured", thief.Message, StringComparison.Ordinal);
        Assert.Throws<RecordingKeyException>(() => Keys(database, null).OpenEnvelope(first.Envelope));

        var altered = (byte[])first.Envelope.Clone();
        altered[^1] ^= 1;
        Assert.Throws<RecordingKeyException>(() => restarted.OpenEnvelope(altered));
        Assert.Null(Keys(database, null).NewDataKey("initech")); // no master key and no public key: not encrypted
    }

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void A_new_master_key_reseals_the_organization_keys_and_the_old_one_then_opens_nothing(string kind)
    {
        var database = Open(kind);
        var (oldMaster, newMaster) = (MasterKey.Random(), MasterKey.Random());
        var made = Keys(database, oldMaster).NewDataKey("acme")!;
        Assert.Equal((1, 0), Keys(database, newMaster, oldMaster).ResealWithCurrentMaster());
        Assert.Equal((0, 0), Keys(database, newMaster, oldMaster).ResealWithCurrentMaster()); // once is enough

        Assert.Equal(made.Key, Keys(database, newMaster).OpenEnvelope(made.Envelope)); // the old key no longer needed
        Assert.Throws<RecordingKeyException>(() => Keys(database, oldMaster).OpenEnvelope(made.Envelope));
        Assert.Equal((0, 1), Keys(database, MasterKey.Random()).ResealWithCurrentMaster()); // a key it cannot open is reported, not lost
    }

    [Theory]
    [MemberData(nameof(Catalogues))]
    public void An_organizations_public_key_makes_recordings_only_its_private_key_opens(string kind)
    {
        var database = Open(kind);
        var keys = Keys(database, MasterKey.Random());
        var before = keys.NewDataKey("acme")!;
        using var theirs = RSA.Create(3072);
        keys.UsePublicKey("acme", theirs.ExportSubjectPublicKeyInfo());

        var sealedForThem = keys.NewDataKey("acme")!;
        var refused = Assert.Throws<RecordingKeyException>(() => keys.OpenEnvelope(sealedForThem.Envelope));
        Assert.Contains("private key", refused.Message, StringComparison.Ordinal);
        Assert.Equal(sealedForThem.Key, RecordingKeys.OpenWithPrivateKey(sealedForThem.Envelope, theirs));
        using var someoneElse = RSA.Create(2048);
        Assert.Throws<RecordingKeyException>(() => RecordingKeys.OpenWithPrivateKey(sealedForThem.Envelope, someoneElse));
        Assert.True(sealedForThem.Envelope.Length <= EncryptedStream.MaxEnvelopeSize);

        Assert.Equal(before.Key, keys.OpenEnvelope(before.Envelope)); // what was recorded before stays playable
        Assert.NotNull(keys.NewDataKey("globex")); // other organizations keep the server's keys

        using var weak = RSA.Create(1024);
        using var huge = RSA.Create(4096);
        Assert.Throws<ArgumentException>(() => keys.UsePublicKey("acme", weak.ExportSubjectPublicKeyInfo()));
        Assert.Throws<ArgumentException>(() => keys.UsePublicKey("acme", huge.ExportSubjectPublicKeyInfo())); // its envelope would not fit the header
        Assert.Throws<ArgumentException>(() => keys.UsePublicKey("acme", [1, 2, 3]));
    }
}
