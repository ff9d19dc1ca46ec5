namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// Lets one node of several run a job (the retention job) at a time: the holder renews its lease each run; another node
/// takes it only once it has run out (the holder stopped or died).
/// </summary>
public interface IJobLease
{
    /// <summary>Takes or renews the lease on <paramref name="job"/> until <paramref name="until"/>; false when another node holds it.</summary>
    bool TryHold(string job, DateTimeOffset now, DateTimeOffset until);

    /// <summary>Until when <paramref name="job"/>'s lease was last taken, whoever holds it; null when it never was.</summary>
    DateTimeOffset? HeldUntil(string job);
}
