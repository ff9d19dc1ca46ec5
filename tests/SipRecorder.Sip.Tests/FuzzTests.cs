using System.Text;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Sip.Tests;

/// <summary>
/// Seeded mutation fuzzing of the parsers (bounded: the same 200,000-odd inputs every run, a few seconds): whatever the
/// bytes, no exception escapes. With the RTP and telephone-event fuzzing in the media tests, over 200,000 inputs.
/// </summary>
public class FuzzTests
{
    private static IEnumerable<byte[]> Mutations(byte[] seed, int count, int rngSeed)
    {
        var random = new Random(rngSeed);
        var dictionary = new[] { ":", "\r\n", " ", ";", ",", "<", ">", "\"", "\\", "%", "=", "@", "[", "]", "\r\n ", "Content-Length: 99999", "\0", "SIP/2.0", "sip:" };
        for (var i = 0; i < count; i++)
        {
            var data = new List<byte>(seed);
            var edits = random.Next(1, 8);
            for (var e = 0; e < edits && data.Count > 0; e++)
            {
                var at = random.Next(data.Count);
                switch (random.Next(5))
                {
                    case 0: data[at] = (byte)random.Next(256); break;
                    case 1: data.RemoveRange(at, Math.Min(random.Next(1, 20), data.Count - at)); break;
                    case 2: data.InsertRange(at, Encoding.ASCII.GetBytes(dictionary[random.Next(dictionary.Length)])); break;
                    case 3:
                        var from = random.Next(data.Count);
                        data.InsertRange(at, data.GetRange(from, Math.Min(10, data.Count - from)));
                        break;
                    default: data.RemoveRange(at, data.Count - at); break;
                }
            }
            yield return data.ToArray();
        }
    }

    [Fact]
    public void A_hundred_and_fifty_thousand_mutated_sip_messages_never_throw()
    {
        byte[][] seeds = [.. new[] { RfcMessages.Invite, RfcMessages.Register, RfcMessages.Ok, RfcMessages.CompactForms }.Select(RfcMessages.Bytes),
            Torture.Rfc4475.Message("wsinv")];
        var parsed = 0;
        for (var s = 0; s < seeds.Length; s++)
            foreach (var mutation in Mutations(seeds[s], 30_000, s))
                if (SipParser.Fuzz(mutation)) parsed++;
        Assert.InRange(parsed, 1, 149_999); // some mutations stay valid, most do not
    }

    [Fact]
    public void Thirty_thousand_mutated_sdp_bodies_never_throw()
    {
        foreach (var mutation in Mutations(RfcMessages.Bytes(RfcMessages.InviteSdp), 30_000, 42))
            SessionDescription.Fuzz(mutation);
    }

    [Fact]
    public void Mutated_digest_credentials_never_throw()
    {
        const string credentials = "Digest username=\"2003\", realm=\"pbx.example.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", " +
            "uri=\"sip:0046701234@pbx.example.com\", response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"0a4f113b\"";
        var parsed = 0;
        foreach (var mutation in Mutations(Encoding.ASCII.GetBytes(credentials), 20_000, 7))
            if (SipRecorder.Sip.Auth.DigestParameters.TryParse(Encoding.Latin1.GetString(mutation), out _)) parsed++;
        Assert.InRange(parsed, 1, 20_000);
    }
}
