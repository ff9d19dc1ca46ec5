using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SipRecorder.Pbx.Directory;
using SipRecorder.Pbx.Tests.Support;
using SipRecorder.Pbx.Trunks;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Tests.Trunks;

public sealed class TrunkRegistrationTests : IAsyncDisposable
{
    private static readonly SipEndPoint Provider = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.9"), 5060));
    private readonly WatchedClock _time = new(DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly CapturingSender _sender = new();
    private readonly SipTransactionLayer _layer;
    private readonly TrunkRegistration _registration;
    private readonly DigestVerifier _provider;

    public TrunkRegistrationTests()
    {
        // T4 (Timer K of a finished REGISTER) at 4 s keeps the transaction's own timer apart from the 5 s retry wait.
        _layer = new SipTransactionLayer(_sender, _time, TransactionTimers.Default with { T4 = TimeSpan.FromSeconds(4) });
        _provider = new DigestVerifier("provider.example", new NonceService(_time, TimeSpan.FromMinutes(5)));
        var trunk = new Trunk("provider", "192.0.2.9", 5060, "udp", "acme", "trunk-pw", true, new Dictionary<string, string>());
        _registration = new TrunkRegistration(trunk, _layer, new LocalAddress("127.0.0.1", 5060), _time, NullLogger<TrunkRegistration>.Instance)
        {
            RequestedExpires = 120,
        };
    }

    public async ValueTask DisposeAsync() => await _registration.DisposeAsync();

    [Fact]
    public async Task Registers_with_digest_credentials_and_refreshes_before_expiry_in_the_same_call_id()
    {
        _registration.Start();
        var (_, first) = await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER");
        Assert.Equal("<sip:acme@127.0.0.1:5060>", first.Headers.Get(HeaderNames.Contact));
        Respond(first, 401, r => r.Headers.Add(HeaderNames.WwwAuthenticate, _provider.Challenges(IPAddress.Loopback).First()));

        var (_, second) = await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER", skip: 1);
        Assert.Equal(DigestVerifier.Outcome.Accepted, _provider.Verify(second.Headers.GetAll(HeaderNames.Authorization), "REGISTER", second.RequestUri.ToString(), IPAddress.Loopback, "trunk-pw"));
        Respond(second, 200, r => r.Headers.Add(HeaderNames.Contact, "<sip:acme@127.0.0.1:5060>;expires=60"));
        await WaitUntil(() => _registration.State == TrunkRegistrationState.Registered);
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), _registration.ExpiresAt);

        // The provider granted 60 s: the refresh goes out at 80 % of it, not at expiry.
        await _time.WaitForTimerDueIn(TimeSpan.FromSeconds(48));
        _time.Advance(TimeSpan.FromSeconds(47));
        Assert.True(_time.HasTimerDueIn(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, _sender.Requests.Count(r => r.Request.Method == "REGISTER"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var (_, refresh) = await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER", skip: 2);
        Assert.Equal(first.CallId, refresh.CallId);
        Assert.True(refresh.CSeq!.Value.Number > second.CSeq!.Value.Number);
    }

    [Fact]
    public async Task A_refused_registration_is_retried_with_growing_backoff()
    {
        _registration.Start();
        var (_, first) = await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER");
        Respond(first, 403);
        await WaitUntil(() => _registration.State == TrunkRegistrationState.Failed);

        await _time.WaitForTimerDueIn(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(5)); // first retry after RetryMin
        var (_, retry) = await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER", skip: 1);
        Respond(retry, 503);
        // Registering while the retry was out; Failed once its 503 is read, and the 10 s wait is armed right after.
        await WaitUntil(() => _registration.State == TrunkRegistrationState.Failed);
        await _time.WaitForTimerDueIn(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.True(_time.HasTimerDueIn(TimeSpan.FromSeconds(1)));
        Assert.Equal(2, _sender.Requests.Count(r => r.Request.Method == "REGISTER")); // the second wait is 10 s
        _time.Advance(TimeSpan.FromSeconds(1));
        await _sender.WaitFor<SipRequest>(r => r.Method == "REGISTER", skip: 2);
    }

    private void Respond(SipRequest request, int status, Action<SipResponse>? fill = null)
    {
        var response = SipResponse.For(request, status, null, "prov");
        fill?.Invoke(response);
        _layer.OnMessage(response, Provider);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
