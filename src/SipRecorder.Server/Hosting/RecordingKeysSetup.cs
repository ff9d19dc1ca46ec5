using SipRecorder.Server.Configuration;
using SipRecorder.Storage.Encryption;
using SipRecorder.Storage.Sql;

namespace SipRecorder.Server.Hosting;

/// <summary>The recordings' key hierarchy from Storage:Encryption; a master key just rotated reseals the organizations' keys before any call.</summary>
internal static partial class RecordingKeysSetup
{
    public static RecordingKeys Open(SqlDatabase database, ServerSettings settings, ILogger logger)
    {
        var keys = new RecordingKeys(new SqlOrganizationKeys(database), settings.MasterKey, settings.PreviousMasterKeys, TimeProvider.System);
        var (resealed, unknown) = keys.ResealWithCurrentMaster();
        if (resealed > 0) LogResealed(logger, resealed, settings.MasterKey!.Id);
        if (unknown > 0) LogUnknownMaster(logger, unknown);
        if (settings.MasterKey is { } master) LogEncrypting(logger, master.Id);
        return keys;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recordings are encrypted at rest (master key {MasterKeyId})")]
    private static partial void LogEncrypting(ILogger logger, string masterKeyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} organization key(s) sealed again by master key {MasterKeyId}: Storage:Encryption:PreviousMasterKeys may be removed now")]
    private static partial void LogResealed(ILogger logger, int count, string masterKeyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} organization key(s) are sealed by a master key that is not configured: their recordings cannot be played until it is given in Storage:Encryption:PreviousMasterKeys")]
    private static partial void LogUnknownMaster(ILogger logger, int count);
}
