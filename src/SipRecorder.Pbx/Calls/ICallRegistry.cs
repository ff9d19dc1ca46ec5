using SipRecorder.Media.Relay;
using SipRecorder.Sip.Dialogs;
using SipRecorder.Sip.Transactions;

namespace SipRecorder.Pbx.Calls;

/// <summary>
/// The call manager as a call sees it: where the call files its dialogs (so in-dialog requests find it), says it was
/// answered or has ended, and reports its finished recordings.
/// </summary>
internal interface ICallRegistry
{
    void IndexDialog(Dialog dialog, B2buaCall call, CallSide side);

    void ForgetDialog(Dialog dialog);

    /// <summary>The call holding a dialog with this Call-ID whose local tag is one of the two (Replaces names tags from the sender's side).</summary>
    (B2buaCall Call, CallSide Side)? FindDialog(string callId, string oneTag, string otherTag);

    void Answered(B2buaCall call, ServerInviteTransaction invite);

    void Forget(B2buaCall call, ServerInviteTransaction invite, IEnumerable<Dialog> dialogs);

    /// <summary>Counts the call's outcome: answered, cancelled, or the final status its caller got.</summary>
    void CountEnded(bool answered, string why);

    /// <summary>Completes a finished recording's row, then tells the listeners.</summary>
    void Report(RecordingResult result);
}
