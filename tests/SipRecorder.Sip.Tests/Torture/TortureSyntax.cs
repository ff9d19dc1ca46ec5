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
