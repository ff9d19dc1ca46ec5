using SipRecorder.Media.Relay;
using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Dtmf;

/// <summary>
/// Watches the RFC 4733 keys of the parties that may dial feature codes (<c>*1</c>, <c>*2</c>, <c>*3</c>) and keeps
/// the codes from the other party: the packets of a <c>*</c> are held back until the next key; a code's second key
/// within the window acts and is swallowed too; any other key, or the window running out, replays the held <c>*</c>
/// into the outgoing stream (sequence numbers and timestamps stay continuous, see <see cref="OutgoingStream"/>) and lets
/// the key through. Runs on the receive loops; <paramref name="onCode"/> must only post work elsewhere.
/// </summary>
public sealed class FeatureCodeFilter(TimeProvider time, Action<CallSide, FeatureAction> onCode) : IRtpFilter
{
    private readonly Party?[] _parties = new Party?[2];

    /// <summary>Watches <paramref name="party"/>'s keys for <paramref name="codes"/>, sent in any of <paramref name="eventPayloadTypes"/> (from the SDPs).</summary>
    /// <param name="forwardKeys">False when the other party did not take telephone-event: then no key reaches it.</param>
    public void Watch(CallSide party, FeatureCodes codes, IEnumerable<int> eventPayloadTypes, bool forwardKeys = true) =>
        _parties[(int)party] = new Party(new TelephoneEventDetector { PayloadTypes = PayloadTypeSet.Of(eventPayloadTypes) }, new FeatureCode(time, codes)) { ForwardKeys = forwardKeys };

    public bool Forward<TInjector>(CallSide from, in RtpHeader header, Span<byte> packet, TInjector toOtherParty) where TInjector : IRtpInjector
    {
        if (_parties[(int)from] is not { } party) return true;
        if (party.Code.ReleaseExpired()) party.Replay(toOtherParty);
        if (!party.Detector.IsEvent(header)) return true;
        if (party.Detector.Detect(header, packet) is not { } key) return !party.Swallowing && party.ForwardKeys;
        var verdict = party.Code.Press(key, out var releaseHeld, out var action);
        if (releaseHeld) party.Replay(toOtherParty);
        switch (verdict)
        {
            case FeatureKey.Hold:
                party.Hold(packet.Slice(0, header.PayloadOffset + header.PayloadLength));
                return false;
            case FeatureKey.Complete:
                party.Swallowing = true;
                onCode(from, action);
                return false;
            default:
                party.Swallowing = false;
                return party.ForwardKeys;
        }
    }

    public PayloadTypeSet? SeenInUserSpace(CallSide from) => _parties[(int)from] switch
    {
        null => new PayloadTypeSet(),
        { Code.Holding: true } => null, // the held * is let go by a later packet once the window has passed
        var party => party.Detector.PayloadTypes,
    };

    private sealed class Party(TelephoneEventDetector detector, FeatureCode code)
    {
        private byte[]? _held;

        public TelephoneEventDetector Detector { get; } = detector;
        public bool ForwardKeys { get; init; } = true;
        public FeatureCode Code { get; } = code;

        /// <summary>The packets of the current event are being kept from the other party.</summary>
        public bool Swallowing { get; set; }

        public void Hold(ReadOnlySpan<byte> firstPacket)
        {
            Swallowing = true;
            _held = firstPacket.ToArray(); // once per * press, not per packet
        }

        /// <summary>Sends the held key as a short RFC 4733 event: start, update, three end packets.</summary>
        public void Replay<TInjector>(TInjector toOtherParty) where TInjector : IRtpInjector
        {
            if (!ForwardKeys) _held = null;
            if (_held is null || !RtpHeader.TryRead(_held, out var header) || !TelephoneEvent.TryRead(_held.AsSpan(header.PayloadOffset), out var key)) return;
            Span<byte> packet = stackalloc byte[header.PayloadOffset + TelephoneEvent.Size];
            for (var i = 0; i < 5; i++)
            {
                _held.AsSpan(0, header.PayloadOffset).CopyTo(packet);
                packet[1] = (byte)((i == 0 ? 0x80 : 0) | header.PayloadType);
                var duration = (ushort)(i == 0 ? 400 : 800);
                new TelephoneEvent(key.Event, End: i >= 2, key.Volume, duration).Write(packet[header.PayloadOffset..]);
                toOtherParty.Inject(packet);
            }
            _held = null;
        }
    }
}
