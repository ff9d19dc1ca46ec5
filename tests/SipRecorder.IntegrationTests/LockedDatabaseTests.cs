using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Recordings;
using SipRecorder.Storage.Sql;
using SipRecorder.Storage.Sqlite;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// SIP never waits for the database: with the SQLite file held by another process's exclusive transaction (a backup,
/// an operator's sqlite3 shell), a phone registers and a recorded call is set up, talks and ends at once; the
/// registration and the recording's row are written when the database is free again, nothing lost.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class LockedDatabaseTests
{
    [Fact]
    public async Task With_the_database_locked_a_phone_registers_and_a_recorded_call_runs_and_both_are_written_once_it_is_free()
    {
        var trunkPort = TestPorts.Free();
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(trunkPort, OneExtension.AlwaysRecorded));
        var databasePath = Path.Combine(server.Root, "data", "siprecorder.db");
        var finished = NextRecording.Of(server, "2003");

        await using (var holder = new SqliteConnection($"Data Source={databasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            using var phone = new RawSipPhone(server.SipPort);
            var registrar = $"sip:127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
            var asked = Stopwatch.GetTimestamp();
            await phone.SendWithCredentialsAsync("REGISTER", registrar, cseq => PhoneRequests.Register("locked-db-reg", cseq, phone.Port), OneExtension.SipPassword);
            Assert.Equal(200, (await phone.FinalResponseAsync()).StatusCode);
            // SQLite's busy timeout is 5 s: an answer that waited for the database would take at least that.
            Assert.InRange(Stopwatch.GetElapsedTime(asked).TotalSeconds, 0, 2);

            var trunk = await Sipp.StartUasAsync("answer.xml", trunkPort, "-mp", TestPorts.FreeText());
            var caller = await Sipp.RunAsync($"127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}", "call_out.xml", TestPorts.Free(),
                "-s", "0046701234", "-au", "2003", "-ap", OneExtension.SipPassword, "-key", "ext", "2003", "-d", "1000", "-mp", TestPorts.FreeText());
            var callee = await trunk;
            Assert.True(caller.ExitCode == 0 && callee.ExitCode == 0, $"caller {caller.ExitCode}: {caller.Errors}\ntrunk {callee.ExitCode}: {callee.Errors}");

            Assert.False(finished.IsCompleted, "the recording was reported finished before its row could be written");
            Assert.True(server.Sip.Writer.Pending > 0);
        }

        var result = await finished.WaitAsync(TimeSpan.FromSeconds(20));
        var row = server.Services.GetRequiredService<IRecordingStore>().Find(result.RecordingId);
        Assert.NotNull(row);
        Assert.Equal(RecordingStatus.Complete, row.Status);
        Assert.Equal(new FileInfo(row.Path).Length, row.SizeBytes);
        var stored = new SqlBindingStore(SqliteDatabase.Open(databasePath)).Load();
        Assert.Contains(stored, b => b.Extension == "2003");
        Assert.Equal(0, server.Sip.Writer.Dropped);
    }

}
