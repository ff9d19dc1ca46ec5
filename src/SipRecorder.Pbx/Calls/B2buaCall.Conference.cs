using System.Globalization;
using System.Net;
using System.Text;
using SipRecorder.Media.Conference;
using SipRecorder.Media.Relay;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

// A call to a conference extension: answered here, its audio joined to the room's mixer; there is no second leg.
internal sealed partial class B2buaCall
{
    private ConferenceRooms.Room? _room;
    private ConferenceParticipant? _participant;
    private byte[]? _roomSdp;

    private void JoinRoom(Extension roomExtension)
    {
        var request = _invite.Request;
        if (!HasSdp(request) || !SessionDescription.TryParse(request.Body, out var offer, out _) || FirstAudio(offer!) < 0)
        {
            Fail(488, "Not Acceptable Here (a conference needs an audio offer)");
            return;
        }
        var audio = offer!.Media[FirstAudio(offer)];
        // The room mixes G.711; PCMU first, as the offer's order of the two says.
        var format = audio.Formats.FirstOrDefault(f => f is "0" or "8");
        if (format is null)
        {
            Fail(488, "Not Acceptable Here (the conference speaks PCMU or PCMA)");
            return;
        }
        var sockets = _services.Ports.Allocate();
        if (sockets is null)
        {
            Fail(503, "Service Unavailable (no media ports left)");
            return;
        }
        _room = _services.Rooms.Enter(roomExtension, From);
        var signalling = _invite.Source.Address.Address;
        var destination = MediaEndpoint(offer) is { } described ? Reachable(described, signalling) : new IPEndPoint(IPAddress.Loopback, 9);
        _participant = _room.Mixer.Join(sockets, destination, byte.Parse(format, CultureInfo.InvariantCulture), signalling, _services.Settings.StrictSource);
        _roomSdp = RoomSdp(_participant.LocalPort, format, EventPayloadType(request.Body));
        RecordInRoom();

        _a = Dialog.AsServer(request, _invite.LocalTag, _invite.Remote);
        _registry.IndexDialog(_a, this, CallSide.A);
        var answer = SipResponse.For(request, 200, null, _invite.LocalTag);
        answer.Headers.Add(HeaderNames.Contact, _services.Local.Contact(_invite.Remote.Protocol));
        answer.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow);
        WithBody(answer, _roomSdp);
        _invite.Respond(answer);
        State = CallState.Answered;
        _answeredAt = _services.Time.GetTimestamp();
        _registry.Answered(this, _invite);
        RetransmitAnswer(answer, _services.Transactions.Timers.T1, TimeSpan.Zero);
    }

    /// <summary>In-dialog requests of a room call: a re-INVITE (hold, refresh) gets the room's SDP again, the rest 200.</summary>
    private void InRoom(ServerTransaction transaction)
    {
        transaction.Respond(200, null, r =>
        {
            if (transaction.Request.Method != "INVITE") return;
            r.Headers.Add(HeaderNames.Contact, _services.Local.Contact(_invite.Remote.Protocol));
            WithBody(r, _roomSdp);
        });
    }

    /// <summary>
    /// An extension in ConferencesOnly (or Always) mode records its own time in the room: its voice on the left, the room
    /// as it hears it on the right. Its prompt plays into the room, so every caller hears it.
    /// </summary>
    private void RecordInRoom()
    {
        if (_callerExtension?.Recording is not { Enabled: true, StartMode: StartMode.ConferencesOnly or StartMode.Always }) return;
        if (_services.Journal.Refuse(_callerExtension, Id) is not null) return;
        try
        {
            var started = _services.Time.GetUtcNow();
            var file = RecordingFile.Create(_services.Files, _services.Settings, _services.Time, _callerExtension, "conference", From, To, Id, started, Media.Conference.ConferenceMixer.SampleRate);
            var recording = new Media.Recording.CallRecording(file.Sink, _services.Time, _services.Settings.PlayoutDelay);
            var rowId = _services.Journal.Begin(_callerExtension, "outgoing", To, file.Path, file.Format, Id, started, internalCall: true);
            _recordings.Add(new ActiveRecording(recording, _callerExtension.Number, "conference", CallSide.A, file.Path, started, rowId, file.Sink, "conference", TimeSpan.Zero));
            _services.Mixers.Add(recording);
            _participant!.Recording = recording;
            // Everyone in the room learns that this caller records it.
            if (PromptFor(_callerExtension) is { } prompt) _room!.Mixer.PlayPrompt(prompt.Samples);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _services.Journal.CountOpenFailure();
            LogRecordingFailed(_logger, Id, _callerExtension.Number, e.Message);
        }
    }

    private void LeaveRoom()
    {
        if (_room is null || _participant is null) return;
        _participant.Recording = null;
        _room.Mixer.Leave(_participant);
        _services.Rooms.Exit(_room);
        _room = null;
        _participant = null;
    }

    private byte[] RoomSdp(int port, string format, int eventPayloadType)
    {
        var name = format == "0" ? "PCMU" : "PCMA";
        var events = eventPayloadType >= 0 ? $" {eventPayloadType.ToString(CultureInfo.InvariantCulture)}" : "";
        var text = new StringBuilder()
            .Append("v=0\r\n")
            .Append(CultureInfo.InvariantCulture, $"o=siprecorder {Random.Shared.Next()} 1 IN IP4 {_services.Settings.MediaAddress}\r\n")
            .Append("s=conference\r\n")
            .Append(CultureInfo.InvariantCulture, $"c=IN IP4 {_services.Settings.MediaAddress}\r\n")
            .Append("t=0 0\r\n")
            .Append(CultureInfo.InvariantCulture, $"m=audio {port} RTP/AVP {format}{events}\r\n")
            .Append(CultureInfo.InvariantCulture, $"a=rtpmap:{format} {name}/8000\r\n");
        if (eventPayloadType >= 0) text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{eventPayloadType} telephone-event/8000\r\n");
        text.Append("a=sendrecv\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
