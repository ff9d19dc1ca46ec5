using static SipRecorder.Sip.Tests.Torture.Rfc4475Sdp;

namespace SipRecorder.Sip.Tests.Torture;

/// <summary>
/// Every test message of RFC 4475 (SIP Torture Test Messages), transcribed from the RFC: §3.1.1 valid and §3.1.2
/// invalid syntax, §3.2 transaction and §3.3 application semantics, §3.4 RFC 2543 compatibility. Lines end CRLF
/// on the wire as in the RFC's files; non-printable octets, written &lt;hex&gt; in the RFC, are escaped here.
/// The answers are those RFC 4475 asks of a UAS, narrowed to this PBX where the RFC leaves a choice: every INVITE
/// and REGISTER from an unknown party is challenged first (407/401), so a body or Accept problem in an INVITE
/// (invut, sdp01) is only seen after authentication (tested in the PBX's call tests).
/// </summary>
public static class Rfc4475
{
    private const int Drop = 0;
    private static readonly int[] NoAnswer = [];
    private static readonly int[] Challenge = [407];
    private static readonly int[] RegisterRefusedOrChallenged = [401, 403, 404];
    private static readonly int[] UnknownMethod = [405, 501];

    // Built on first use: the message texts below are static fields initialised after this one would be.
    public static IReadOnlyList<Rfc4475Case> All => s_all ??=
    [
        // wsinv's To carries a tag: a request inside a dialog that does not exist here (RFC 3261 §12.2.2).
        Valid("wsinv", "3.1.1.1", Wsinv, [481]),
        Valid("intmeth", "3.1.1.2", Intmeth, UnknownMethod),
        Valid("esc01", "3.1.1.3", Esc01, Challenge),
        Valid("escnull", "3.1.1.4", Escnull, RegisterRefusedOrChallenged),
        Valid("esc02", "3.1.1.5", Esc02, UnknownMethod),
        Valid("lwsdisp", "3.1.1.6", Lwsdisp, [200]),
        Valid("longreq", "3.1.1.7", Longreq, Challenge),
        Valid("dblreq", "3.1.1.8", Dblreq, RegisterRefusedOrChallenged),
        Valid("semiuri", "3.1.1.9", Semiuri, [200]),
        Valid("transports", "3.1.1.10", Transports, [200]),
        new("mpart01", "3.1.1.11", Mpart01(), TortureSyntax.Valid, 0, UnknownMethod),
        Valid("unreason", "3.1.1.12", Unreason, NoAnswer),
        Valid("noreason", "3.1.1.13", Noreason, NoAnswer),

        Refused("badinv01", "3.1.2.1", Badinv01, 400),
        Refused("clerr", "3.1.2.2", Clerr, 400),
        Refused("ncl", "3.1.2.3", Ncl, 400),
        Refused("scalar02", "3.1.2.4", Scalar02, 400),
        Dropped("scalarlg", "3.1.2.5", Scalarlg),
        Refused("quotbal", "3.1.2.6", Quotbal, 400),
        Refused("ltgtruri", "3.1.2.7", Ltgtruri, 400),
        Refused("lwsruri", "3.1.2.8", Lwsruri, 400),
        Refused("lwsstart", "3.1.2.9", Lwsstart, 400),
        Refused("trws", "3.1.2.10", Trws, 400),
        Refused("escruri", "3.1.2.11", Escruri, 400),
        // §3.1.2.12 lets an element that does not use Date accept this one; nothing here reads Date.
        Valid("baddate", "3.1.2.12", Baddate, Challenge),
        Refused("regbadct", "3.1.2.13", Regbadct, 400),
        Refused("badaspec", "3.1.2.14", Badaspec, 400),
        Refused("baddn", "3.1.2.15", Baddn, 400),
        Refused("badvers", "3.1.2.16", Badvers, 505),
        Refused("mismatch01", "3.1.2.17", Mismatch01, 400),
        Refused("mismatch02", "3.1.2.18", Mismatch02, 400),
        Dropped("bigcode", "3.1.2.19", Bigcode),

        Valid("badbranch", "3.2.1", Badbranch, [200, 400]),

        Refused("insuf", "3.3.1", Insuf, 400),
        Refused("unkscm", "3.3.2", Unkscm, 416),
        Refused("novelsc", "3.3.3", Novelsc, 416),
        Valid("unksm2", "3.3.4", Unksm2, [400]),
        Valid("bext01", "3.3.5", Bext01, [420]),
        Valid("invut", "3.3.6", Invut, Challenge),
        Valid("regaut01", "3.3.7", Regaut01, [401]),
        Refused("multi01", "3.3.8", Multi01, 400),
        Refused("mcl01", "3.3.9", Mcl01, 400),
        Valid("bcast", "3.3.10", Bcast, NoAnswer),
        Valid("zeromf", "3.3.11", Zeromf, [200, 483]),
        Valid("cparam01", "3.3.12", Cparam01, RegisterRefusedOrChallenged),
        Valid("cparam02", "3.3.13", Cparam02, RegisterRefusedOrChallenged),
        Valid("regescrt", "3.3.14", Regescrt, RegisterRefusedOrChallenged),
        Valid("sdp01", "3.3.15", Sdp01, Challenge),

        Valid("inv2543", "3.4.1", Inv2543, Challenge),
    ];

