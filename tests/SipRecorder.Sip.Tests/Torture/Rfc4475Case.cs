namespace SipRecorder.Sip.Tests.Torture;

/// <summary>What RFC 4475 asks of a parser for one message.</summary>
public enum TortureSyntax
{
    /// <summary>Well formed (§3.1.1, §3.2-3.4): the parser must produce the message.</summary>
    Valid,

    /// <summary>A malformed request (§3.1.2) the parser refuses with <see cref="Rfc4475Case.RefusedWith"/>.</summary>
    Refused,

    /// <summary>A malformed response: nothing can be answered, so it is dropped.</summary>
    Dropped,
}

/// <summary>
/// One RFC 4475 torture message: its bytes as on the wire, what the parser must make of it, and the answers a UAS
/// may give to it (empty: no answer at all).
/// </summary>
public sealed record Rfc4475Case(string Name, string Section, byte[] Bytes, TortureSyntax Syntax, int RefusedWith, int[] UasAnswers)
{
    public bool IsResponse => Bytes.AsSpan().StartsWith("SIP/"u8);

    public override string ToString() => $"{Name} (§{Section})";
}
