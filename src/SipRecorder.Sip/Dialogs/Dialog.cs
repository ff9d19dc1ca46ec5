using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Sip.Dialogs;

/// <summary>
/// The state of one dialog (RFC 3261 §12): identifiers, CSeq counters, remote target and route set, and the
/// flow it runs over. In-dialog requests are built from it and always sent over <see cref="Flow"/>: back to where
/// the peer actually is, which also reaches phones behind NAT (RFC 5626's idea of a flow).
/// Not thread-safe: a dialog belongs to one call, whose control is serialized.
/// </summary>
public sealed class Dialog
{
    private Dialog(string callId, string localTag, NameAddress localParty, NameAddress remoteParty, SipUri remoteTarget, SipEndPoint flow)
    {
        CallId = callId;
        LocalTag = localTag;
        LocalParty = localParty;
        RemoteParty = remoteParty;
        RemoteTarget = remoteTarget;
        Flow = flow;
    }

    public string CallId { get; }
    public string LocalTag { get; }
    public string? RemoteTag { get; set; }
    /// <summary>Our side's URI, without tag (From of our requests).</summary>
    public NameAddress LocalParty { get; }
    /// <summary>The peer's URI, without tag (To of our requests).</summary>
    public NameAddress RemoteParty { get; }
    /// <summary>The peer's Contact: the Request-URI of our in-dialog requests (§12.2.1.1).</summary>
    public SipUri RemoteTarget { get; private set; }
    /// <summary>Route set in the order our requests carry it (§12.1.1 UAS: as received; §12.1.2 UAC: reversed).</summary>
    public IReadOnlyList<string> RouteSet { get; private set; } = [];
    public uint LocalCSeq { get; private set; }
    public uint? RemoteCSeq { get; private set; }
    public SipEndPoint Flow { get; }

    /// <summary>The dialog a UAS forms by answering <paramref name="invite"/> with <paramref name="localTag"/> (§12.1.1).</summary>
    public static Dialog AsServer(SipRequest invite, string localTag, SipEndPoint flow)
    {
        var from = invite.From ?? throw new ArgumentException("INVITE without From", nameof(invite));
        var to = invite.To ?? throw new ArgumentException("INVITE without To", nameof(invite));
        var contact = NameAddress.TryParse(invite.Headers.Get(HeaderNames.Contact), out var c) ? c.Uri : from.Uri;
        var dialog = new Dialog(invite.CallId!, localTag, WithoutTag(to), WithoutTag(from), contact, flow)
        {
            RemoteTag = from.Tag,
            RemoteCSeq = invite.CSeq?.Number,
            RouteSet = invite.Headers.GetAll(HeaderNames.RecordRoute),
            // §12.1.1: the UAS's own CSeq space starts anywhere; start low and leave room below 2^31 (§8.1.1.5).
            LocalCSeq = (uint)Random.Shared.Next(1, 10_000),
        };
        return dialog;
    }

    /// <summary>The (early) dialog a UAC forms from its INVITE and a response with a To tag (§12.1.2).</summary>
    public static Dialog AsClient(SipRequest invite, SipResponse response, SipEndPoint flow)
    {
        var from = invite.From ?? throw new ArgumentException("INVITE without From", nameof(invite));
        var to = response.To ?? throw new ArgumentException("response without To", nameof(response));
        var contact = NameAddress.TryParse(response.Headers.Get(HeaderNames.Contact), out var c) ? c.Uri : invite.RequestUri;
        var routes = response.Headers.GetAll(HeaderNames.RecordRoute);
        routes.Reverse();
        return new Dialog(invite.CallId!, from.Tag ?? "", WithoutTag(from), WithoutTag(to), contact, flow)
        {
            RemoteTag = to.Tag,
            RouteSet = routes,
            LocalCSeq = invite.CSeq?.Number ?? 1,
        };
    }

    /// <summary>
    /// A new in-dialog request with the next CSeq (§12.2.1.1). The caller adds Via (and a body) and sends it over
    /// <see cref="Flow"/>.
    /// </summary>
    public SipRequest CreateRequest(string method) => Build(method, ++LocalCSeq);

    /// <summary>The ACK of a 2xx: the INVITE's CSeq number, its own transaction (§13.2.2.4).</summary>
    public SipRequest CreateAck(uint inviteCSeq) => Build("ACK", inviteCSeq);

    /// <summary>
    /// Checks an incoming in-dialog request's CSeq (§12.2.2: lower than the last one is a 500) and takes a target
    /// refresh from re-INVITE / UPDATE Contact. False when the request is out of order.
    /// </summary>
    public bool Accept(SipRequest request)
    {
        if (request.Method is "ACK" or "CANCEL") return true;
        var number = request.CSeq?.Number ?? 0;
        if (RemoteCSeq is { } last && number <= last) return false;
        RemoteCSeq = number;
        if (request.Method is "INVITE" or "UPDATE" && NameAddress.TryParse(request.Headers.Get(HeaderNames.Contact), out var contact))
            RemoteTarget = contact.Uri;
        return true;
    }

    /// <summary>Takes the remote target from a 2xx to our re-INVITE or UPDATE (§12.2.1.2).</summary>
    public void RefreshTarget(SipResponse response)
    {
        if (NameAddress.TryParse(response.Headers.Get(HeaderNames.Contact), out var contact)) RemoteTarget = contact.Uri;
    }

    private SipRequest Build(string method, uint cseq)
    {
        var request = new SipRequest(method, RemoteTarget.Clone());
        request.Headers.Add(HeaderNames.MaxForwards, "70");
        var from = NameAddress.Parse(LocalParty.ToString());
        from.Tag = LocalTag;
        var to = NameAddress.Parse(RemoteParty.ToString());
        to.Tag = RemoteTag;
        request.Headers.Add(HeaderNames.From, from.ToString());
        request.Headers.Add(HeaderNames.To, to.ToString());
        request.Headers.Add(HeaderNames.CallId, CallId);
        request.Headers.Add(HeaderNames.CSeq, new CSeqHeader(cseq, method).ToString());
        // Loose routing (RFC 3261 §12.2.1.1 with lr): the route set goes in Route headers, the target stays the Request-URI.
        foreach (var route in RouteSet) request.Headers.Add(HeaderNames.Route, route);
        return request;
    }

    private static NameAddress WithoutTag(NameAddress address)
    {
        var copy = NameAddress.Parse(address.ToString());
        copy.Tag = null;
        return copy;
    }
}
