namespace SipRecorder.Pbx.Directory;

/// <summary>
/// Failed portal logins counted where every node sees them, so that guessing passwords round-robin across nodes meets
/// the same limit as on one. A count starts again once <c>window</c> has passed since its last failure.
/// </summary>
public interface ILoginFailures
{
    /// <summary>The failures counted under <paramref name="key"/> and the last one's time; null when none.</summary>
    (int Count, DateTimeOffset Last)? Find(string key);

    /// <summary>Counts a failure now (the count starts again if the last one is <paramref name="window"/> old).</summary>
    void Failed(string key, DateTimeOffset now, TimeSpan window);

    void Forget(string key);
}
