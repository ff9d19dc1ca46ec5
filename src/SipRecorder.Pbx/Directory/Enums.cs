namespace SipRecorder.Pbx.Directory;

/// <summary>Who may see what in the portal: Admin everything, OrgAdmin their organization, User their own.</summary>
public enum Role { Admin, OrgAdmin, User }

/// <summary>A phone (rings registered contacts) or a conference room (callers join a mixer).</summary>
public enum ExtensionKind { Phone, Conference }

/// <summary>The manual's "Empezar grabación": Nunca, Solo conferencias, Cuando *1 es presionado, Todas.</summary>
public enum StartMode { Never, ConferencesOnly, OnDemand, Always }

public enum RecordingFormat { Wav, Mp3, Opus }