    private static IReadOnlyList<Rfc4475Case>? s_all;

    /// <summary>One message's bytes by its RFC name ("wsinv").</summary>
    public static byte[] Message(string name) => All.Single(c => c.Name == name).Bytes;

    private static Rfc4475Case Valid(string name, string section, string text, int[] answers) =>
        new(name, section, Wire(text), TortureSyntax.Valid, 0, answers);

    private static Rfc4475Case Refused(string name, string section, string text, int status) =>
        new(name, section, Wire(text), TortureSyntax.Refused, status, [status]);

    private static Rfc4475Case Dropped(string name, string section, string text) =>
        new(name, section, Wire(text), TortureSyntax.Dropped, Drop, NoAnswer);

    /// <summary>CRLF line ends, and the RFC's &lt;hex&gt; octets.</summary>
    private static byte[] Wire(string text) => RfcMessages.Bytes(text
        .Replace("«BEL»", "\u0007").Replace("«NUL»", "\0").Replace("«DEL»", "\u007f").Replace("«BOM»", "\ufeff"));

    private static readonly string Wsinv = $"""
        INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
        TO :
         sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
        from   : "J Rosenberg \\\""       <sip:jdrosen@example.com>
          ;
          tag = 98asjd8
        MaX-fOrWaRdS: 0068
        Call-ID: wsinv.ndaksdj@192.0.2.1
        Content-Length   : 150
        cseq: 0009
          INVITE
        Via  : SIP  /   2.0
         /UDP
            192.0.2.2;branch=390skdjuw
        s :
        NewFangledHeader:   newfangled value
         continued newfangled value
        UnknownHeaderWithUnusualValue: ;;,,;;,;
        Content-Type: application/sdp
        Route:
         <sip:services.example.com;lr;unknownwith=value;unknown-no-value>
        v:  SIP  / 2.0  / TCP     spindle.example.com   ;
          branch  =   z9hG4bK9ikj8  ,
         SIP  /    2.0   / UDP  192.168.255.111   ; branch=
         z9hG4bK30239
        m:"Quoted string \"\"" <sip:jdrosen@example.com> ; newparam =
              newvalue ;
          secondparam ; q = 0.33

        {Body("192.0.2.3", "192.0.2.4")}
        """;

    private const string Intmeth = """
        !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
        Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
        To: "BEL:\«BEL» NUL:\«NUL» DEL:\«DEL»" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
        From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="работающий";tag=_token~1'+`*%!-.
        Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{
        CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
        Max-Forwards: 255
        extensionHeader-!.%*+_`'~:«BOM»大停電
        Content-Length: 0


        """;

    private static readonly string Esc01 = $"""
        INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
        To: sip:%75se%72@example.com
        From: <sip:I%20have%20spaces@example.net>;tag=938
        Max-Forwards: 87
        i: esc01.239409asdfakjkn23onasd0-3234
        CSeq: 234234 INVITE
        Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw
        C: application/sdp
        Contact:
          <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
        Content-Length: 150

        {Body("192.0.2.1")}
        """;

