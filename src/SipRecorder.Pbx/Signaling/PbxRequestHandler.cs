using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Calls;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Signaling;

/// <summary>
/// The transaction user: decides what each new request is for. REGISTER goes to the registrar, calls and anything
/// inside a call's dialog to the call manager, OPTIONS to us is answered (RFC 3261 §11.2), anything we do not
/// implement gets 501 or 405 with Allow.
/// </summary>
public sealed partial class PbxRequestHandler(SipRegistrar registrar, CallManager calls, ILogger<PbxRequestHandler> logger) : ITransactionUser
{
    private static readonly HashSet<string> KnownMethods = ["INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER", "INFO", "UPDATE",
        "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE", "REFER"];

    /// <summary>
    /// New INVITEs and REGISTERs without valid credentials are challenged before a transaction is kept for them, as
    /// Kamailio does (sl_send_reply): an unauthenticated flood costs no memory and draws no retransmissions.
    /// </summary>
    public StatelessAnswer AnswerStatelessly(SipRequest request, SipEndPoint from)
    {
        if (request.Headers.GetAll(HeaderNames.Require).Count > 0 || request.MaxForwards is 0) return StatelessAnswer.None;
        return request.Method switch
        {
            "INVITE" => calls.Screen(request, from),
            "REGISTER" => registrar.Screen(request, from),
            _ => StatelessAnswer.None,
        };
    }

    public void OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        // RFC 3261 §8.2.2.3 / §16.3: Require with an extension we do not know is a 420.
        var required = request.Headers.GetAll(HeaderNames.Require);
        if (required.Count > 0 && request.Method is not ("CANCEL" or "ACK"))
        {
            transaction.Respond(420, null, r => r.Headers.Add(HeaderNames.Unsupported, string.Join(", ", required)));
            return;
        }
        if (request.MaxForwards is 0 && request.Method != "OPTIONS" && request.Method != "REGISTER")
        {
            transaction.Respond(483);
            return;
        }
        if (request.To?.Tag is not null && request.Method is not ("REGISTER" or "CANCEL"))
        {
            calls.OnInDialogRequest(transaction);
            return;
        }
        switch (request.Method)
        {
            case "REGISTER":
                registrar.Handle(transaction);
                break;
            case "OPTIONS":
                transaction.Respond(200, null, r =>
                {
                    r.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow);
                    r.Headers.Add(HeaderNames.Accept, "application/sdp, application/dtmf-relay");
                    r.Headers.Add("Accept-Encoding", "identity");
                    r.Headers.Add("Accept-Language", "en");
                });
                break;
            case "CANCEL":
                calls.OnCancel(transaction);
                break;
            case "INVITE":
                calls.OnInvite((ServerInviteTransaction)transaction);
                break;
            case "REFER":
                transaction.Respond(403, "Forbidden (REFER only inside a call, to transfer it)");
                break;
            case "BYE" or "INFO" or "UPDATE":
                transaction.Respond(481); // outside a dialog these match nothing (RFC 3261 §12.2.2)
                break;
            default:
                if (KnownMethods.Contains(request.Method)) transaction.Respond(405, null, r => r.Headers.Add(HeaderNames.Allow, SupportedMethods.Allow));
                else transaction.Respond(501);
                break;
        }
    }

    public void OnStrayAck(SipRequest ack, SipEndPoint from) => calls.OnAck(ack);

    public void OnStrayResponse(SipResponse response, SipEndPoint from)
    {
        LogStray(logger, response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), from);
        calls.OnStrayResponse(response);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stray {What} from {From} ignored")]
    private static partial void LogStray(ILogger logger, string what, SipEndPoint from);
}
