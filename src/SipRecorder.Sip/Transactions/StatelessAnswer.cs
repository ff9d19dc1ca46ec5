using SipRecorder.Sip.Message;

namespace SipRecorder.Sip.Transactions;

/// <summary>
/// What the transaction user does with a new request before any transaction exists for it (RFC 3261 §8.2.7, the way
/// a stateless proxy answers): nothing (a transaction is made as usual), a response sent once and forgotten, or
/// silence. Challenges go this way, so that a flood of requests without credentials costs no memory and no
/// retransmitted responses.
/// </summary>
public readonly record struct StatelessAnswer(SipResponse? Response, bool Handled)
{
    public static StatelessAnswer None => default;

    public static StatelessAnswer Drop => new(null, true);

    public static StatelessAnswer Send(SipResponse response) => new(response, true);
}
