using SipRecorder.Pbx.Directory;

namespace SipRecorder.Storage.Sql;

/// <summary>API tokens in the catalogue (see <see cref="IApiTokens"/>): a lost database gives away hashes, not tokens.</summary>
public sealed class SqlApiTokens(SqlDatabase database) : IApiTokens
{
    private const string Columns = "id, login, name, token_hash, created_ms, last_used_ms";

    public long Add(ApiTokenRow token)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "INSERT INTO api_tokens (login, name, token_hash, created_ms) VALUES (@login, @name, @hash, @created) RETURNING id;",
            ("@login", token.Login), ("@name", token.Name), ("@hash", token.TokenHash), ("@created", token.Created.ToUnixTimeMilliseconds()));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ApiTokenRow? Find(string tokenHash) => Select($"SELECT {Columns} FROM api_tokens WHERE token_hash = @hash;", ("@hash", tokenHash)).FirstOrDefault();

    public IReadOnlyList<ApiTokenRow> Of(string login) => Select($"SELECT {Columns} FROM api_tokens WHERE login = @login ORDER BY id DESC;", ("@login", login));

    public bool Revoke(long id, string login) => database.Execute("DELETE FROM api_tokens WHERE id = @id AND login = @login;", ("@id", id), ("@login", login)) == 1;

    public void Touch(long id, DateTimeOffset used) =>
        database.Execute("UPDATE api_tokens SET last_used_ms = @used WHERE id = @id;", ("@used", used.ToUnixTimeMilliseconds()), ("@id", id));

    private List<ApiTokenRow> Select(string sql, params (string, object?)[] parameters)
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<ApiTokenRow>();
        while (reader.Read())
        {
            rows.Add(new ApiTokenRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return rows;
    }
}
