using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// What a copy of the data directory's database gives away: no SIP password (H(A1) is stored), no trunk password
/// (sealed with a key kept in Storage:KeysDirectory); the phone still registers against what is stored.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class StoredSecretsTests
{
    [Fact]
    public async Task The_database_holds_no_sip_or_trunk_password_and_the_phone_still_registers()
    {
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(TestPorts.Free()));
        using var phone = new RawSipPhone(server.SipPort);
        var registrar = $"sip:127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
        await phone.SendWithCredentialsAsync("REGISTER", registrar, cseq => PhoneRequests.Register("stored-secrets", cseq, phone.Port), OneExtension.SipPassword);
        Assert.Equal(200, (await phone.FinalResponseAsync()).StatusCode);

        var data = Path.Combine(server.Root, "data");
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "siprecorder.db")};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        var bytes = string.Concat(Directory.GetFiles(data, "siprecorder.db*").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            return reader.ReadToEnd();
        }));
        Assert.DoesNotContain(OneExtension.SipPassword, bytes, StringComparison.Ordinal);
        Assert.DoesNotContain("trunk-pw", bytes, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "keys"), "key-*.xml"));
        Assert.Equal("trunk-pw", Assert.Single(server.Services.GetRequiredService<SipRecorder.Pbx.Directory.IDirectory>().Trunks).Password);
    }
}
