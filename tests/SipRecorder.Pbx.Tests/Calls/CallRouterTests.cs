using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Provisioning;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Calls;

public class CallRouterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryDirectory _directory = new();
    private readonly LocationService _locations;
    private readonly CallRouter _router;

    public CallRouterTests()
    {
        _directory.Replace(ProvisioningLoader.Load("""
            { "organizations": [ { "name": "Acme", "users": [ { "login": "otto", "password": "x", "extensions": [
                { "number": "2003", "sipPassword": "a" }, { "number": "2004", "sipPassword": "b" },
                { "number": "3000", "sipPassword": "c", "kind": "Conference" } ] } ] } ],
              "trunks": [ { "name": "carrier", "host": "127.0.0.5", "port": 5080, "dids": { "1140327900": "2003" } } ] }
            """));
        _locations = new LocationService(_time);
        _router = new CallRouter(_directory, _locations);
    }

    private Extension Ext(string number) => _directory.FindExtension(number)!;

    private void RegisterPhone(string number, int port) =>
        _locations.Upsert(new Binding(number, NameAddress.Parse($"<sip:{number}@127.0.0.1:{port}>"), _time.GetUtcNow().AddHours(1), "c", 1,
            new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, port)), null));

    [Fact]
    public void Behind_an_edge_the_trunk_is_known_by_the_hop_the_edge_names_and_nobody_else_can_claim_it_by_writing_a_via()
    {
        var edge = new IPEndPoint(IPAddress.Parse("127.0.0.9"), 5060);
        var router = new CallRouter(_directory, _locations, [edge]);
        var invite = new SipRequest("INVITE", SipUri.Parse("sip:1140327900@pbx"));
        invite.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bKedge");
        invite.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP carrier.example.net:5080;branch=z9hG4bKc;received=127.0.0.5;rport=5080");

        Assert.Equal("carrier", router.TrunkAt(new SipEndPoint(SipProtocol.Udp, edge), invite)?.Name);
        var stranger = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5060));
        Assert.Null(router.TrunkAt(stranger, invite)); // the same Via from anyone but the edge proves nothing
        Assert.Null(_router.TrunkAt(new SipEndPoint(SipProtocol.Udp, edge), invite)); // and without Sip:Edges the edge is no trunk
    }

    [Fact]
    public void A_registered_extension_rings_all_its_contacts()
    {
        RegisterPhone("2004", 5070);
        RegisterPhone("2004", 5072);
        var ring = Assert.IsType<RouteDecision.RingExtension>(_router.FromExtension(Ext("2003"), "2004"));
        Assert.Equal(2, ring.Contacts.Count);
    }

    [Fact]
    public void An_unregistered_extension_gets_480()
    {
        var reject = Assert.IsType<RouteDecision.Reject>(_router.FromExtension(Ext("2003"), "2004"));
        Assert.Equal(480, reject.Status);
    }

    [Fact]
    public void Any_other_number_goes_out_through_the_trunk()
    {
        var outbound = Assert.IsType<RouteDecision.OutToTrunk>(_router.FromExtension(Ext("2003"), "+5491140327999"));
        Assert.Equal("carrier", outbound.Trunk.Name);
        Assert.Equal("+5491140327999", outbound.Number);
        Assert.Equal(404, Assert.IsType<RouteDecision.Reject>(_router.FromExtension(Ext("2003"), "alice")).Status);
    }

    [Fact]
    public void A_conference_number_joins_the_room()
    {
        Assert.Equal("3000", Assert.IsType<RouteDecision.JoinConference>(_router.FromExtension(Ext("2003"), "3000")).Room.Number);
    }

    [Fact]
    public void The_trunk_is_recognised_only_by_its_address_and_port()
    {
        Assert.NotNull(_router.TrunkAt(new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.5"), 5080))));
        Assert.Null(_router.TrunkAt(new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.5"), 5081))));
        Assert.Null(_router.TrunkAt(new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.6"), 5080))));
    }

    [Fact]
    public void A_call_from_the_trunk_reaches_the_did_owner_and_nothing_else()
    {
        RegisterPhone("2003", 5070);
        var trunk = _directory.Trunks[0];
        Assert.Equal("2003", Assert.IsType<RouteDecision.RingExtension>(_router.FromTrunk(trunk, "1140327900")).Extension.Number);
        Assert.Equal(404, Assert.IsType<RouteDecision.Reject>(_router.FromTrunk(trunk, "2004")).Status);
        Assert.Equal(404, Assert.IsType<RouteDecision.Reject>(_router.FromTrunk(trunk, "+15550100")).Status);
    }

    [Fact]
    public void Calling_yourself_is_refused()
    {
        Assert.Equal(482, Assert.IsType<RouteDecision.Reject>(_router.FromExtension(Ext("2003"), "2003")).Status);
    }
}
