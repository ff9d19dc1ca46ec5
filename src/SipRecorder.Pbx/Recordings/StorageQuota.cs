using SipRecorder.Pbx.Directory;

namespace SipRecorder.Pbx.Recordings;

/// <summary>
/// The manual's storage limits: each organization and each user has one; when either is reached, new calls are not
/// recorded until space is freed. Usage counts finished recordings and those still being written (their files' size
/// now), so many calls starting at once cannot all slip under the limit on the sizes of the past.
/// </summary>
public sealed class StorageQuota(IRecordingStore store, IDirectory directory, IRecordingFiles files)
{
    public StorageUsage Usage(string organization, string userLogin)
    {
        var (organizationLimit, userLimit) = Limits(organization, userLogin);
        return Measure(organization, userLogin, organizationLimit, userLimit);
    }

    /// <summary>Why a new recording of the extension's owner may not start ("quota: ..."), or null when it may.</summary>
    public string? Refusal(Extension extension)
    {
        if (directory.FindUser(extension.OwnerLogin) is not { } owner) return null;
        var (organizationLimit, userLimit) = Limits(owner.Organization, owner.Login);
        // Without a limit nothing can be full: skip the sums, which stat every recording in progress (one per call under load).
        if (organizationLimit == long.MaxValue && userLimit == long.MaxValue) return null;
        var usage = Measure(owner.Organization, owner.Login, organizationLimit, userLimit);
        if (usage.OrganizationFull) return $"quota: organization {owner.Organization} uses {usage.OrganizationBytes} of {usage.OrganizationLimit} bytes";
        if (usage.UserFull) return $"quota: user {owner.Login} uses {usage.UserBytes} of {usage.UserLimit} bytes";
        return null;
    }

    private (long Organization, long User) Limits(string organization, string userLogin) =>
        (directory.FindOrganization(organization)?.StorageLimitBytes ?? long.MaxValue, directory.FindUser(userLogin)?.StorageLimitBytes ?? long.MaxValue);

    private StorageUsage Measure(string organization, string userLogin, long organizationLimit, long userLimit)
    {
        long organizationBytes = store.FinishedBytes(organization, null), userBytes = store.FinishedBytes(organization, userLogin);
        foreach (var active in store.InProgress())
        {
            if (active.Organization != organization) continue;
            var size = files.Size(active.Path);
            organizationBytes += size;
            if (active.UserLogin == userLogin) userBytes += size;
        }
        return new StorageUsage(organizationBytes, organizationLimit, userBytes, userLimit);
    }
}
