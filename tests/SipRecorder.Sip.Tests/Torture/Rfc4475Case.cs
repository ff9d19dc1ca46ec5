namespace SipRecorder.Sip.Tests.Torture;

/// <summary>
/// One RFC 4475 torture message: its bytes as on the wire, what the parser must make of it, and the answers a UAS
/// may give to it (empty: no answer at all).
/// </summary>
public sealed record Rfc4475Case(string Name, string Section, byte[] Bytes, TortureSyntax Syntax, int RefusedWith, int[] UasAnswers)
{
    public bool IsResponse => Bytes.AsSpan().StartsWith("SIP/"u8);

    public override string ToString() => $"{Name} (§{Section})";
}
