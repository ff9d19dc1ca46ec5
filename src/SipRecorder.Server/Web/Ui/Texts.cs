namespace SipRecorder.Server.Web.Ui;

/// <summary>
/// The portal's words in English and Spanish (the manual's own Spanish where it has them). The language is the
/// switch's choice (a cookie), else the browser's Accept-Language, else English.
/// </summary>
public sealed class Texts
{
    public const string CookieName = "siprecorder_lang";

    private static readonly Dictionary<string, (string En, string Es)> Words = new(StringComparer.Ordinal)
    {
        ["login.title"] = ("Log in", "Iniciar sesión"),
        ["login.login"] = ("Login", "Usuario"),
        ["login.password"] = ("Password", "Contraseña"),
        ["login.submit"] = ("Log in", "Entrar"),
        ["login.wrong"] = ("Wrong login or password.", "Usuario o contraseña incorrectos."),
        ["login.throttled"] = ("Too many failed logins: try again in a few minutes.", "Demasiados intentos fallidos: inténtelo de nuevo en unos minutos."),
        ["nav.recordings"] = ("My recordings", "Mis grabaciones"),
        ["nav.extensions"] = ("Extensions", "Extensiones"),
        ["nav.users"] = ("Users", "Usuarios"),
        ["nav.logout"] = ("Log out", "Salir"),
        ["recordings.transferred"] = ("(transferred by {0} to {1})", "(transferida por {0} a {1})"),
        ["nav.password"] = ("Change password", "Cambiar contraseña"),
        ["password.title"] = ("Change password", "Cambiar contraseña"),
        ["password.current"] = ("Current password", "Contraseña actual"),
        ["password.new"] = ("New password", "Contraseña nueva"),
        ["password.repeat"] = ("New password again", "Repita la contraseña nueva"),
        ["password.submit"] = ("Change password", "Cambiar contraseña"),
        ["password.changed"] = ("Your password is changed. Your other sessions have been logged out.", "Su contraseña ha cambiado. Sus otras sesiones se han cerrado."),
        ["password.reset"] = ("Reset password", "Restablecer contraseña"),
        ["password.reset.new"] = ("New password for {0}", "Contraseña nueva para {0}"),
        ["password.reset.done"] = ("The password of {0} is changed and their sessions are logged out.", "La contraseña de {0} ha cambiado y sus sesiones se han cerrado."),
        ["password.error.repeat"] = ("The two new passwords differ.", "Las dos contraseñas nuevas no coinciden."),
        ["password.error.required"] = ("Type a new password.", "Escriba una contraseña nueva."),
        ["password.error.short"] = ("The new password needs at least {0} characters.", "La contraseña nueva necesita al menos {0} caracteres."),
        ["password.error.long"] = ("The new password may have at most {0} characters.", "La contraseña nueva puede tener como máximo {0} caracteres."),
        ["password.error.login"] = ("The new password must not be the login.", "La contraseña nueva no puede ser el usuario."),
        ["password.error.same"] = ("The new password is the current one.", "La contraseña nueva es la actual."),
        ["password.error.wrong"] = ("The current password is wrong.", "La contraseña actual no es correcta."),
        ["password.error.acting"] = ("While acting as another user, reset their password from the Users page.", "Mientras actúa como otro usuario, restablezca su contraseña desde Usuarios."),
        ["password.error.self"] = ("Change your own password with your current one.", "Cambie su propia contraseña con la actual."),
        ["password.error.role"] = ("Only an organization admin or an admin resets passwords.", "Solo un administrador restablece contraseñas."),
        ["password.error.unknown"] = ("No such user.", "No existe ese usuario."),
        ["nav.back"] = ("Back to my account", "Volver a mi cuenta"),
        ["nav.actingAs"] = ("Acting as {0}", "Actuando como {0}"),
        ["users.title"] = ("Users", "Usuarios"),
        ["users.login"] = ("Login", "Usuario"),
        ["users.name"] = ("Name", "Nombre"),
        ["users.organization"] = ("Organization", "Organización"),
        ["users.role"] = ("Role", "Rol"),
        ["users.recordings"] = ("Recorded calls", "Llamadas grabadas"),
        ["users.impersonate"] = ("Impersonate", "Impersonar"),
        ["role.Admin"] = ("Admin", "Administrador"),
        ["role.OrgAdmin"] = ("Organization admin", "Administrador de la organización"),
        ["role.User"] = ("User", "Usuario"),
        ["kind.Phone"] = ("Phone", "Teléfono"),
        ["kind.Conference"] = ("Conference room", "Sala de conferencias"),
        ["extensions.title"] = ("Extensions", "Extensiones"),
        ["extensions.number"] = ("Extension", "Extensión"),
        ["extensions.kind"] = ("Kind", "Tipo"),
        ["extensions.owner"] = ("User", "Usuario"),
        ["extensions.startMode"] = ("Start recording", "Empezar grabación"),
        ["extensions.state"] = ("State", "Estado"),
        ["extensions.callerId"] = ("Caller ID", "Llamante-ID"),
        ["state.registered"] = ("Registered ({0})", "Registrado ({0})"),
        ["state.unregistered"] = ("Not registered", "No registrado"),
        ["state.unknownDevice"] = ("a phone that did not say its name", "un teléfono que no dijo su nombre"),
        ["state.room"] = ("Conference room", "Sala de conferencias"),
        ["callerId.extension"] = ("{0} (the extension)", "{0} (la extensión)"),
        ["users.search"] = ("Search", "Buscar"),
        ["users.searchLabel"] = ("Search users by login, name or organization", "Buscar usuarios por usuario, nombre u organización"),
        ["users.showAll"] = ("Show all", "Mostrar todo"),
        ["users.none"] = ("No user matches.", "Ningún usuario coincide."),
        ["extension.title"] = ("Extension settings", "Configuración de la extensión"),
        ["extension.module"] = ("Call recording", "Grabación de llamadas"),
        ["extension.enabled"] = ("Call recording enabled", "Función de grabado de llamada activada"),
        ["extension.startMode"] = ("Start recording", "Empezar grabación"),
        ["extension.prompt"] = ("Recording sound (played when recording starts)", "Grabar sonido (cuando comienza la grabación)"),
        ["extension.autoDelete"] = ("Auto delete recordings older than (days, 0 = never, max 60)", "Auto eliminar grabaciones mayores de (días, 0 = nunca, máx. 60)"),
        ["extension.format"] = ("File format", "Formato de archivo"),
        ["extension.formatDefault"] = ("Server default", "Predeterminado del servidor"),
        ["extension.save"] = ("Save", "Guardar"),
        ["extension.saved"] = ("Saved: the next call follows these settings.", "Guardado: la próxima llamada sigue esta configuración."),
        ["extension.readOnly"] = ("Only an organization admin can change these settings.", "Solo un administrador de la organización puede cambiar esta configuración."),
        ["settings.error.body"] = ("a JSON body is required: { \"enabled\", \"startMode\", \"prompt\", \"autoDeleteDays\", \"format\" }",
            "se necesita un cuerpo JSON: { \"enabled\", \"startMode\", \"prompt\", \"autoDeleteDays\", \"format\" }"),
        ["settings.error.enabled"] = ("enabled is required (true or false)", "Indique si la grabación está activada."),
        ["settings.error.startMode"] = ("startMode must be one of Never, ConferencesOnly, OnDemand, Always, not '{0}'",
            "«Empezar grabación» debe ser Nunca, Solo conferencias, Cuando *1 es presionado o Todas, no «{0}»."),
        ["settings.error.conferencesOnlyOnPhone"] = ("ConferencesOnly applies to conference rooms: extension {0} is a phone, and none of its calls would be recorded",
            "«Solo conferencias» es para salas de conferencias: la extensión {0} es un teléfono y no se grabaría ninguna de sus llamadas."),
        ["settings.error.autoDeleteDays"] = ("autoDeleteDays must be between 0 and {0}, not {1}",
            "Los días de «Auto eliminar» deben estar entre 0 y {0}, no {1}."),
        ["settings.error.format"] = ("format must be wav, mp3 or opus (or null for the server's default), not '{0}'",
            "El formato debe ser WAV, MP3 u Opus (o el predeterminado del servidor), no «{0}»."),
        ["settings.error.prompt"] = ("prompt must be 'default', 'none' or the extension's provisioned prompt, not '{0}'",
            "El sonido debe ser el predeterminado, ninguno o el configurado para la extensión, no «{0}»."),
        ["mode.Never"] = ("Never", "Nunca"),
        ["mode.ConferencesOnly"] = ("Conferences only", "Solo conferencias"),
        ["mode.OnDemand"] = ("When *1 is pressed", "Cuando *1 es presionado"),
        ["mode.Always"] = ("All calls are recorded", "Todas las llamadas son grabadas"),
        ["prompt.default"] = ("this-call-may-be-monitored-or-recorded", "this-call-may-be-monitored-or-recorded"),
        ["prompt.none"] = ("None", "Ninguno"),
        ["recordings.title"] = ("Recorded calls of {0}", "Llamadas grabadas de {0}"),
        ["recordings.type"] = ("T", "T"),
        ["recordings.listen"] = ("Listen", "Escuchar"),
        ["recordings.from"] = ("From", "De"),
        ["recordings.to"] = ("To", "Para"),
        ["recordings.folder"] = ("Folder", "Carpeta"),
        ["recordings.size"] = ("Size", "Tamaño"),
        ["recordings.created"] = ("Created", "Creado"),
        ["recordings.showFolder"] = ("show folder:", "mostrar carpeta:"),
        ["recordings.all"] = ("all", "todo"),
        ["recordings.search"] = ("Search", "Buscar"),
        ["recordings.perPage"] = ("per page", "por página"),
        ["recordings.count"] = ("{0} recording(s)", "{0} mensaje(s)"),
        ["recordings.deleteSelected"] = ("Delete selected", "Eliminar seleccionado"),
        ["recordings.confirmDelete"] = ("Delete {0} selected recording(s)? This cannot be undone.", "¿Eliminar {0} grabación(es) seleccionada(s)? No se puede deshacer."),
        ["recordings.noneSelected"] = ("Select the recordings to delete first (the box at the end of each row).", "Seleccione primero las grabaciones que desea eliminar (la casilla al final de cada fila)."),
        ["recordings.deleted"] = ("{0} recording(s) deleted.", "{0} grabación(es) eliminada(s)."),
        ["recordings.typeTitle"] = ("Direction", "Dirección"),
        ["recordings.searchLabel"] = ("Search by number or name", "Buscar por número o nombre"),
        ["recordings.selectAll"] = ("Select every recording on this page", "Seleccionar todas las grabaciones de esta página"),
        ["recordings.selectOne"] = ("Select the recording with {0} ({1})", "Seleccionar la grabación con {0} ({1})"),
        ["status.Recording"] = ("Recording in progress", "Grabación en curso"),
        ["status.Failed"] = ("Failed", "Fallida"),
        ["status.Recovered"] = ("Recovered after a crash", "Recuperada tras un fallo"),
        ["status.Complete"] = ("Complete", "Completa"),
        ["detail.title"] = ("Recording", "Grabación"),
        ["detail.back"] = ("Back to the list", "Volver a la lista"),
        ["detail.link"] = ("Details of this recording", "Detalles de esta grabación"),
        ["detail.extension"] = ("Recorded extension", "Extensión grabada"),
        ["detail.started"] = ("Recording started", "La grabación empezó"),
        ["detail.startedAlways"] = ("when the call was answered (the extension records all calls)", "al contestar la llamada (la extensión graba todas las llamadas)"),
        ["detail.startedByCode"] = ("when *1 was dialled, {0} into the call", "al marcar *1, a los {0} de llamada"),
        ["detail.startedInRoom"] = ("on entering the conference room", "al entrar en la sala de conferencias"),
        ["detail.startedUnknown"] = ("not recorded (an older recording)", "no consta (una grabación antigua)"),
        ["detail.transfer"] = ("Transfer", "Transferencia"),
        ["detail.quality"] = ("Call quality", "Calidad de la llamada"),
        ["detail.noQuality"] = ("No media figures for this recording (still recording, recovered after a crash, a conference, or older).",
            "No hay cifras de audio de esta grabación (en curso, recuperada tras un fallo, una conferencia o antigua)."),
        ["detail.qualityCaption"] = ("Each party's audio as SipRecorder received it; the MOS is the ITU-T G.107 E-model's estimate (1 bad to 4.5 best).",
            "El audio de cada parte tal como lo recibió SipRecorder; el MOS es la estimación del modelo E de ITU-T G.107 (1 malo a 4,5 óptimo)."),
        ["detail.party"] = ("From the", "De"),
        ["detail.caller"] = ("caller", "quien llama"),
        ["detail.called"] = ("called party", "quien recibe"),
        ["detail.codec"] = ("Codec", "Códec"),
        ["detail.packets"] = ("Packets", "Paquetes"),
        ["detail.lost"] = ("Lost", "Perdidos"),
        ["detail.duplicated"] = ("Duplicated", "Duplicados"),
        ["detail.outOfOrder"] = ("Late (out of order)", "Tardíos (desordenados)"),
        ["detail.jitter"] = ("Jitter", "Jitter"),
        ["detail.mos"] = ("Estimated MOS", "MOS estimado"),
        ["mos.best"] = ("very satisfied", "muy satisfecho"),
        ["mos.high"] = ("satisfied", "satisfecho"),
        ["mos.medium"] = ("some dissatisfied", "algunos insatisfechos"),
        ["mos.low"] = ("many dissatisfied", "muchos insatisfechos"),
        ["mos.poor"] = ("nearly all dissatisfied", "casi todos insatisfechos"),
        ["player.waveform"] = ("Waveform: the recorded extension above the line, the other party below", "Forma de onda: la extensión grabada sobre la línea, la otra parte debajo"),
        ["player.noWaveform"] = ("No waveform for this recording (recorded before waveforms were kept, or recovered after a crash).",
            "Esta grabación no tiene forma de onda (grabada antes de guardarlas, o recuperada tras un fallo)."),
        ["player.pause"] = ("Pause", "Pausa"),
        ["player.seek"] = ("Position in the recording", "Posición en la grabación"),
        ["player.of"] = ("{0} of {1}", "{0} de {1}"),
        ["player.left"] = ("Recorded extension", "Extensión grabada"),
        ["player.right"] = ("Other party", "Otra parte"),
        ["player.missing"] = ("This recording cannot be played: its file is missing.", "Esta grabación no se puede reproducir: falta su archivo."),
        ["player.failed"] = ("This recording cannot be played in this browser. Download it instead.", "Esta grabación no se puede reproducir en este navegador. Descárguela."),
        ["extension.conferencesOnlyOnPhone"] = ("This extension is a phone set to \"Conferences only\": none of its calls are recorded. Choose another start mode.",
            "Esta extensión es un teléfono con «Solo conferencias»: no se graba ninguna de sus llamadas. Elija otro modo de inicio."),
        ["recordings.play"] = ("Play", "Reproducir"),
        ["recordings.stop"] = ("Stop", "Detener"),
        ["recordings.download"] = ("Download", "Descargar"),
        ["recordings.incoming"] = ("Incoming", "Entrante"),
        ["recordings.outgoing"] = ("Outgoing", "Saliente"),
        ["recordings.none"] = ("No recordings.", "No hay grabaciones."),
        ["recordings.previous"] = ("Previous", "Anterior"),
        ["recordings.next"] = ("Next", "Siguiente"),
        ["recordings.page"] = ("Page {0} of {1}", "Página {0} de {1}"),
        ["filter.title"] = ("More filters, sorting and export", "Más filtros, orden y exportación"),
        ["filter.from"] = ("From", "Desde"),
        ["filter.to"] = ("To", "Hasta"),
        ["filter.direction"] = ("Direction", "Dirección"),
        ["filter.status"] = ("Status", "Estado"),
        ["filter.number"] = ("Number starts with", "Número empieza por"),
        ["filter.sort"] = ("Sort by", "Ordenar por"),
        ["filter.order"] = ("Order", "Sentido"),
        ["filter.apply"] = ("Apply", "Aplicar"),
        ["filter.clear"] = ("Clear filters", "Quitar filtros"),
        ["filter.csv"] = ("Export CSV", "Exportar CSV"),
        ["direction.Incoming"] = ("Incoming", "Entrante"),
        ["direction.Outgoing"] = ("Outgoing", "Saliente"),
        ["direction.Internal"] = ("Internal", "Interna"),
        ["sort.Created"] = ("Created", "Fecha"),
        ["sort.Duration"] = ("Duration", "Duración"),
        ["sort.Size"] = ("Size", "Tamaño"),
        ["order.desc"] = ("Largest or newest first", "Mayor o más reciente primero"),
        ["order.asc"] = ("Smallest or oldest first", "Menor o más antiguo primero"),
        ["recordings.goToPage"] = ("Go to page", "Ir a la página"),
        ["recordings.go"] = ("Go", "Ir"),
        ["list.error.page"] = ("page must be a whole number from 1, not '{0}'", "La página debe ser un número entero desde 1, no «{0}»."),
        ["list.error.pageSize"] = ("pageSize must be 10, 25 or 100, not '{0}'", "Por página debe ser 10, 25 o 100, no «{0}»."),
        ["list.error.tz"] = ("tz must be the browser's offset from UTC in minutes, not '{0}'", "tz debe ser la diferencia con UTC en minutos, no «{0}»."),
        ["list.error.date"] = ("{0} must be a date (2026-12-04) or a time with its offset (2026-12-04T09:30:00+01:00), not '{1}'",
            "«{0}» debe ser una fecha (2026-12-04) o una hora con su zona (2026-12-04T09:30:00+01:00), no «{1}»."),
        ["list.error.direction"] = ("direction must be incoming, outgoing or internal, not '{0}'", "La dirección debe ser entrante, saliente o interna, no «{0}»."),
        ["list.error.status"] = ("status must be Recording, Complete, Failed or Recovered, not '{0}'", "El estado debe ser en curso, completa, fallida o recuperada, no «{0}»."),
        ["list.error.number"] = ("number must be digits (a leading + allowed), not '{0}'", "El número debe tener solo cifras (y un + delante), no «{0}»."),
        ["list.error.sort"] = ("sort must be created, duration or size, not '{0}'", "El orden debe ser por fecha, duración o tamaño, no «{0}»."),
        ["list.error.order"] = ("order must be asc or desc, not '{0}'", "El sentido debe ser ascendente o descendente, no «{0}»."),
        ["storage.title"] = ("Storage", "Espacio de almacenamiento"),
        ["storage.organization"] = ("Organization {0}: {1} of {2}", "Organización {0}: {1} de {2}"),
        ["storage.user"] = ("User {0}: {1} of {2}", "Usuario {0}: {1} de {2}"),
        ["storage.organizationUnlimited"] = ("Organization {0}: {1} (no limit)", "Organización {0}: {1} (sin límite)"),
        ["storage.userUnlimited"] = ("User {0}: {1} (no limit)", "Usuario {0}: {1} (sin límite)"),
        ["storage.full"] = ("Storage full: new calls are not being recorded.", "Almacenamiento lleno: las llamadas nuevas no se están grabando."),
        ["error.notFound"] = ("Not found.", "No encontrado."),
    };

