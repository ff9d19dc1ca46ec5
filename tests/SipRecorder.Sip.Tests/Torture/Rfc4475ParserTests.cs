using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Tests.Torture;

/// <summary>Each RFC 4475 message through the parser: the valid ones parse (and survive a round trip), the bad ones get their status or are dropped.</summary>
public sealed class Rfc4475ParserTests
{
    public static TheoryData<string> Names() => [.. Rfc4475.All.Select(c => c.Name)];

    private static Rfc4475Case Case(string name) => Rfc4475.All.Single(c => c.Name == name);

    [Fact]
    public void The_table_holds_every_message_of_the_rfc()
    {
        Assert.Equal(49, Rfc4475.All.Count);
        Assert.Equal(49, Rfc4475.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parser_does_what_the_rfc_asks(string name)
    {
        var torture = Case(name);
        var result = SipParser.Parse(torture.Bytes);
        switch (torture.Syntax)
        {
            case TortureSyntax.Valid:
                Assert.True(result.IsValid, $"{torture}: {result.Error}");
                var again = SipParser.Parse(result.Message!.ToBytes());
                Assert.True(again.IsValid, $"{torture} after serializing: {again.Error}");
                Assert.Equal(result.Message.Body, again.Message!.Body);
                break;
            case TortureSyntax.Refused:
                Assert.False(result.IsValid, $"{torture} was accepted");
                Assert.Equal(torture.RefusedWith, result.ErrorStatus);
                Assert.True(result.CanAnswer, $"{torture}: refused but not answerable ({result.Error})");
                break;
            case TortureSyntax.Dropped:
                Assert.Null(result.Message);
                break;
        }
    }

    [Fact]
    public void Escaped_characters_keep_their_meaning()
    {
        // §3.1.1.3: "sips%3Auser%40example.com" is a user part, not a scheme; %75se%72 is "user".
        var esc01 = (SipRequest)SipParser.Parse(Case("esc01").Bytes).Message!;
        Assert.Equal("example.net", esc01.RequestUri.Host);
        Assert.Equal("user", Uri.UnescapeDataString(esc01.To!.Uri.User!));
        // §3.1.1.5: an escaped method is another method, not REGISTER.
        var esc02 = (SipRequest)SipParser.Parse(Case("esc02").Bytes).Message!;
        Assert.NotEqual("REGISTER", esc02.Method);
    }

    [Fact]
    public void Folded_and_spaced_headers_read_as_their_values()
    {
        var wsinv = (SipRequest)SipParser.Parse(Case("wsinv").Bytes).Message!;
        Assert.Equal("1918181833n", wsinv.To!.Tag);
        Assert.Equal("98asjd8", wsinv.From!.Tag);
        Assert.Equal("J Rosenberg \\\"", wsinv.From.DisplayName);
        Assert.Equal(68, wsinv.MaxForwards);
        Assert.Equal(new CSeqHeader(9, "INVITE"), wsinv.CSeq);
        Assert.Equal("192.0.2.2", wsinv.TopVia!.Host);
        Assert.Equal("UDP", wsinv.TopVia.Transport);
        Assert.Equal(3, wsinv.Headers.GetAll(HeaderNames.Via).Count);
        Assert.Equal("newfangled value continued newfangled value", wsinv.Headers.Get("newfangledheader"));
        var contact = NameAddress.Parse(wsinv.Headers.Get("Contact")!);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("0.33", contact.Parameters["q"]);
        Assert.Equal("", wsinv.Headers.Get("Subject"));
        Assert.Equal(150, wsinv.Body.Length);
    }

    [Fact]
    public void Two_requests_in_one_datagram_keep_only_the_first()
    {
        var dblreq = (SipRequest)SipParser.Parse(Case("dblreq").Bytes).Message!;
        Assert.Equal("REGISTER", dblreq.Method);
        Assert.Empty(dblreq.Body);
    }

    [Fact]
    public void A_binary_multipart_body_is_kept_to_its_length()
    {
        var mpart = SipParser.Parse(Case("mpart01").Bytes).Message!;
        Assert.Equal(553, mpart.Body.Length);
        Assert.Contains((byte)0, mpart.Body);
    }
}
