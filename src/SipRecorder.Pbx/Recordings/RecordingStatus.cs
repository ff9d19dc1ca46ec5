namespace SipRecorder.Pbx.Recordings;

/// <summary>Where a recording's life stands: being written, closed at hang-up, ended early (disk, quota), or found
/// unfinished after a crash and kept up to its last valid data.</summary>
public enum RecordingStatus { Recording, Complete, Failed, Recovered }
