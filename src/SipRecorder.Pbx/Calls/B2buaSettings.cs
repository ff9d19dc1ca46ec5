namespace SipRecorder.Pbx.Calls;

/// <summary>Settings of call control and media anchoring.</summary>
public sealed record B2buaSettings
{
    /// <summary>The address written into every SDP we send (Media:Address).</summary>
    public string MediaAddress { get; init; } = "127.0.0.1";

    /// <summary>Format of recordings whose extension does not choose one (Recording:Format).</summary>
    public Directory.RecordingFormat DefaultFormat { get; init; } = Directory.RecordingFormat.Wav;

    /// <summary>How long a packet may wait for a late or reordered neighbour before it is written out.</summary>
    public TimeSpan PlayoutDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A call whose party sends no RTP for this long is hung up (BYE both ways) and its recording completed: the phone
    /// crashed or lost its network. Not while the call is on hold (a=sendonly/inactive). Zero turns it off.
    /// </summary>
    public TimeSpan RtpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Media:StrictSource: a party's RTP is taken only from its signalling or SDP address, and after latching only
    /// from the latched source. Off, the first packet from anywhere latches and everything is forwarded.</summary>
    public bool StrictSource { get; init; } = true;

    /// <summary>Media:SdesOverPlainTransport: send SRTP keys (a=crypto) to phones on UDP or TCP too, where anyone on the path reads them.</summary>
    public bool SdesOverPlainTransport { get; init; }

    /// <summary>How long an unanswered call rings before the caller gets 480 (RFC 3261 Timer C is at least 3 min).</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
