namespace SipRecorder.Pbx.Registrar;

/// <summary>
/// Registrations, persisted, so a restart does not leave every phone unreachable until its next REGISTER (phones often
/// register for an hour). Only UDP bindings are kept: a TCP binding lives on its connection, which a restart closes.
/// </summary>
public interface IBindingStore
{
    IReadOnlyList<Binding> Load();

    void Save(Binding binding);

    void Delete(string extension, string contactKey);

    void DeleteAll(string extension);

    void DeleteExpired(DateTimeOffset now);
}