    private const string Escnull = """
        REGISTER sip:example.com SIP/2.0
        To: sip:null-%00-null@example.com
        From: sip:null-%00-null@example.com;tag=839923423
        Max-Forwards: 70
        Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd
        CSeq: 14398234 REGISTER
        Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
        Contact: <sip:%00@host5.example.com>
        Contact: <sip:%00%00@host5.example.com>
        L:0


        """;

    private const string Esc02 = """
        RE%47IST%45R sip:registrar.example.com SIP/2.0
        To: "%Z%45" <sip:resource@example.com>
        From: "%Z%45" <sip:resource@example.com>;tag=f232jadfj23
        Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
        Via: SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234
        CSeq: 29344 RE%47IST%45R
        Max-Forwards: 70
        Contact: <sip:alias1@host1.example.com>
        C%6Fntact: <sip:alias2@host2.example.com>
        Contact: <sip:alias3@host3.example.com>
        l: 0


        """;

    private const string Lwsdisp = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:user@example.com
        From: caller<sip:caller@example.com>;tag=323
        Max-Forwards: 70
        Call-ID: lwsdisp.1234abcd@funky.example.com
        CSeq: 60 OPTIONS
        Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
        l: 0


        """;

    private static readonly string Longreq = $"""
        INVITE sip:user@example.com SIP/2.0
        To: "I have a user name of {Repeat("extreme", 10)} proportion"<sip:user@example.com:6000;unknownparam1=very{Repeat("long", 20)}value;longparam{Repeat("name", 25)}=shortvalue;very{Repeat("long", 25)}ParameterNameWithNoValue>
        F: sip:{Repeat("amazinglylongcallername", 5)}@example.net;tag=12{Repeat("982", 50)}424;unknownheaderparam{Repeat("name", 20)}=unknowheaderparam{Repeat("value", 15)};unknownValueless{Repeat("paramname", 10)}
        Call-ID: longreq.one{Repeat("really", 20)}longcallid
        CSeq: 3882340 INVITE
        Unknown-{Repeat("Long", 20)}-Name: unknown-{Repeat("long", 20)}-value; unknown-{Repeat("long", 20)}-parameter-name = unknown-{Repeat("long", 20)}-parameter-value
        Via: SIP/2.0/TCP sip33.example.com
        v: SIP/2.0/TCP sip32.example.com
        V: SIP/2.0/TCP sip31.example.com
        Via: SIP/2.0/TCP sip30.example.com
        ViA: SIP/2.0/TCP sip29.example.com
        VIa: SIP/2.0/TCP sip28.example.com
        VIA: SIP/2.0/TCP sip27.example.com
        via: SIP/2.0/TCP sip26.example.com
        viA: SIP/2.0/TCP sip25.example.com
        vIa: SIP/2.0/TCP sip24.example.com
        vIA: SIP/2.0/TCP sip23.example.com
        V :  SIP/2.0/TCP sip22.example.com
        v :  SIP/2.0/TCP sip21.example.com
        V  : SIP/2.0/TCP sip20.example.com
        v  : SIP/2.0/TCP sip19.example.com
        Via : SIP/2.0/TCP sip18.example.com
        Via  : SIP/2.0/TCP sip17.example.com
        Via: SIP/2.0/TCP sip16.example.com
        Via: SIP/2.0/TCP sip15.example.com
        Via: SIP/2.0/TCP sip14.example.com
        Via: SIP/2.0/TCP sip13.example.com
        Via: SIP/2.0/TCP sip12.example.com
        Via: SIP/2.0/TCP sip11.example.com
        Via: SIP/2.0/TCP sip10.example.com
        Via: SIP/2.0/TCP sip9.example.com
        Via: SIP/2.0/TCP sip8.example.com
        Via: SIP/2.0/TCP sip7.example.com
        Via: SIP/2.0/TCP sip6.example.com
        Via: SIP/2.0/TCP sip5.example.com
        Via: SIP/2.0/TCP sip4.example.com
        Via: SIP/2.0/TCP sip3.example.com
        Via: SIP/2.0/TCP sip2.example.com
        Via: SIP/2.0/TCP sip1.example.com
        Via: SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=very{Repeat("long", 50)}branchvalue
        Max-Forwards: 70
        Contact: <sip:{Repeat("amazinglylongcallername", 5)}@host5.example.net>
        Content-Type: application/sdp
        l: 150

