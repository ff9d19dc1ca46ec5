using System.Net;
using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Admission;

/// <summary>
/// Digest authentication of what extensions send, for the registrar (401) and the call manager (407) alike: one
/// failure limiter, so a guesser gains nothing by switching methods, and one rate of challenges per address.
/// A request that will be refused or challenged is answered before any transaction exists (<see cref="Screen"/>):
/// a flood without credentials then costs one datagram out per datagram in and no memory. Only a request whose
/// answer checks out gets a transaction, where <see cref="Verify"/> spends its nonce count.
/// </summary>
/// <param name="registrarDigest">Nonces for REGISTER; <paramref name="proxyDigest"/>'s, keyed apart, for INVITE, so
/// that a nonce from one is worth nothing to the other.</param>
public sealed partial class DigestGate(DigestVerifier registrarDigest, DigestVerifier proxyDigest, ILogger<DigestGate> logger,
    AuthFailureLimiter? limiter = null, ChallengeRate? rate = null)
{
    public const string BlockedReason = "Forbidden (too many authentication failures from this address)";

    /// <summary>The status a challenge is sent with, the header names of challenge and answer, and whose nonces.</summary>
    public sealed record Asking(int Status, string ChallengeHeader, string CredentialsHeader, DigestVerifier Digest);

    /// <summary>A registrar's challenge (RFC 3261 §22.2).</summary>
    public Asking Registrar { get; } = new(401, HeaderNames.WwwAuthenticate, HeaderNames.Authorization, registrarDigest);

    /// <summary>A proxy's (or a B2BUA acting for the PBX) challenge (RFC 3261 §22.3).</summary>
    public Asking Proxy { get; } = new(407, HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization, proxyDigest);

    /// <summary>Challenges not sent because their address was over its rate.</summary>
    public long ChallengesRefused => rate?.Refused ?? 0;

    public bool IsBlocked(IPAddress source) => limiter?.IsBlocked(source) == true;

    /// <summary>The username claimed in the request's credentials, or null when there are none for our realm.</summary>
    public static string? UsernameOf(SipRequest request, Asking asking) => asking.Digest.UsernameOf(request.Headers.GetAll(asking.CredentialsHeader));

    /// <summary>
    /// Before a transaction: a blocked address gets 403 and a request whose credentials do not check out its
    /// challenge, both sent once (within the address's rate) and forgotten; <see cref="StatelessAnswer.None"/> when
    /// the credentials are right for <paramref name="extension"/>, the password holder the request claims to be.
    /// </summary>
    public StatelessAnswer Screen(SipRequest request, IPAddress source, Asking asking, Extension? extension)
    {
        SipResponse response;
        if (IsBlocked(source)) response = SipResponse.Stateless(request, 403, BlockedReason);
        else
        {
            var outcome = Evaluate(request, source, asking, extension, spendNonceCount: false);
            if (outcome == DigestVerifier.Outcome.Accepted) return StatelessAnswer.None;
            Note(outcome, request, source, asking);
            response = SipResponse.Stateless(request, asking.Status);
            AddChallenges(response, source, asking, outcome);
        }
        return rate?.TryTake(source) == false ? StatelessAnswer.Drop : StatelessAnswer.Send(response);
    }

    /// <summary>
    /// In the request's transaction: checks the credentials and spends their nonce count. Accepted, the failures of
    /// <paramref name="extension"/> from this address are forgotten (no one else's); refused, the failure is counted
    /// and the transaction answers with the challenge.
    /// </summary>
    public bool Admit(ServerTransaction transaction, Asking asking, Extension? extension)
    {
        var request = transaction.Request;
        var source = transaction.Source.Address.Address;
        var outcome = Evaluate(request, source, asking, extension, spendNonceCount: true);
        if (outcome == DigestVerifier.Outcome.Accepted)
        {
            limiter?.Succeeded(source, extension!.Number);
            return true;
        }
        Note(outcome, request, source, asking);
        var challenge = SipResponse.For(request, asking.Status, null, transaction.LocalTag);
        AddChallenges(challenge, source, asking, outcome);
        transaction.Respond(challenge);
        return false;
    }

    private DigestVerifier.Outcome Evaluate(SipRequest request, IPAddress source, Asking asking, Extension? extension, bool spendNonceCount)
    {
        var credentials = request.Headers.GetAll(asking.CredentialsHeader);
        // Every request is challenged alike whether its extension exists or not, so scanners learn nothing.
        if (extension is null) return credentials.Count == 0 ? DigestVerifier.Outcome.Missing : DigestVerifier.Outcome.Rejected;
        var uri = request.RequestUri.ToString();
        var realm = asking.Digest.Realm;
        // H(A1) is of the extension's number: a phone answering as another username does not match it.
        string? Ha1(string algorithm, string username) =>
            username == extension.Number ? extension.Credential.Ha1(algorithm, username, realm) : null;
        return spendNonceCount
            ? asking.Digest.Verify(credentials, request.Method, uri, source, Ha1)
            : asking.Digest.Check(credentials, request.Method, uri, source, Ha1);
    }

    private void AddChallenges(SipResponse response, IPAddress source, Asking asking, DigestVerifier.Outcome outcome)
    {
        // RFC 7616 §3.3: stale=true asks the phone to answer again with its stored password instead of prompting its user.
        foreach (var challenge in asking.Digest.Challenges(source, outcome is DigestVerifier.Outcome.Stale or DigestVerifier.Outcome.Replayed))
            response.Headers.Add(asking.ChallengeHeader, challenge);
    }

    private void Note(DigestVerifier.Outcome outcome, SipRequest request, IPAddress source, Asking asking)
    {
        var user = UsernameOf(request, asking) ?? request.To?.Uri.User ?? "?";
        var target = request.RequestUri.User ?? request.RequestUri.Host;
        if (outcome == DigestVerifier.Outcome.Replayed) LogReplayed(logger, request.Method, user, source.ToString(), target);
        if (outcome != DigestVerifier.Outcome.Rejected) return;
        LogFailed(logger, request.Method, user, source.ToString(), target);
        if (limiter?.Failed(source, user) == true) LogBlocked(logger, source.ToString(), limiter.MaxFailures, limiter.BlockFor.TotalSeconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} as {User} from {Source} to {Target}: wrong credentials, challenged again")]
    private static partial void LogFailed(ILogger logger, string method, string user, string source, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} as {User} from {Source} to {Target}: digest answer used before (a replay), challenged again")]
    private static partial void LogReplayed(ILogger logger, string method, string user, string source, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP authentication from {Source} blocked for {Seconds} s after {Failures} failures")]
    private static partial void LogBlocked(ILogger logger, string source, int failures, double seconds);
}
