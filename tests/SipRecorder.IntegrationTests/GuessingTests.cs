using System.Globalization;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Message;

namespace SipRecorder.IntegrationTests;

/// <summary>
/// The SIP lockout counts what a guesser does, not what it owns: registering its own extension between guesses at
/// another one does not reset the count (through a running server, from one address as an attacker would).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RealPeers.Name)]
public sealed class GuessingTests
{
    [Fact]
    public async Task A_guesser_who_registers_its_own_extension_between_guesses_is_still_locked_out()
    {
        await using var server = await TestServer.StartAsync(OneExtension.Provisioning(TestPorts.Free()), "--Sip:AuthFailureLimit=3");
        using var phone = new RawSipPhone(server.SipPort);
        var registrar = $"sip:127.0.0.1:{server.SipPort.ToString(CultureInfo.InvariantCulture)}";
        var cseq = 0;

        async Task<int> Register(string user, string password)
        {
            await phone.SendAsync($"REGISTER {registrar} SIP/2.0", PhoneRequests.Register($"guess-{user}", ++cseq, phone.Port, user));
            var challenge = await phone.FinalResponseAsync();
            if (challenge.StatusCode != 401) return challenge.StatusCode;
            var answer = DigestClient.Answer(challenge.Headers.GetAll(HeaderNames.WwwAuthenticate).First(), "REGISTER", registrar, user, password)!;
            await phone.SendAsync($"REGISTER {registrar} SIP/2.0", PhoneRequests.Register($"guess-{user}", ++cseq, phone.Port, user) + $"\nAuthorization: {answer}");
            return (await phone.FinalResponseAsync()).StatusCode;
        }

        Assert.Equal(401, await Register("2003", "guess-1"));
        Assert.Equal(401, await Register("2003", "guess-2"));
        Assert.Equal(200, await Register("2003", OneExtension.SipPassword)); // its own typo-free login: forgives 2003's two
        Assert.Equal(401, await Register("2004", "guess-1"));
        Assert.Equal(401, await Register("2004", "guess-2"));
        Assert.Equal(200, await Register("2003", OneExtension.SipPassword)); // does not forgive the guesses at 2004
        Assert.Equal(401, await Register("2004", "guess-3"));
        Assert.Equal(403, await Register("2003", OneExtension.SipPassword)); // locked out, right password or not
    }
}
