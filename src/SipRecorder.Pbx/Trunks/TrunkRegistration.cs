using System.Globalization;
using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Auth;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Trunks;

/// <summary>Where a trunk's registration stands, for logs and status pages.</summary>
public enum TrunkRegistrationState { Idle, Registering, Registered, Failed }

/// <summary>
/// Keeps our registration with a provider (RFC 3261 §10.2): REGISTER with digest credentials, refreshed before it
/// expires, retried with exponential backoff when the provider refuses or does not answer. One Call-ID for every
/// refresh, CSeq going up (§10.2.4). Design: one async loop per trunk on <see cref="TimeProvider"/> delays.
/// </summary>
public sealed partial class TrunkRegistration : IAsyncDisposable
{
    private readonly Trunk _trunk;
    private readonly SipTransactionLayer _transactions;
    private readonly LocalAddress _local;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _callId = SipGrammar.NewToken(12);
    private readonly string _fromTag = SipGrammar.NewToken(6);
    private uint _cseq;
    private Task _loop = Task.CompletedTask;

    public TrunkRegistration(Trunk trunk, SipTransactionLayer transactions, LocalAddress local, TimeProvider time, ILogger logger)
    {
        _trunk = trunk;
        _transactions = transactions;
        _local = local;
        _time = time;
        _logger = logger;
    }

    /// <summary>Seconds asked for in each REGISTER.</summary>
    public int RequestedExpires { get; init; } = 3600;
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(5);

    public TrunkRegistrationState State { get; private set; } = TrunkRegistrationState.Idle;
    public DateTimeOffset? ExpiresAt { get; private set; }
    public string TrunkName => _trunk.Name;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = RetryMin;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait;
            int? granted;
            try
            {
                granted = await RegisterOnceAsync(RequestedExpires, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (granted is { } seconds)
            {
                backoff = RetryMin;
                ExpiresAt = _time.GetUtcNow().AddSeconds(seconds);
                SetState(TrunkRegistrationState.Registered, $"for {seconds} s");
                // Refresh at 80 % of the granted time, so a lost REGISTER still has room for retransmissions.
                wait = TimeSpan.FromSeconds(Math.Max(1, seconds * 0.8));
            }
            else
            {
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, RetryMax.Ticks));
                SetState(TrunkRegistrationState.Failed, $"retrying in {wait.TotalSeconds:F0} s");
            }
            try
            {
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One REGISTER exchange, answering up to two challenges; the granted expiry in seconds, or null.</summary>
    private async Task<int?> RegisterOnceAsync(int expires, CancellationToken stop)
    {
        if (_trunk.EndPoint is not { } target)
        {
            LogRefused(_logger, _trunk.Name, 0, "the trunk host is not an IP address");
            return null;
        }
        SetState(TrunkRegistrationState.Registering, $"at {target}");
        (string Header, string Value)? credentials = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var register = BuildRegister(target, expires);
            if (credentials is { } answer) register.Headers.Add(answer.Header, answer.Value);
            var response = await _transactions.SendRequest(register, target).FinalResponse.WaitAsync(stop).ConfigureAwait(false);
            if (response.IsSuccess) return GrantedExpires(response, expires);
            if (response.StatusCode is 401 or 407 && attempt < 2)
            {
                credentials = DigestClient.Authorize(response, "REGISTER", register.RequestUri.ToString(), _trunk.Username, _trunk.Password);
                if (credentials is not null) continue;
            }
            LogRefused(_logger, _trunk.Name, response.StatusCode, response.ReasonPhrase);
            return null;
        }
        return null;
    }

    private SipRequest BuildRegister(SipEndPoint target, int expires)
    {
        var register = new SipRequest("REGISTER", new SipUri { Host = _trunk.Host, Port = _trunk.Port });
        var aor = $"<sip:{_trunk.Username}@{_trunk.Host}>";
        register.Headers.Add(HeaderNames.Via, _local.NewVia(target.Protocol));
        register.Headers.Add(HeaderNames.MaxForwards, "70");
        register.Headers.Add(HeaderNames.From, $"{aor};tag={_fromTag}");
        register.Headers.Add(HeaderNames.To, aor);
        register.Headers.Add(HeaderNames.CallId, _callId);
        register.Headers.Add(HeaderNames.CSeq, new CSeqHeader(++_cseq, "REGISTER").ToString());
        register.Headers.Add(HeaderNames.Contact, _local.Contact(target.Protocol, _trunk.Username));
        register.Headers.Add(HeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture));
        return register;
    }

    /// <summary>RFC 3261 §10.2.4: the expiry the registrar granted is in our Contact's expires, else in Expires.</summary>
    private int GrantedExpires(SipResponse response, int asked)
    {
        foreach (var text in response.Headers.GetAll(HeaderNames.Contact))
        {
            if (!NameAddress.TryParse(text, out var contact) || contact.Uri.User != _trunk.Username) continue;
            if (int.TryParse(contact.Parameters["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return seconds;
        }
        return response.Expires ?? asked;
    }

    private void SetState(TrunkRegistrationState state, string detail)
    {
        if (state == State && state != TrunkRegistrationState.Failed) return;
        State = state;
        LogState(_logger, _trunk.Name, state, detail);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trunk {Trunk} registration: {State} {Detail}")]
    private static partial void LogState(ILogger logger, string trunk, TrunkRegistrationState state, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trunk {Trunk} refused our REGISTER: {Status} {Reason}")]
    private static partial void LogRefused(ILogger logger, string trunk, int status, string reason);
}
