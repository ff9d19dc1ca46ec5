namespace SipRecorder.Pbx.Provisioning;

/// <summary>The provisioning file is wrong; the message names the entry and field.</summary>
public sealed class ProvisioningException(string message, Exception? inner = null) : Exception(message, inner);
