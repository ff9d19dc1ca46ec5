using System.Globalization;
using Microsoft.Extensions.Logging;
using SipRecorder.Pbx.Admission;
using SipRecorder.Pbx.Directory;
using SipRecorder.Sip.Message;
using SipRecorder.Sip.Transactions;
using SipRecorder.Sip.Transport;

namespace SipRecorder.Pbx.Registrar;

/// <summary>
/// The registrar (RFC 3261 §10.3): authenticates REGISTER with digest (MD5 and SHA-256, RFC 8760), then adds,
/// refreshes, removes or lists the extension's contacts.
/// </summary>
public sealed partial class SipRegistrar(IDirectory directory, LocationService locations, DigestGate gate,
    RegistrarOptions options, TimeProvider time, ILogger<SipRegistrar> logger)
{
    /// <summary>Before a transaction: a REGISTER that would be refused or challenged is answered once and forgotten.</summary>
    public StatelessAnswer Screen(SipRequest request, SipEndPoint from)
    {
        // Not a SIP AOR: the transaction answers 400, there is nothing to challenge for.
        if (request.To?.Uri.Scheme is not ("sip" or "sips")) return StatelessAnswer.None;
        return gate.Screen(request, from.Address.Address, gate.Registrar, ExtensionOf(request));
    }

    public void Handle(ServerTransaction transaction)
    {
        var request = transaction.Request;
        var source = transaction.Source.Address.Address;
        if (gate.IsBlocked(source))
        {
            transaction.Respond(403, DigestGate.BlockedReason);
            return;
        }
        if (request.To?.Uri.Scheme is not ("sip" or "sips"))
        {
            // An address-of-record is a SIP or SIPS URI (RFC 3261 §10.2; RFC 4475 §3.3.4): nothing to challenge for.
            transaction.Respond(400, "Bad Request (To is not a SIP or SIPS URI)");
            return;
        }
        // RFC 3261 §10.3 step 6: only the AOR's own extension changes its bindings; the gate accepts no other username.
        var extension = ExtensionOf(request);
        if (gate.Admit(transaction, gate.Registrar, extension)) Register(transaction, extension!);
    }

    private Extension? ExtensionOf(SipRequest request) => request.To?.Uri.User is { } aor ? directory.FindExtension(aor) : null;

    private void Register(ServerTransaction transaction, Extension extension)
    {
        var request = transaction.Request;
        var contacts = request.Headers.GetAll(HeaderNames.Contact);
        var headerExpires = request.Headers.Get(HeaderNames.Expires);
        int? requestExpires = null;
        if (headerExpires is not null)
        {
            if (!uint.TryParse(headerExpires, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                transaction.Respond(400, "Bad Request (malformed Expires)");
                return;
            }
            requestExpires = (int)Math.Min(parsed, int.MaxValue);
        }

        if (contacts.Contains("*"))
        {
            // RFC 3261 §10.3 step 6: "*" only alone and only with Expires: 0.
            if (contacts.Count != 1 || requestExpires != 0)
            {
                transaction.Respond(400, "Bad Request (Contact * needs Expires: 0 and no other contact)");
                return;
            }
            var removed = locations.RemoveAll(extension.Number);
            LogUnregisteredAll(logger, extension.Number, removed);
            RespondWithBindings(transaction, extension.Number);
            return;
        }

        var parsedContacts = new List<(NameAddress Contact, int Expires)>();
        foreach (var text in contacts)
        {
            if (!NameAddress.TryParse(text, out var contact))
            {
                transaction.Respond(400, "Bad Request (malformed Contact)");
                return;
            }
            var expires = requestExpires ?? options.DefaultExpires;
            if (contact.Parameters["expires"] is { } param)
            {
                if (!uint.TryParse(param, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
                {
                    transaction.Respond(400, "Bad Request (malformed expires parameter)");
                    return;
                }
                expires = (int)Math.Min(p, int.MaxValue);
            }
            if (expires > 0 && expires < options.MinExpires)
            {
                // RFC 3261 §10.3 step 7: too short an interval is refused with the minimum we accept.
                transaction.Respond(423, null, r => r.Headers.Add(HeaderNames.MinExpires, options.MinExpires.ToString(CultureInfo.InvariantCulture)));
                return;
            }
            parsedContacts.Add((contact, Math.Min(expires, options.MaxExpires)));
        }

        var now = time.GetUtcNow();
        var callId = request.CallId ?? "";
        var cseq = request.CSeq?.Number ?? 0;
        // RFC 3327 §5.3: the edge proxy (Kamailio before several nodes) that added Path is how this phone is reached.
        var path = request.Headers.GetAll("Path");
        foreach (var (contact, expires) in parsedContacts)
        {
            var key = Binding.KeyOf(contact.Uri);
            var existing = locations.Find(extension.Number, key);
            // RFC 3261 §10.3 step 7: an older or repeated REGISTER of the same Call-ID must not undo a newer one.
            if (existing is not null && existing.CallId == callId && existing.CSeq >= cseq && existing.Expires > now) continue;
            if (expires == 0)
            {
                if (locations.Remove(extension.Number, key)) LogUnregistered(logger, extension.Number, contact.Uri.ToString());
                continue;
            }
            contact.Parameters.Remove("expires");
            var binding = new Binding(extension.Number, contact, now.AddSeconds(expires), callId, cseq, transaction.Remote,
                request.Headers.Get(HeaderNames.UserAgent)) { Path = path };
            if (existing is null || existing.Expires <= now) LogRegistered(logger, extension.Number, contact.Uri.ToString(), transaction.Remote.ToString(), expires);
            locations.Upsert(binding);
        }
        RespondWithBindings(transaction, extension.Number, path);
    }

    /// <param name="path">The request's Path, copied into the 200 OK as RFC 3327 §5.3 asks (so the UA sees it was kept).</param>
    private void RespondWithBindings(ServerTransaction transaction, string extension, IReadOnlyList<string>? path = null)
    {
        var now = time.GetUtcNow();
        transaction.Respond(200, null, r =>
        {
            foreach (var hop in path ?? []) r.Headers.Add("Path", hop);
            foreach (var binding in locations.Lookup(extension))
            {
                var remaining = Math.Max(0, (int)Math.Ceiling((binding.Expires - now).TotalSeconds));
                r.Headers.Add(HeaderNames.Contact, $"{binding.Contact};expires={remaining}");
            }
            r.Headers.Add(HeaderNames.Date, now.ToString("r", CultureInfo.InvariantCulture));
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Extension {Extension} registered {Contact} from {Source} for {Expires} s")]
    private static partial void LogRegistered(ILogger logger, string extension, string contact, string source, int expires);

    [LoggerMessage(Level = LogLevel.Information, Message = "Extension {Extension} unregistered {Contact}")]
    private static partial void LogUnregistered(ILogger logger, string extension, string contact);

    [LoggerMessage(Level = LogLevel.Information, Message = "Extension {Extension} unregistered all {Count} contacts")]
    private static partial void LogUnregisteredAll(ILogger logger, string extension, int count);
}
