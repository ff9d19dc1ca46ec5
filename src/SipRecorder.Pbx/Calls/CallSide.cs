namespace SipRecorder.Pbx.Calls;

/// <summary>A: the party that called (its INVITE reached us). B: the party we called.</summary>
public enum CallSide { A, B }