        {Body("192.0.2.1")}
        """;

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static readonly string Dblreq = $"""
        REGISTER sip:example.com SIP/2.0
        To: sip:j.user@example.com
        From: sip:j.user@example.com;tag=43251j3j324
        Max-Forwards: 8
        I: dblreq.0ha0isndaksdj99sdfafnl3lk233412
        Contact: sip:j.user@host.example.com
        CSeq: 8 REGISTER
        Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKkdjuw23492
        Content-Length: 0

        INVITE sip:joe@example.com SIP/2.0
        t: sip:joe@example.com
        From: sip:caller@example.net;tag=141334
        Max-Forwards: 8
        Call-ID: dblreq.0ha0isnda977644900765@192.0.2.15
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw380234
        Content-Type: application/sdp
        Content-Length: 150

        {Body("192.0.2.15").Replace("m=video", "m =video")}
        """;

    private const string Semiuri = """
        OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
        To: sip:j_user@example.com
        From: sip:caller@example.org;tag=33242
        Max-Forwards: 3
        Call-ID: semiuri.0ha0isndaksdj
        CSeq: 8 OPTIONS
        Accept: application/sdp, application/pkcs7-mime,
                multipart/mixed, multipart/signed,
                message/sip, message/sipfrag
        Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
        l: 0


        """;

    private const string Transports = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:user@example.com
        From: <sip:caller@example.com>;tag=323
        Max-Forwards: 70
        Call-ID:  transports.kijh4akdnaqjkwendsasfdj
        Accept: application/sdp
        CSeq: 60 OPTIONS
        Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
        Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
        Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
        Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
        Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
        l: 0


        """;

    /// <summary>
    /// §3.1.1.11: a multipart body whose second part is binary (a CMS signature in the RFC, holding CR, LF and NUL
    /// octets). Only its framing matters to a parser, so the binary part here is our own octets of the same kind,
    /// sized so that the body is the RFC's 553 octets.
    /// </summary>
    private static byte[] Mpart01()
    {
        var head = RfcMessages.Bytes("""
            MESSAGE sip:kumiko@example.org SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport
            Max-Forwards: 70
            Route: <sip:127.0.0.1:5080>
            Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuLIK0YWVKZhKv9Mj8UeXqkMVbnVq37CD+813gvYjcBUaZngQmXc9WNZSDNGCzA+fWl9MEUHWIZo1CeJebdY/XlgKeTa0Olvq0rt70Q5jiSfbqMJmQFteeivUhkMWYUA=
            Contact: <sip:fluffy@127.0.0.1:5070>
            To: <sip:kumiko@example.org>
            From: <sip:fluffy@example.com>;tag=2fb0dcc9
            Call-ID: 3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..
            CSeq: 1 MESSAGE
            Content-Transfer-Encoding: binary
            Content-Type: multipart/mixed;boundary=7a9cbec02ceef655
            Date: Sat, 15 Oct 2005 04:44:56 GMT
            User-Agent: SIPimp.org/0.2.5 (curses)
            Content-Length: 553


            """);
        var partsBefore = RfcMessages.Bytes("""
            --7a9cbec02ceef655
            Content-Type: text/plain
            Content-Transfer-Encoding: binary

            Hello
            --7a9cbec02ceef655
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: binary


            """);
        var partsAfter = RfcMessages.Bytes("""

            --7a9cbec02ceef655--

            """);
        var binary = new byte[553 - partsBefore.Length - partsAfter.Length];
        for (var i = 0; i < binary.Length; i++) binary[i] = (byte)(i * 37 % 256);
        binary[10] = 0; binary[11] = (byte)'\r'; binary[12] = (byte)'\n'; binary[40] = (byte)'\n';
        return [.. head, .. partsBefore, .. binary, .. partsAfter];
    }

    private static readonly string Unreason = $"""
        SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое
        Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
        Call-ID: unreason.1234ksdfak3j2erwedfsASdf
        CSeq: 35 INVITE
        From: sip:user@example.com;tag=11141343
        To: sip:user@example.edu;tag=2229
        Content-Length: 154
        Content-Type: application/sdp
        Contact: <sip:user@host198.example.com>

        {Body("192.0.2.198")}
        """;

