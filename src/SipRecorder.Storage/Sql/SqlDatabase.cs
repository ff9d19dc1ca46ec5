using System.Data.Common;

namespace SipRecorder.Storage.Sql;

/// <summary>
/// A catalogue database the stores are written once for, in the SQL that SQLite and PostgreSQL share (named @
/// parameters, ON CONFLICT ... DO UPDATE, RETURNING); what differs between the two engines is said here.
/// </summary>
public abstract class SqlDatabase
{
    /// <summary>An open connection of its own (pooled): the stores are safe to call from any thread.</summary>
    internal abstract DbConnection Connect();

    /// <summary>Whether an error passes by itself (busy, locked, a lost connection, a full disk): the write is retried.</summary>
    public abstract bool IsTransient(Exception error);

    /// <summary>
    /// The portal's search: <paramref name="text"/> found, ignoring case, in a party's number or name (a user's % or _
    /// is searched for, never a wildcard). Each engine writes it the way its indexes can serve and binds what it needs.
    /// </summary>
    internal abstract string PartySearch(string text, List<(string Name, object? Value)> parameters);

    /// <summary>A LIKE pattern finding <paramref name="text"/> anywhere, escaped with \.</summary>
    internal static string Containing(string text) =>
        "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    /// <summary>
    /// The number filter: either party's number starts with <paramref name="prefix"/> (digits and a leading +, so
    /// nothing in it is a wildcard), written so that each engine's index on (organization, number) serves it.
    /// </summary>
    internal abstract string NumberPrefix(string prefix);

    /// <summary>After secrets kept in clear were overwritten: make sure the old text does not linger in the files.</summary>
    internal virtual void ForgetOverwritten(DbConnection connection)
    {
    }

    internal static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    internal int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Connect();
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }
}
