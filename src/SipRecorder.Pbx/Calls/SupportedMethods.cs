namespace SipRecorder.Pbx.Calls;

/// <summary>The SIP methods this PBX implements, as Allow headers list them (RFC 3261 §20.5): in OPTIONS answers, 405s, and the calls' INVITEs and 200s.</summary>
public static class SupportedMethods
{
    public const string Allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, REFER";
}
