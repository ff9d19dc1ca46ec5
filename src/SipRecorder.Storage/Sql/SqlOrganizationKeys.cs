using System.Data.Common;
using SipRecorder.Storage.Encryption;

namespace SipRecorder.Storage.Sql;

/// <summary>The organizations' recording keys in the catalogue (see <see cref="OrganizationKey"/>); key material as base64 text.</summary>
public sealed class SqlOrganizationKeys(SqlDatabase database)
{
    private const string Columns = "id, organization, master_key_id, sealed_key, public_key, created_ms, retired_ms";

    public OrganizationKey? Current(string organization) =>
        Select($"SELECT {Columns} FROM recording_keys WHERE organization = @organization AND retired_ms IS NULL;", ("@organization", organization)).FirstOrDefault();

    public OrganizationKey? Find(long id) => Select($"SELECT {Columns} FROM recording_keys WHERE id = @id;", ("@id", id)).FirstOrDefault();

    /// <summary>The organization's keys no longer current (files made with them may still use them).</summary>
    public IReadOnlyList<OrganizationKey> Retired(string organization) =>
        Select($"SELECT {Columns} FROM recording_keys WHERE organization = @organization AND retired_ms IS NOT NULL ORDER BY id;", ("@organization", organization));

    /// <summary>Keys sealed by a master key other than <paramref name="masterKeyId"/> (the ones a master key rotation reseals).</summary>
    public IReadOnlyList<OrganizationKey> SealedByOtherThan(string masterKeyId) =>
        Select($"SELECT {Columns} FROM recording_keys WHERE master_key_id IS NOT NULL AND master_key_id <> @master ORDER BY id;", ("@master", masterKeyId));

    /// <summary>
    /// Makes <paramref name="key"/> the organization's current key: the one before it, if any, is retired in the same
    /// transaction. With <paramref name="onlyIfNone"/>, nothing changes when the organization has a current key already
    /// (two nodes making the first key at once: one wins) and null is returned.
    /// </summary>
    public OrganizationKey? MakeCurrent(OrganizationKey key, bool onlyIfNone)
    {
        using var connection = database.Connect();
        using var transaction = connection.BeginTransaction();
        var at = key.Created.ToUnixTimeMilliseconds();
        if (!onlyIfNone)
        {
            using var retire = SqlDatabase.Command(connection, "UPDATE recording_keys SET retired_ms = @at WHERE organization = @organization AND retired_ms IS NULL;",
                ("@at", at), ("@organization", key.Organization));
            retire.Transaction = transaction;
            retire.ExecuteNonQuery();
        }
        using var insert = SqlDatabase.Command(connection,
            """
            INSERT INTO recording_keys (organization, master_key_id, sealed_key, public_key, created_ms)
            SELECT @organization, @master, @sealed, @public, @at
            WHERE NOT EXISTS (SELECT 1 FROM recording_keys WHERE organization = @organization AND retired_ms IS NULL)
            RETURNING id;
            """,
            ("@organization", key.Organization), ("@master", key.MasterKeyId), ("@sealed", Text(key.SealedKey)), ("@public", Text(key.PublicKey)), ("@at", at));
        insert.Transaction = transaction;
        object? id;
        try
        {
            id = insert.ExecuteScalar();
        }
        catch (DbException) when (onlyIfNone)
        {
            return null; // another node's first key got in between (the unique index on current keys)
        }
        if (id is null or DBNull) return null;
        transaction.Commit();
        return key with { Id = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) };
    }

    /// <summary>The key sealed again by another master key (master key rotation).</summary>
    public void Reseal(long id, string masterKeyId, byte[] sealedKey) =>
        database.Execute("UPDATE recording_keys SET master_key_id = @master, sealed_key = @sealed WHERE id = @id;",
            ("@master", masterKeyId), ("@sealed", Convert.ToBase64String(sealedKey)), ("@id", id));

    /// <summary>Deletes a retired key (no file uses it any more); a current key is never deleted.</summary>
    public bool DeleteRetired(long id) => database.Execute("DELETE FROM recording_keys WHERE id = @id AND retired_ms IS NOT NULL;", ("@id", id)) == 1;

    private static string? Text(byte[]? bytes) => bytes is null ? null : Convert.ToBase64String(bytes);

    private List<OrganizationKey> Select(string sql, params (string, object?)[] parameters)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<OrganizationKey>();
        while (reader.Read())
        {
            rows.Add(new OrganizationKey(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : Convert.FromBase64String(reader.GetString(3)), reader.IsDBNull(4) ? null : Convert.FromBase64String(reader.GetString(4)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }
        return rows;
    }
}
