namespace SipRecorder.Sip.Message;

/// <summary>What became of a received message: accepted, answerable with an error status, or unparseable.</summary>
public sealed class SipParseResult
{
    private SipParseResult(SipMessage? message, int errorStatus, string? error)
    {
        Message = message;
        ErrorStatus = errorStatus;
        Error = error;
    }

    /// <summary>The message; on an answerable error, a request holding the headers needed to answer it.</summary>
    public SipMessage? Message { get; }

    /// <summary>0 when the message is good; else the status to answer it with (400, 416, 505).</summary>
    public int ErrorStatus { get; }

    /// <summary>Why the message was refused, in words a peer's log can show.</summary>
    public string? Error { get; }

    public bool IsValid => Message is not null && ErrorStatus == 0;

    /// <summary>True when the message was bad but enough of it was read to send the error response.</summary>
    public bool CanAnswer => ErrorStatus != 0 && Message is SipRequest;

    internal static SipParseResult Ok(SipMessage message) => new(message, 0, null);

    internal static SipParseResult Refuse(SipMessage? message, int status, string error) => new(message, status, error);

    internal static SipParseResult Unparseable(string error) => new(null, 0, error);
}
