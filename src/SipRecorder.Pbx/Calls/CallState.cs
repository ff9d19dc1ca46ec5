namespace SipRecorder.Pbx.Calls;

/// <summary>Routing -> Ringing (branches out) -> Answered (2xx sent to the caller) -> Confirmed (its ACK came) -> Ended.</summary>
public enum CallState { Routing, Ringing, Answered, Confirmed, Ended }