    private const string Noreason = """
        SIP/2.0 100 
        Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
        Call-ID: noreason.asndj203insdf99223ndf
        CSeq: 35 INVITE
        From: <sip:user@example.com>;tag=39ansfi3
        To: <sip:user@example.edu>;tag=902jndnke3
        Content-Length: 0
        Contact: <sip:user@host105.example.com>


        """;

    private static readonly string Badinv01 = $"""
        INVITE sip:user@example.com SIP/2.0
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=134161461246
        Max-Forwards: 7
        Call-ID: badinv01.0ha0isndaksdjasdf3234nas
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP 192.0.2.15;;,;,,
        Contact: "Joe" <sip:joe@example.org>;;;;
        Content-Length: 152
        Content-Type: application/sdp

        {Body("192.0.2.15")}
        """;

    private static readonly string Clerr = $"""
        INVITE sip:user@example.com SIP/2.0
        Max-Forwards: 80
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=93942939o2
        Contact: <sip:caller@hungry.example.net>
        Call-ID: clerr.0ha0isndaksdjweiafasdk3
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bK-39234-23523
        Content-Type: application/sdp
        Content-Length: 9999

        {Body("192.0.2.155")}
        """;

    private static readonly string Ncl = $"""
        INVITE sip:user@example.com SIP/2.0
        Max-Forwards: 254
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=32394234
        Call-ID: ncl.0ha0isndaksdj2193423r542w35
        CSeq: 0 INVITE
        Via: SIP/2.0/UDP 192.0.2.53;branch=z9hG4bKkdjuw
        Contact: <sip:caller@example53.example.net>
        Content-Type: application/sdp
        Content-Length: -999

        {Body("192.0.2.53")}
        """;

    private static readonly string Scalar02 = $"""
        REGISTER sip:example.com SIP/2.0
        Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3
        To: <sip:user@example.com>
        From: <sip:user@example.com>;tag=239232jh3
        CSeq: 36893488147419103232 REGISTER
        Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32
        Max-Forwards: 300
        Expires: 1{new string('0', 100)}
        Contact: <sip:user@host129.example.com>
          ;expires=280297596632815
        Content-Length: 0


        """;

    private const string Scalarlg = """
        SIP/2.0 503 Service Unavailable
        Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129
        To: <sip:user@example.com>
        From: <sip:other@example.net>;tag=2easdjfejw
        CSeq: 9292394834772304023312 OPTIONS
        Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r
        Retry-After: 949302838503028349304023988
        Warning: 1812 overture "In Progress"
        Content-Length: 0


        """;

    private static readonly string Quotbal = $"""
        INVITE sip:user@example.com SIP/2.0
        To: "Mr. J. User <sip:j.user@example.com>
        From: sip:caller@example.net;tag=93334
        Max-Forwards: 10
        Call-ID: quotbal.aksdj
        Contact: <sip:caller@host59.example.net>
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP 192.0.2.59:5050;branch=z9hG4bKkdjuw39234
        Content-Type: application/sdp
        Content-Length: 152

        {Body("192.0.2.15")}
        """;

    private static readonly string Ltgtruri = $"""
        INVITE <sip:user@example.com> SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=39291
        Max-Forwards: 23
        Call-ID: ltgtruri.1@192.0.2.5
        CSeq: 1 INVITE
        Via: SIP/2.0/UDP 192.0.2.5
        Contact: <sip:caller@host5.example.net>
        Content-Type: application/sdp
        Content-Length: 159

        {Body("192.0.2.5", "192.0.2.5", "3149328700 0")}
        """;

    private static readonly string Lwsruri = $"""
        INVITE sip:user@example.com; lr SIP/2.0
        To: sip:user@example.com;tag=3xfe-9921883-z9f
        From: sip:caller@example.net;tag=231413434
        Max-Forwards: 5
        Call-ID: lwsruri.asdfasdoeoi2323-asdfwrn23-asd834rk423
        CSeq: 2130706432 INVITE
        Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395
        Contact: <sip:caller@host1.example.net>
        Content-Type: application/sdp
        Content-Length: 159

        {Body("192.0.2.1", "192.0.2.1", "3149328700 0")}
        """;

