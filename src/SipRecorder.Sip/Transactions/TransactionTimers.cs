namespace SipRecorder.Sip.Transactions;

/// <summary>RFC 3261 §17.1.1.1 / Table 4 timer values; T1 is the RTT estimate, T2 the retransmit cap.</summary>
public sealed record TransactionTimers
{
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timers B, F, H, J, L, M: 64*T1.</summary>
    public TimeSpan Timeout => T1 * 64;

    /// <summary>Timer D: at least 32 s over UDP so retransmitted final responses still get their ACK.</summary>
    public TimeSpan TimerD => TimeSpan.FromSeconds(32);

    public static TransactionTimers Default { get; } = new();
}
