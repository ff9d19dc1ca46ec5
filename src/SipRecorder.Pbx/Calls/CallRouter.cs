using System.Net;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// Routing rules of the PBX: extension to extension, extension to the trunk for any other number, trunk to the
/// extension a DID belongs to. A request counts as coming from a trunk only when its source address and port
/// match a configured trunk, so nobody reaches the trunk without authenticating as an extension first.
/// </summary>
/// <param name="edges">Proxies in front of this node (Sip:Edges, a Kamailio edge): a request from one of them came from the
/// hop its second Via names (with the received and rport the edge wrote), so a trunk behind the edge is still known.</param>
public sealed class CallRouter(IDirectory directory, LocationService locations, IReadOnlyList<IPEndPoint>? edges = null)
{
    /// <summary>The trunk a request came from, by source address and port; null for anyone else.</summary>
    public Trunk? TrunkAt(SipEndPoint source, SipRequest? request = null)
    {
        var from = request is not null && IsEdge(source.Address) && PreviousHop(request) is { } hop ? hop : source.Address;
        foreach (var trunk in directory.Trunks)
        {
            // Trunk hosts are matched as IP literals; a trunk given by DNS name needs resolving at provisioning.
            if (IPAddress.TryParse(trunk.Host, out var address) && address.Equals(from.Address) && trunk.Port == from.Port)
                return trunk;
        }
        return null;
    }

    private bool IsEdge(IPEndPoint source) =>
        edges?.Any(edge => edge.Address.Equals(source.Address) && (edge.Port == 0 || edge.Port == source.Port)) == true;

    /// <summary>
    /// Where the edge got the request from: the second Via, as the edge completed it (RFC 3581 received and rport). Only
    /// an edge's word is taken for it: anybody else could write any Via.
    /// </summary>
    private static IPEndPoint? PreviousHop(SipRequest request)
    {
        var vias = request.Headers.GetAll(HeaderNames.Via);
        if (vias.Count < 2 || !ViaHeader.TryParse(vias[1], out var via)) return null;
        var host = via.Parameters["received"] ?? via.Host;
        var port = int.TryParse(via.Parameters["rport"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rport)
            ? rport : via.Port ?? 5060;
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : null;
    }

    /// <summary>Routes a call from an authenticated extension.</summary>
    public RouteDecision FromExtension(Extension caller, string dialled)
    {
        if (directory.FindExtension(dialled) is { } target)
        {
            if (target.Number == caller.Number) return new RouteDecision.Reject(482, "Loop Detected (calling yourself)");
            return ToExtension(target);
        }
        if (!dialled.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#'))
            return new RouteDecision.Reject(404, "Not Found (not a dialable number)");
        var trunk = directory.Trunks.Count > 0 ? directory.Trunks[0] : null;
        return trunk is null
            ? new RouteDecision.Reject(404, "Not Found (no trunk for outside numbers)")
            : new RouteDecision.OutToTrunk(trunk, dialled);
    }

    /// <summary>Routes a call arriving from a trunk: only its DIDs lead anywhere.</summary>
    public RouteDecision FromTrunk(Trunk trunk, string dialled)
    {
        if (!trunk.Dids.TryGetValue(dialled, out var number) || directory.FindExtension(number) is not { } target)
            return new RouteDecision.Reject(404, "Not Found (not one of this trunk's numbers)");
        return ToExtension(target);
    }

    private RouteDecision ToExtension(Extension target)
    {
        if (target.Kind == ExtensionKind.Conference) return new RouteDecision.JoinConference(target);
        var contacts = locations.Lookup(target.Number);
        return contacts.Count == 0
            ? new RouteDecision.Reject(480, "Temporarily Unavailable (not registered)")
            : new RouteDecision.RingExtension(target, contacts);
    }
}
