using SipRecorder.Media.Rtp;

namespace SipRecorder.Media.Relay;

/// <summary>Sends packets we make up into a direction's stream (they get its SSRC, sequence numbers and timestamps).</summary>
public interface IRtpInjector
{
    /// <param name="packet">A whole RTP packet whose timestamp is in the incoming stream's timeline; rewritten in place.</param>
    void Inject(Span<byte> packet);
}

/// <summary>
/// Decides, before forwarding, whether a received RTP packet goes on (the <c>*1</c> feature code holds some back), and
/// may change its payload in place (the prompt). Called on the receiving leg's loop; must not block.
/// </summary>
public interface IRtpFilter
{
    /// <param name="from">The party that sent it.</param>
    /// <param name="toOtherParty">Injects into the stream towards the other party.</param>
    /// <remarks>Generic over the injector so the relay's struct injector is passed without boxing.</remarks>
    bool Forward<TInjector>(CallSide from, in RtpHeader header, Span<byte> packet, TInjector toOtherParty) where TInjector : IRtpInjector;

    /// <summary>
    /// The payload types of <paramref name="from"/>'s packets this filter must still see when the kernel relays the rest;
    /// null while it must see every packet (it is holding some back and waits for time to pass).
    /// </summary>
    PayloadTypeSet? SeenInUserSpace(CallSide from) => null;
}
