using System.Globalization;
using Microsoft.Extensions.Logging;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip;

/// <summary>
/// Bytes in, transactions out: parses each received message, answers malformed requests statelessly
/// (400/416/505 with the reason), drops what cannot be answered, stamps received/rport (RFC 3581) and
/// hands the rest to the transaction layer.
/// </summary>
public sealed partial class SipStack(ISipSender sender, SipTransactionLayer transactions, ILogger logger)
{
    private long _dropped;
    private long _rejected;

    public SipTransactionLayer Transactions => transactions;

    /// <summary>Valid messages received, by method and status.</summary>
    public SipMessageCounters Received { get; } = new();

    /// <summary>Messages dropped because nothing could be answered.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Requests answered with 400/416/505.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public void OnReceived(ReadOnlyMemory<byte> data, SipEndPoint from)
    {
        var result = SipParser.Parse(data.Span);
        if (result.IsValid)
        {
            Received.Count(result.Message!);
            if (result.Message is SipRequest request) StampReceived(request, from);
            transactions.OnMessage(result.Message!, from);
            return;
        }
        if (result.CanAnswer)
        {
            var bad = (SipRequest)result.Message!;
            StampReceived(bad, from);
            var response = SipResponse.For(bad, result.ErrorStatus, ReasonPhrases.For(result.ErrorStatus) + " (" + result.Error + ")", SipGrammar.NewToken(6));
            sender.Send(SipTransactionLayer.ResponseTarget(bad, from), response.ToBytes());
            Interlocked.Increment(ref _rejected);
            LogRejected(logger, from, result.ErrorStatus, result.Error ?? "");
            return;
        }
        Interlocked.Increment(ref _dropped);
        LogDropped(logger, from, result.Error ?? "");
    }

    /// <summary>RFC 3261 §18.2.1 received= and RFC 3581 §4 rport= on the top Via, so responses find NATed phones.</summary>
    internal static void StampReceived(SipRequest request, SipEndPoint from)
    {
        var via = request.TopVia;
        if (via is null) return;
        var sourceIp = from.Address.Address.ToString();
        var changed = false;
        if (!string.Equals(via.Host.Trim('[', ']'), sourceIp, StringComparison.OrdinalIgnoreCase) || via.Parameters.Contains("rport"))
        {
            via.Parameters.Set("received", sourceIp);
            changed = true;
        }
        if (via.Parameters.Contains("rport"))
        {
            via.Parameters.Set("rport", from.Address.Port.ToString(CultureInfo.InvariantCulture));
            changed = true;
        }
        if (!changed) return;
        request.Headers.RemoveFirstValue(HeaderNames.Via);
        request.Headers.AddFirst(HeaderNames.Via, via.ToString());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIP request from {From} refused with {Status}: {Reason}")]
    private static partial void LogRejected(ILogger logger, SipEndPoint from, int status, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP message from {From} dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, SipEndPoint from, string reason);
}