    private Texts(string language) => Language = language;

    public static Texts English { get; } = new("en");
    public static Texts Spanish { get; } = new("es");

    /// <summary>"en" or "es".</summary>
    public string Language { get; }

    /// <summary>How numbers are written in this language (a decimal comma in Spanish).</summary>
    public IFormatProvider Culture => Language == "es" ? SpanishNumbers : System.Globalization.NumberFormatInfo.InvariantInfo;

    // Written out rather than taken from ICU's es-ES, so a machine without ICU data writes the same.
    private static readonly System.Globalization.NumberFormatInfo SpanishNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    public string this[string key] => Words.TryGetValue(key, out var w) ? (Language == "es" ? w.Es : w.En) : key;

    public string Format(string key, params object[] values) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], values);

    public static Texts For(HttpContext http)
    {
        var chosen = http.Request.Query["lang"].ToString();
        if (chosen is "en" or "es")
        {
            http.Response.Cookies.Append(CookieName, chosen, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) });
            return chosen == "es" ? Spanish : English;
        }
        if (http.Request.Cookies[CookieName] is "es") return Spanish;
        if (http.Request.Cookies[CookieName] is "en") return English;
        foreach (var language in http.Request.Headers.AcceptLanguage.ToString().Split(','))
        {
            var tag = language.Split(';')[0].Trim();
            if (tag.StartsWith("es", StringComparison.OrdinalIgnoreCase)) return Spanish;
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase)) return English;
        }
        return English;
    }
}
