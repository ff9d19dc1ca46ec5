using SipRecorder.Pbx.Persistence;

namespace SipRecorder.Pbx.Registrar;

/// <summary>
/// A binding store whose changes go through the <see cref="CatalogueWriter"/>: a REGISTER is answered from memory at
/// once and written after, in order, however slow the database is. Loading at start reads the store directly.
/// </summary>
public sealed class QueuedBindingStore(IBindingStore store, CatalogueWriter writer) : IBindingStore
{
    public IReadOnlyList<Binding> Load() => store.Load();

    public void Save(Binding binding) => writer.Enqueue($"registration of {binding.Extension}", () => store.Save(binding));

    public void Delete(string extension, string contactKey) => writer.Enqueue($"unregistration of {extension}", () => store.Delete(extension, contactKey));

    public void DeleteAll(string extension) => writer.Enqueue($"unregistration of {extension}", () => store.DeleteAll(extension));

    public void DeleteExpired(DateTimeOffset now) => writer.Enqueue("expired registrations", () => store.DeleteExpired(now));
}
