using System.Text;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Sdp;

namespace SipRecorder.Sip.Tests;

/// <summary>Seeded mutation fuzzing of the parsers: whatever the bytes, no exception escapes.</summary>
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
    public void Twenty_thousand_mutated_sip_messages_never_throw()
    {
        var seeds = new[] { RfcMessages.Invite, RfcMessages.Register, RfcMessages.Ok, RfcMessages.ShortTortuous, RfcMessages.CompactForms };
        var parsed = 0;
        for (var s = 0; s < seeds.Length; s++)
            foreach (var mutation in Mutations(RfcMessages.Bytes(seeds[s]), 4_000, s))
                if (SipParser.Fuzz(mutation)) parsed++;
        Assert.InRange(parsed, 1, 19_999); // some mutations stay valid, most do not
    }

    [Fact]
    public void Mutated_sdp_bodies_never_throw()
    {
        foreach (var mutation in Mutations(RfcMessages.Bytes(RfcMessages.InviteSdp), 5_000, 42))
            SessionDescription.Fuzz(mutation);
    }
}
