using System.Collections.Concurrent;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3) and creates new ones.
/// Design: two concurrent maps keyed by branch; a transaction removes itself when it terminates, so the maps
/// only ever hold live transactions. No polling: each transaction runs on its own timers.
/// </summary>
public sealed class SipTransactionLayer(ISipSender sender, TimeProvider time, TransactionTimers timers)
{
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new();
    private readonly ConcurrentDictionary<string, ServerTransaction> _server = new();

    public ITransactionUser? User { get; set; }

    public TransactionTimers Timers => timers;

    public int ClientCount => _client.Count;
    public int ServerCount => _server.Count;

    /// <summary>Starts a client transaction for a request whose top Via (with a fresh branch) is already set.</summary>
    /// <param name="onResponse">Subscribed before the request leaves, so not even a response racing back over loopback is missed.</param>
    public ClientTransaction SendRequest(SipRequest request, SipEndPoint to, Action<SipResponse>? onResponse = null)
    {
        ClientTransaction transaction = request.Method == "INVITE"
            ? new ClientInviteTransaction(request, to, sender, time, timers)
            : new ClientNonInviteTransaction(request, to, sender, time, timers);
        transaction.Key = ClientKey(request.TopVia?.Branch, request.CSeq?.Method ?? request.Method);
        _client[transaction.Key] = transaction;
        transaction.Terminated += t => _client.TryRemove(new KeyValuePair<string, ClientTransaction>(t.Key, (ClientTransaction)t));
        if (onResponse is not null) transaction.ResponseReceived += onResponse;
        transaction.Start();
        return transaction;
    }

    /// <summary>Sends a request outside any transaction: the ACK of a 2xx (RFC 3261 §13.2.2.4, §17.1.1.3).</summary>
    public void SendStateless(SipRequest request, SipEndPoint to) => sender.Send(to, request.ToBytes());

    /// <summary>Routes a parsed, valid message arriving from <paramref name="from"/>.</summary>
    public void OnMessage(SipMessage message, SipEndPoint from)
    {
        if (message is SipResponse response)
        {
            var key = ClientKey(response.TopVia?.Branch, response.CSeq?.Method ?? "");
            if (_client.TryGetValue(key, out var client)) client.OnResponse(response);
            else User?.OnStrayResponse(response, from);
            return;
        }

        var request = (SipRequest)message;
        if (request.Method == "ACK")
        {
            if (_server.TryGetValue(ServerKey(request, "INVITE"), out var invite) && invite is ServerInviteTransaction inviteTransaction
                && inviteTransaction.State is TransactionState.Completed or TransactionState.Confirmed)
                inviteTransaction.OnAck(request);
            else
                User?.OnStrayAck(request, from);
            return;
        }

        var serverKey = ServerKey(request, request.Method);
        if (_server.TryGetValue(serverKey, out var existing))
        {
            existing.OnRetransmission(request);
            return;
        }
        var target = ResponseTarget(request, from);
        var early = User?.AnswerStatelessly(request, from) ?? StatelessAnswer.None;
        if (early.Handled)
        {
            if (early.Response is { } answer) sender.Send(target, answer.ToBytes());
            return;
        }
        ServerTransaction transaction = request.Method == "INVITE"
            ? new ServerInviteTransaction(request, target, sender, time, timers)
            : new ServerNonInviteTransaction(request, target, sender, time, timers);
        transaction.Key = serverKey;
        transaction.Source = from;
        if (!_server.TryAdd(serverKey, transaction))
        {
            _server[serverKey].OnRetransmission(request); // lost a race with the same retransmission
            return;
        }
        transaction.Terminated += t => _server.TryRemove(new KeyValuePair<string, ServerTransaction>(t.Key, (ServerTransaction)t));
        if (transaction is ServerInviteTransaction newInvite) newInvite.SendTrying();
        User?.OnRequest(transaction);
    }

    /// <summary>The live INVITE server transaction a CANCEL refers to (RFC 3261 §9.2), if any.</summary>
    public ServerInviteTransaction? FindInviteFor(SipRequest cancel) =>
        _server.TryGetValue(ServerKey(cancel, "INVITE"), out var t) ? t as ServerInviteTransaction : null;

    /// <summary>
    /// Where responses go (RFC 3261 §18.2.2, RFC 3581 §4): over TCP back on the connection; over UDP to the
    /// source address when rport was asked for, else to the received address and the Via port.
    /// </summary>
    internal static SipEndPoint ResponseTarget(SipRequest request, SipEndPoint from)
    {
        if (from.IsReliable) return from;
        var via = request.TopVia;
        if (via is null || via.Parameters.Contains("rport")) return from;
        return new SipEndPoint(SipProtocol.Udp, new System.Net.IPEndPoint(from.Address.Address, via.Port ?? 5060));
    }

    private static string ClientKey(string? branch, string method) => $"{branch}|{method}";

    /// <summary>
    /// §17.2.3: branch + sent-by + method (ACK matches INVITE); RFC 2543 peers fall back to dialog identifiers.
    /// Call-ID and CSeq number are added to the RFC 3261 key: a retransmission, its ACK and its CANCEL carry the same
    /// ones, while a client that reuses a branch for new requests (some phones do; so do RFC 4475's messages) would
    /// otherwise be answered with an earlier request's response.
    /// </summary>
    private static string ServerKey(SipRequest request, string method)
    {
        var via = request.TopVia;
        if (via?.Branch is { } branch && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal))
            return $"{branch}|{via.SentBy.ToLowerInvariant()}|{method}|{request.CallId}|{request.CSeq?.Number}";
        return $"2543|{request.CallId}|{request.CSeq?.Number}|{request.From?.Tag}|{via}|{method}";
    }
}
