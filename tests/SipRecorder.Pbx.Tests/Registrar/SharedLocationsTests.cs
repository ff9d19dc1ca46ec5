using System.Net;
using Microsoft.Extensions.Time.Testing;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Registrar;

/// <summary>What one node knows of the phones other nodes registered (several nodes on one catalogue).</summary>
public sealed class SharedLocationsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    private Binding Phone(string extension, int port, TimeSpan lifetime) =>
        new(extension, NameAddress.Parse($"<sip:{extension}@192.0.2.7:{port}>"), _time.GetUtcNow() + lifetime, $"call-{port}", 1,
            new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.7"), port)), null);

    [Fact]
    public void A_phone_another_node_registered_is_found_and_the_newer_registration_of_a_contact_wins()
    {
        var locations = new LocationService(_time);
        locations.Upsert(Phone("2003", 5062, TimeSpan.FromMinutes(10)));
        locations.ReplaceShared([Phone("2004", 5064, TimeSpan.FromHours(1)), Phone("2003", 5062, TimeSpan.FromHours(1)), Phone("2005", 5066, TimeSpan.FromMinutes(-1))]);

        Assert.Equal(5064, Assert.Single(locations.Lookup("2004")).Contact.Uri.Port);
        var ours = Assert.Single(locations.Lookup("2003")); // one contact, not two: the later registration (the other node's)
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), ours.Expires);
        Assert.Empty(locations.Lookup("2005")); // expired in the store: not rung
    }

    [Fact]
    public void A_phone_unregistered_here_is_gone_at_once_though_the_shared_view_is_older()
    {
        var locations = new LocationService(_time);
        var phone = Phone("2004", 5064, TimeSpan.FromHours(1));
        locations.ReplaceShared([phone]);
        locations.Remove("2004", phone.Key);
        Assert.Empty(locations.Lookup("2004"));

        locations.ReplaceShared([phone, Phone("2004", 5068, TimeSpan.FromHours(1))]);
        Assert.Equal(2, locations.Lookup("2004").Count);
        locations.RemoveAll("2004"); // Contact: * with Expires: 0, here
        Assert.Empty(locations.Lookup("2004"));
    }
}
