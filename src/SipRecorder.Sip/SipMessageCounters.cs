using System.Collections.Concurrent;
using SipRecorder.Sip.Message;

namespace SipRecorder.Sip;

/// <summary>
/// Valid SIP messages received, by request method and by response status, for metrics. Labels stay bounded: methods
/// outside RFC 3261 and its common extensions count as "other", statuses are three digits.
/// </summary>
public sealed class SipMessageCounters
{
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "PUBLISH",
    };

    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _responses = new();

    public void Count(SipMessage message)
    {
        switch (message)
        {
            case SipRequest request:
                _requests.AddOrUpdate(KnownMethods.Contains(request.Method) ? request.Method : "other", 1, (_, n) => n + 1);
                break;
            case SipResponse response:
                _responses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
                break;
        }
    }

    public IReadOnlyDictionary<string, long> Requests => _requests;

    public IReadOnlyDictionary<int, long> Responses => _responses;
}
