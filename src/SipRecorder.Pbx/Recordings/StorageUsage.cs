namespace SipRecorder.Pbx.Recordings;

/// <summary>Bytes used and allowed, for an organization and one of its users (long.MaxValue: no limit).</summary>
public sealed record StorageUsage(long OrganizationBytes, long OrganizationLimit, long UserBytes, long UserLimit)
{
    public bool OrganizationFull => OrganizationBytes >= OrganizationLimit;

    public bool UserFull => UserBytes >= UserLimit;

    public bool Full => OrganizationFull || UserFull;
}
