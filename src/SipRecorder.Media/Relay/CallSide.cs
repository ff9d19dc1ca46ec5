namespace SipRecorder.Media.Relay;

/// <summary>
/// Which party of a call: A called (its INVITE reached us), B was called. The one name for it throughout: the SIP
/// dialogs, the relay's legs (leg A faces party A) and the party a recording puts on its left channel.
/// </summary>
public enum CallSide { A, B }

public static class CallSideExtensions
{
    public static CallSide Other(this CallSide side) => side == CallSide.A ? CallSide.B : CallSide.A;
}