    private static readonly string Lwsstart = $"""
        INVITE  sip:user@example.com  SIP/2.0
        Max-Forwards: 8
        To: sip:user@example.com
        From: sip:caller@example.net;tag=8814
        Call-ID: lwsstart.dfknq234oi243099adsdfnawe3@example.com
        CSeq: 1893884 INVITE
        Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw3923
        Contact: <sip:caller@host1.example.net>
        Content-Type: application/sdp
        Content-Length: 150

        {Body("192.0.2.1")}
        """;

    // The request line ends in two spaces after the version.
    private const string Trws = """
        OPTIONS sip:remote-target@example.com SIP/2.0  
        Via: SIP/2.0/TCP host1.examle.com;branch=z9hG4bK299342093
        To: <sip:remote-target@example.com>
        From: <sip:local-resource@example.com>;tag=329429089
        Call-ID: trws.oicu34958239neffasdhr2345r
        Accept: application/sdp
        CSeq: 238923 OPTIONS
        Max-Forwards: 70
        Content-Length: 0


        """;

    private static readonly string Escruri = $"""
        INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=341518
        Max-Forwards: 7
        Contact: <sip:caller@host39923.example.net>
        Call-ID: escruri.23940-asdfhj-aje3br-234q098w-fawerh2q-h4n5
        CSeq: 149209342 INVITE
        Via: SIP/2.0/UDP host-of-the-hour.example.com;branch=z9hG4bKkdjuw
        Content-Type: application/sdp
        Content-Length: 150

        {Body("192.0.2.1")}
        """;

    private static readonly string Baddate = $"""
        INVITE sip:user@example.com SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=2234923
        Max-Forwards: 70
        Call-ID: baddate.239423mnsadf3j23lj42--sedfnm234
        CSeq: 1392934 INVITE
        Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
        Date: Fri, 01 Jan 2010 16:00:00 EST
        Contact: <sip:caller@host5.example.net>
        Content-Type: application/sdp
        Content-Length: 150

        {Body("192.0.2.5")}
        """;

    private const string Regbadct = """
        REGISTER sip:example.com SIP/2.0
        To: sip:user@example.com
        From: sip:user@example.com;tag=998332
        Max-Forwards: 70
        Call-ID: regbadct.k345asrl3fdbv@10.0.0.1
        CSeq: 1 REGISTER
        Via: SIP/2.0/UDP 135.180.130.133:5060;branch=z9hG4bKkdjuw
        Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E
        l: 0


        """;

    private const string Badaspec = """
        OPTIONS sip:user@example.org SIP/2.0
        Via: SIP/2.0/UDP host4.example.com:5060;branch=z9hG4bKkdju43234
        Max-Forwards: 70
        From: "Bell, Alexander" <sip:a.g.bell@example.com>;tag=433423
        To: "Watson, Thomas" < sip:t.watson@example.org >
        Call-ID: badaspec.sdf0234n2nds0a099u23h3hnnw009cdkne3
        Accept: application/sdp
        CSeq: 3923239 OPTIONS
        l: 0


        """;

    private const string Baddn = """
        OPTIONS sip:t.watson@example.org SIP/2.0
        Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw
        Max-Forwards:      70
        From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43
        To:      Watson, Thomas <sip:t.watson@example.org>
        Call-ID: baddn.31415@c.example.com
        Accept: application/sdp
        CSeq:    3923239 OPTIONS
        l: 0


        """;

    private const string Badvers = """
        OPTIONS sip:t.watson@example.org SIP/7.0
        Via:     SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw
        Max-Forwards:     70
        From:    A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe
        To:      T. Watson <sip:t.watson@example.org>
        Call-ID: badvers.31417@c.example.com
        CSeq:    1 OPTIONS
        l: 0


        """;

    private const string Mismatch01 = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=34525
        Max-Forwards: 6
        Call-ID: mismatch01.dj0234sxdfl3
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP host.example.com;branch=z9hG4bKkdjuw
        l: 0


