using System.Data.Common;
using System.Net;
using SipRecorder.Pbx.Registrar;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Storage.Sql;

/// <summary>UDP registrations in SQLite or PostgreSQL, read back at start.</summary>
public sealed class SqlBindingStore(SqlDatabase database) : IBindingStore
{
    public IReadOnlyList<Binding> Load()
    {
        using var connection = database.Connect();
        using var command = SqlDatabase.Command(connection,
            "SELECT extension, contact, expires_ms, call_id, cseq, source_address, source_port, user_agent, path FROM bindings;");
        using var reader = command.ExecuteReader();
        var bindings = new List<Binding>();
        while (reader.Read())
        {
            // A row this version cannot read back (hand-edited, say) is skipped: the phone registers again soon.
            if (!NameAddress.TryParse(reader.GetString(1), out var contact) || !IPAddress.TryParse(reader.GetString(5), out var address)) continue;
            bindings.Add(new Binding(reader.GetString(0), contact, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), reader.GetString(3),
                (uint)reader.GetInt64(4), new SipEndPoint(SipProtocol.Udp, new IPEndPoint(address, reader.GetInt32(6))), reader.IsDBNull(7) ? null : reader.GetString(7))
            {
                Path = reader.GetString(8).Split('\n', StringSplitOptions.RemoveEmptyEntries),
            });
        }
        return bindings;
    }

    public void Save(Binding binding) =>
        database.Execute(
            """
            INSERT INTO bindings (extension, contact_key, contact, expires_ms, call_id, cseq, source_address, source_port, user_agent, path)
            VALUES (@extension, @key, @contact, @expires, @callId, @cseq, @address, @port, @agent, @path)
            ON CONFLICT (extension, contact_key) DO UPDATE SET contact = excluded.contact, expires_ms = excluded.expires_ms, call_id = excluded.call_id,
                cseq = excluded.cseq, source_address = excluded.source_address, source_port = excluded.source_port, user_agent = excluded.user_agent,
                path = excluded.path;
            """,
            ("@extension", binding.Extension), ("@key", binding.Key), ("@contact", binding.Contact.ToString()), ("@expires", binding.Expires.ToUnixTimeMilliseconds()),
            ("@callId", binding.CallId), ("@cseq", (long)binding.CSeq), ("@address", binding.Source.Address.Address.ToString()),
            ("@port", binding.Source.Address.Port), ("@agent", binding.UserAgent), ("@path", string.Join('\n', binding.Path)));

    public void Delete(string extension, string contactKey) =>
        database.Execute("DELETE FROM bindings WHERE extension = @extension AND contact_key = @key;", ("@extension", extension), ("@key", contactKey));

    public void DeleteAll(string extension) => database.Execute("DELETE FROM bindings WHERE extension = @extension;", ("@extension", extension));

    public void DeleteExpired(DateTimeOffset now) => database.Execute("DELETE FROM bindings WHERE expires_ms <= @now;", ("@now", now.ToUnixTimeMilliseconds()));
}
