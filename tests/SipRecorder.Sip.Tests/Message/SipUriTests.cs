using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Tests.Message;

public class SipUriTests
{
    [Theory]
    [InlineData("sip:alice@atlanta.com", "sip", "alice", "atlanta.com", null)]
    [InlineData("sip:alice:secretword@atlanta.com;transport=tcp", "sip", "alice", "atlanta.com", null)]
    [InlineData("sips:alice@atlanta.com?subject=project%20x&priority=urgent", "sips", "alice", "atlanta.com", null)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip", "+1-212-555-1212", "gateway.com", null)]
    [InlineData("sip:alice@192.0.2.4:5070", "sip", "alice", "192.0.2.4", 5070)]
    [InlineData("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", "sip", null, "atlanta.com", null)]
    [InlineData("sip:alice;day=tuesday@atlanta.com", "sip", "alice;day=tuesday", "atlanta.com", null)]
    [InlineData("sip:2003@[2001:db8::10]:5060", "sip", "2003", "[2001:db8::10]", 5060)]
    [InlineData("tel:+1-201-555-0123", "tel", "+1-201-555-0123", "", null)]
    public void Rfc3261_uri_examples_parse(string text, string scheme, string? user, string host, int? port)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal(user, uri.User);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("sip:")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:alice@example.com:99999")]
    [InlineData("sip:alice@exa mple.com")]
    [InlineData("sip:alice@[2001:db8::10")]
    public void Bad_uris_are_refused(string text) => Assert.False(SipUri.TryParse(text, out _));

    [Fact]
    public void Escaped_user_reads_unescaped_and_writes_escaped_again()
    {
        var uri = SipUri.Parse("sip:sip%3Auser%40example.com@example.net");
        Assert.Equal("sip:user@example.com", uri.User);
        Assert.Equal("sip:sip%3Auser%40example.com@example.net", uri.ToString());
    }

    [Fact]
    public void Name_address_without_brackets_gives_parameters_to_the_header()
    {
        var address = NameAddress.Parse("sip:2003@pbx;tag=abc");
        Assert.Equal("abc", address.Tag);
        Assert.Equal(0, address.Uri.Parameters.Count);
        var bracketed = NameAddress.Parse("<sip:2003@pbx;transport=tcp>;tag=abc");
        Assert.Equal("tcp", bracketed.Uri.Parameters["transport"]);
        Assert.Equal("<sip:2003@pbx;transport=tcp>;tag=abc", bracketed.ToString());
    }
}
