namespace SipRecorder.Sip.Message;

/// <summary>One header line as received or to be sent: canonical name and the raw (unfolded) value.</summary>
public readonly record struct SipHeader(string Name, string Value);
