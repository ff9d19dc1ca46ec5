namespace SipRecorder.Pbx.Directory;

/// <summary>A person with a web login, belonging to one organization.</summary>
/// <param name="PasswordHash">PBKDF2 hash from <see cref="PasswordHasher"/>; the clear password is never kept.</param>
public sealed record PbxUser(string Login, string Name, string Organization, Role Role, string PasswordHash, long StorageLimitBytes);