        """;

    private const string Mismatch02 = """
        NEWMETHOD sip:user@example.com SIP/2.0
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=34525
        Max-Forwards: 6
        Call-ID: mismatch02.dj0234sxdfl3
        CSeq: 8 INVITE
        Contact: <sip:caller@host.example.net>
        Via: SIP/2.0/UDP host.example.net;branch=z9hG4bKkdjuw
        Content-Type: application/sdp
        l: 138

        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.1
        c=IN IP4 192.0.2.1
        m=audio 49217 RTP/AVP 0 12
        m=video 3227 RTP/AVP 31
        a=rtpmap:31 LPC

        """;

    private const string Bigcode = """
        SIP/2.0 4294967301 better not break the receiver
        Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
        Call-ID: bigcode.asdof3uj203asdnf3429uasdhfas3ehjasdfas9i
        CSeq: 353494 INVITE
        From: <sip:user@example.com>;tag=39ansfi3
        To: <sip:user@example.edu>;tag=902jndnke3
        Content-Length: 0
        Contact: <sip:user@host105.example.com>


        """;

    private const string Badbranch = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.org;tag=33242
        Max-Forwards: 3
        Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK
        Accept: application/sdp
        Call-ID: badbranch.sadonfo23i420jv0as0derf3j3n
        CSeq: 8 OPTIONS
        l: 0


        """;

    private static readonly string Insuf = $"""
        INVITE sip:user@example.com SIP/2.0
        CSeq: 193942 INVITE
        Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf
        Content-Type: application/sdp
        l: 152

        {Body("192.0.2.95")}
        """;

    private const string Unkscm = """
        OPTIONS nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=384
        Max-Forwards: 3
        Call-ID: unkscm.nasdfasser0q239nwsdfasdkl34
        CSeq: 3923423 OPTIONS
        Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
        Content-Length: 0


        """;

    private const string Novelsc = """
        OPTIONS soap.beep://192.0.2.103:3002 SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=384
        Max-Forwards: 3
        Call-ID: novelsc.asdfasser0q239nwsdfasdkl34
        CSeq: 3923423 OPTIONS
        Via: SIP/2.0/TCP host9.example.com;branch=z9hG4bKkdjuw39234
        Content-Length: 0


        """;

    private const string Unksm2 = """
        REGISTER sip:example.com SIP/2.0
        To: isbn:2983792873
        From: <http://www.example.com>;tag=3234233
        Call-ID: unksm2.daksdj@hyphenated-host.example.com
        CSeq: 234902 REGISTER
        Max-Forwards: 70
        Via: SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw
        Contact: <name:John_Smith>
        l: 0


        """;

    private const string Bext01 = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:j_user@example.com
        From: sip:caller@example.net;tag=242etr
        Max-Forwards: 6
        Call-ID: bext01.0ha0isndaksdj
        Require: nothingSupportsThis, nothingSupportsThisEither
        Proxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis
        CSeq: 8 OPTIONS
        Via: SIP/2.0/TLS fold-and-staple.example.com;branch=z9hG4bKkdjuw
        Content-Length: 0


        """;

    private const string Invut = """
        INVITE sip:user@example.com SIP/2.0
        Contact: <sip:caller@host5.example.net>
        To: sip:j.user@example.com
        From: sip:caller@example.net;tag=8392034
        Max-Forwards: 70
        Call-ID: invut.0ha0isndaksdjadsfij34n23d
        CSeq: 235448 INVITE
        Via: SIP/2.0/UDP somehost.example.com;branch=z9hG4bKkdjuw
        Content-Type: application/unknownformat
        Content-Length: 40

        <audio>
         <pcmu port="443"/>
        </audio>

        """;

    private const string Regaut01 = """
        REGISTER sip:example.com SIP/2.0
        To: sip:j.user@example.com
        From: sip:j.user@example.com;tag=87321hj23128
        Max-Forwards: 8
        Call-ID: regaut01.0ha0isndaksdj
        CSeq: 9338 REGISTER
        Via: SIP/2.0/TCP 192.0.2.253;branch=z9hG4bKkdjuw
        Authorization: NoOneKnowsThisScheme opaque-data=here
        Content-Length:0


