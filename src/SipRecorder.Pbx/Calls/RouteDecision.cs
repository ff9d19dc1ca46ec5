using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Registrar;

namespace SipRecorder.Pbx.Calls;

/// <summary>Where a new call goes: an extension's contacts, a conference room, a trunk, or a refusal.</summary>
public abstract record RouteDecision
{
    public sealed record RingExtension(Extension Extension, IReadOnlyList<Binding> Contacts) : RouteDecision;

    public sealed record JoinConference(Extension Room) : RouteDecision;

    public sealed record OutToTrunk(Trunk Trunk, string Number) : RouteDecision;

    public sealed record Reject(int Status, string Reason) : RouteDecision;
}
