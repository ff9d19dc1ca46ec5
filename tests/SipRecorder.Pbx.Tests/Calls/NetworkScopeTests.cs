using System.Net;
using SipRecorder.Pbx.Calls;

namespace SipRecorder.Pbx.Tests.Calls;

public class NetworkScopeTests
{
    [Theory]
    [InlineData("127.0.0.1", NetworkScope.Loopback)]
    [InlineData("127.200.0.9", NetworkScope.Loopback)]
    [InlineData("::1", NetworkScope.Loopback)]
    [InlineData("::ffff:127.0.0.1", NetworkScope.Loopback)]
    [InlineData("10.1.2.3", NetworkScope.Private)]
    [InlineData("172.16.0.1", NetworkScope.Private)]
    [InlineData("172.31.255.254", NetworkScope.Private)]
    [InlineData("192.168.1.20", NetworkScope.Private)]
    [InlineData("100.64.0.1", NetworkScope.Private)]
    [InlineData("169.254.10.10", NetworkScope.Private)]
    [InlineData("fd00::1", NetworkScope.Private)]
    [InlineData("fe80::1", NetworkScope.Private)]
    [InlineData("::ffff:192.168.0.1", NetworkScope.Private)]
    [InlineData("172.32.0.1", NetworkScope.Public)]
    [InlineData("100.128.0.1", NetworkScope.Public)]
    [InlineData("198.51.100.8", NetworkScope.Public)]
    [InlineData("2001:db8::1", NetworkScope.Public)]
    public void An_address_is_as_wide_as_the_network_it_can_be_reached_from(string address, NetworkScope scope) =>
        Assert.Equal(scope, NetworkScopes.Of(IPAddress.Parse(address)));
}
