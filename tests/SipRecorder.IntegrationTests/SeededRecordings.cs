using Microsoft.Extensions.DependencyInjection;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.IntegrationTests;

/// <summary>Recordings put straight into a server's catalogue and folder, for portal tests that need many without calls.</summary>
internal static class SeededRecordings
{
    /// <summary>A finished recording of the user's first extension, with a real WAV file of <paramref name="bytes"/> bytes.</summary>
    public static RecordingEntry Add(TestServer server, string login, string to = "0046701234", string? toName = null, int bytes = 48_044, int minutesAgo = 0,
        RecordingStatus status = RecordingStatus.Complete, string? stopReason = null, TimeSpan? duration = null, string type = "outgoing", bool internalCall = false)
    {
        var directory = (InMemoryDirectory)server.Services.GetRequiredService<IDirectory>();
        var user = directory.FindUser(login)!;
        var extension = directory.Snapshot.Extensions.Values.First(e => e.OwnerLogin == login).Number;
        var folder = Path.Combine(server.Recordings, extension);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.wav");
        File.WriteAllBytes(path, Media.WavFile.Tone(bytes));
        var entry = new RecordingEntry(0, user.Organization, login, extension, type, extension, user.Name, to, toName, extension,
            RecordingFormat.Wav, bytes, duration ?? TimeSpan.FromSeconds(3), DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), "seeded", status, stopReason, path) { Internal = internalCall };
        return entry with { Id = server.Services.GetRequiredService<IRecordingStore>().Add(entry) };
    }

    /// <summary>A finished recording of a call <paramref name="from"/> an outside number to the user's first extension.</summary>
    public static RecordingEntry AddIncoming(TestServer server, string login, string from)
    {
        var seeded = Add(server, login, type: "incoming");
        var incoming = seeded with { FromNumber = from, FromName = null, ToNumber = seeded.FromNumber, ToName = seeded.FromName };
        var store = server.Services.GetRequiredService<IRecordingStore>();
        store.Delete(seeded.Id);
        return incoming with { Id = store.Add(incoming with { Id = 0 }) };
    }
}
