using Microsoft.Extensions.Logging;
using SipRecorder.Media.Relay;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Pbx.Calls;

internal sealed partial class B2buaCall
{
    /// <summary>
    /// An answer from <paramref name="answerer"/> is about to go to the other side: when its codec is not one the other
    /// side offered, the answer is rewritten (see <see cref="CodecBridge"/>) and the relay converts each direction that
    /// needs it; otherwise the relay passes payloads as they are (again, after a transfer to a phone that shares it).
    /// </summary>
    private void BridgeCodecs(CallSide answerer, SessionDescription answer)
    {
        var offerer = answerer.Other();
        if (_relay is null || _lastSdp[(int)offerer] is not { } offerBody || !SessionDescription.TryParse(offerBody, out var offer, out _)) return;
        var conversion = CodecBridge.Bridge(answer, offer!);
        var toOfferer = conversion is null ? null : new Transcoder(_payloads, conversion.ToOfferer.Codec, conversion.ToOfferer.PayloadType);
        var toAnswerer = conversion?.ToAnswerer is { } taken ? new Transcoder(_payloads, taken.Codec, taken.PayloadType) : null;
        if (offerer == CallSide.A)
        {
            _relay.TranscodeToA = toOfferer;
            _relay.TranscodeToB = toAnswerer;
        }
        else
        {
            _relay.TranscodeToB = toOfferer;
            _relay.TranscodeToA = toAnswerer;
        }
        if (conversion is not null)
            LogTranscoding(_logger, Id, PartyName(offerer), conversion.ToOfferer.Codec.ToString(), conversion.ToAnswerer?.Codec.ToString() ?? "its own codec");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {Id}: no codec in common, converting: the {Offerer} gets {OffererCodec}, the other party {AnswererCodec}")]
    private static partial void LogTranscoding(ILogger logger, string id, string offerer, string offererCodec, string answererCodec);
}
