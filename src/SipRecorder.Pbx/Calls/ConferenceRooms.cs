using Microsoft.Extensions.Logging;
using SipRecorder.Media.Conference;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Recordings;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// The open conference rooms: a room opens with its first caller and closes with its last. A room whose extension
/// records (ConferencesOnly or Always) is recorded from opening to closing as a mono mix of everyone, written to both
/// channels of the file (the room has no "other party", so a fixed left/right split would mean nothing).
/// Design: one lock over the table; joining and leaving happen once per call, never per packet.
/// </summary>
/// <param name="report">Completes a room's finished recording (its row, then the listeners).</param>
internal sealed partial class ConferenceRooms(RecordingJournal journal, IRecordingFiles files, B2buaSettings settings, TimeProvider time,
    Action<RecordingResult> report, ILogger logger)
{
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    internal sealed class Room(Extension extension, ConferenceMixer mixer)
    {
        public Extension Extension { get; } = extension;
        public ConferenceMixer Mixer { get; } = mixer;
        public int Members { get; set; }
        public RecordingFile? Recording { get; set; }
        public RecordingRow? RecordingRow { get; set; }
        public DateTimeOffset Opened { get; init; }
        public CallParty FirstCaller { get; init; } = new("", null);
        public string Id { get; } = Sip.Message.SipGrammar.NewToken(6);
    }

    public int Open
    {
        get { lock (_sync) return _rooms.Count; }
    }

    public Room Enter(Extension extension, CallParty caller)
    {
        lock (_sync)
        {
            if (!_rooms.TryGetValue(extension.Number, out var room))
            {
                room = new Room(extension, new ConferenceMixer(TimeSpan.FromMilliseconds(60))) { Opened = time.GetUtcNow(), FirstCaller = caller };
                _rooms[extension.Number] = room;
                StartRecording(room);
            }
            room.Members++;
            return room;
        }
    }

    public void Exit(Room room)
    {
        lock (_sync)
        {
            if (--room.Members > 0) return;
            _rooms.Remove(room.Extension.Number);
        }
        var recording = room.Recording;
        var stopped = recording is null ? Task.CompletedTask : room.Mixer.StopRecording();
        stopped.ContinueWith(_ =>
        {
            room.Mixer.Dispose();
            if (recording is null) return;
            report(new RecordingResult(room.Id, room.Extension.Number, "conference", room.FirstCaller, new CallParty(room.Extension.Number, null),
                recording.Path, room.Opened, recording.Sink.Duration, null, room.RecordingRow, Waveform: recording.Sink.Waveform(),
                Details: new RecordingDetails("conference", TimeSpan.Zero, [])));
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void StartRecording(Room room)
    {
        if (room.Extension.Recording is not { Enabled: true, StartMode: StartMode.ConferencesOnly or StartMode.Always }) return;
        if (journal.Refuse(room.Extension, room.Id) is not null) return;
        try
        {
            room.Recording = RecordingFile.Create(files, settings, time, room.Extension, "conference", room.FirstCaller,
                new CallParty(room.Extension.Number, null), room.Id, room.Opened, Media.Conference.ConferenceMixer.SampleRate);
            room.Mixer.StartRecording(room.Recording.Sink);
            room.RecordingRow = journal.Begin(room.Extension, "incoming", room.FirstCaller, room.Recording.Path, room.Recording.Format, room.Id, room.Opened,
                internalCall: false);
            if (PromptFor(room.Extension) is { } prompt) room.Mixer.PlayPrompt(prompt.Samples);
            LogRecording(logger, room.Extension.Number, room.Recording.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            journal.CountOpenFailure();
            LogRecordingFailed(logger, room.Extension.Number, e.Message);
        }
    }

    private static Media.Prompts.PromptAudio? PromptFor(Extension extension) => PromptChoice.For(extension.Recording.Prompt, out _);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conference {Room}: recording the room to {Path}")]
    private static partial void LogRecording(ILogger logger, string room, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conference {Room}: the room cannot be recorded, the conference goes on: {Error}")]
    private static partial void LogRecordingFailed(ILogger logger, string room, string error);
}
