namespace SipRecorder.Sip.Transactions;

/// <summary>The states of the four RFC 3261 §17 machines (Accepted from RFC 6026 §7.1/§8.4).</summary>
public enum TransactionState { Calling, Trying, Proceeding, Accepted, Completed, Confirmed, Terminated }