        """;

    private static readonly string Multi01 = $"""
        INVITE sip:user@company.com SIP/2.0
        Contact: <sip:caller@host25.example.net>
        Via: SIP/2.0/UDP 192.0.2.25;branch=z9hG4bKkdjuw
        Max-Forwards: 70
        CSeq: 5 INVITE
        Call-ID: multi01.98asdh@192.0.2.1
        CSeq: 59 INVITE
        Call-ID: multi01.98asdh@192.0.2.2
        From: sip:caller@example.com;tag=3413415
        To: sip:user@example.com
        To: sip:other@example.net
        From: sip:caller@example.net;tag=2923420123
        Content-Type: application/sdp
        l: 154
        Contact: <sip:caller@host36.example.net>
        Max-Forwards: 5

        {Body("192.0.2.25")}

        """;

    private const string Mcl01 = """
        OPTIONS sip:user@example.com SIP/2.0
        Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423
        To: sip:user@example.com
        From: sip:other@example.net;tag=3923942
        Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf
        CSeq: 15932 OPTIONS
        Content-Length: 13
        Max-Forwards: 60
        Content-Length: 5
        Content-Type: text/plain

        There's no way to know how many octets are supposed to be here.

        """;

    private static readonly string Bcast = $"""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
        Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23
        Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf
        CSeq: 35 INVITE
        From: sip:user@example.com;tag=11141343
        To: sip:user@example.edu;tag=2229
        Content-Length: 154
        Content-Type: application/sdp
        Contact: <sip:user@host28.example.com>

        {Body("192.0.2.198")}
        """;

    private const string Zeromf = """
        OPTIONS sip:user@example.com SIP/2.0
        To: sip:user@example.com
        From: sip:caller@example.net;tag=3ghsd41
        Call-ID: zeromf.jfasdlfnm2o2l43r5u0asdfas
        CSeq: 39234321 OPTIONS
        Via: SIP/2.0/UDP host1.example.com;branch=z9hG4bKkdjuw2349i
        Max-Forwards: 0
        Content-Length: 0


        """;

    private const string Cparam01 = """
        REGISTER sip:example.com SIP/2.0
        Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
        Max-Forwards: 70
        From: sip:watson@example.com;tag=DkfVgjkrtMwaerKKpe
        To: sip:watson@example.com
        Call-ID: cparam01.70710@saturn.example.com
        CSeq: 2 REGISTER
        Contact: sip:+19725552222@gw1.example.net;unknownparam
        l: 0


        """;

    private const string Cparam02 = """
        REGISTER sip:example.com SIP/2.0
        Via: SIP/2.0/UDP saturn.example.com:5060;branch=z9hG4bKkdjuw
        Max-Forwards: 70
        From: sip:watson@example.com;tag=838293
        To: sip:watson@example.com
        Call-ID: cparam02.70710@saturn.example.com
        CSeq: 3 REGISTER
        Contact: <sip:+19725552222@gw1.example.net;unknownparam>
        l: 0


        """;

    private const string Regescrt = """
        REGISTER sip:example.com SIP/2.0
        To: sip:user@example.com
        From: sip:user@example.com;tag=8
        Max-Forwards: 70
        Call-ID: regescrt.k345asrl3fdbv@192.0.2.1
        CSeq: 14398234 REGISTER
        Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw
        M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>
        L:0


        """;

    private static readonly string Sdp01 = $"""
        INVITE sip:user@example.com SIP/2.0
        To: sip:j_user@example.com
        Contact: <sip:caller@host15.example.net>
        From: sip:caller@example.net;tag=234
        Max-Forwards: 5
        Call-ID: sdp01.ndaksdj9342dasdd
        Accept: text/nobodyKnowsThis
        CSeq: 8 INVITE
        Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw
        Content-Length: 150
        Content-Type: application/sdp

        {Body("192.0.2.5")}
        """;

    private const string Inv2543 = """
        INVITE sip:UserB@example.com SIP/2.0
        Via: SIP/2.0/UDP iftgw.example.com
        From: <sip:+13035551111@ift.client.example.net;user=phone>
        Record-Route: <sip:UserB@example.com;maddr=ss1.example.com>
        To: sip:+16505552222@ss1.example.net;user=phone
        Call-ID: inv2543.1717@ift.client.example.com
        CSeq: 56 INVITE
        Content-Type: application/sdp

        v=0
        o=mhandley 29739 7272939 IN IP4 192.0.2.5
        s=-
        c=IN IP4 192.0.2.5
        t=0 0
        m=audio 49217 RTP/AVP 0

        """;
}
