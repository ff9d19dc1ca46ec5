using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SipRecorder.Media.Tests.KernelRelay;

/// <summary>
/// A network namespace for the parties, joined to this one by a veth pair: our side 10.201.N.1, theirs 10.201.N.2. A
/// packet between the relay and a party crosses a real interface (with MAC addresses and routing), as it would between
/// the PBX and a phone on the LAN. Needs root (the tests run as root) and iproute2.
/// </summary>
internal sealed class PartyNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;
    private readonly string _name;

    public PartyNamespace()
    {
        var n = Random.Shared.Next(1, 250);
        _name = $"sr-party-{n}-{Environment.ProcessId}";
        Interface = $"srv{n}x{Environment.ProcessId % 10000}";
        var peer = Interface + "p";
        Ours = IPAddress.Parse($"10.201.{n}.1");
        Theirs = IPAddress.Parse($"10.201.{n}.2");
        Ip($"netns add {_name}");
        Ip($"link add {Interface} type veth peer name {peer}");
        Ip($"link set {peer} netns {_name}");
        Ip($"addr add {Ours}/24 dev {Interface}");
        Ip($"link set {Interface} up");
        Ip($"-n {_name} addr add {Theirs}/24 dev {peer}");
        Ip($"-n {_name} link set {peer} up");
        Ip($"-n {_name} link set lo up");
    }

    /// <summary>Our end of the veth pair, where the relay's packets from the parties arrive.</summary>
    public string Interface { get; }

    public IPAddress Ours { get; }

    /// <summary>The parties' address.</summary>
    public IPAddress Theirs { get; }

    /// <summary>A UDP socket of a party: made inside the namespace (a socket stays in the namespace it was made in).</summary>
    public UdpClient PartySocket()
    {
        UdpClient? made = null;
        Exception? failed = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{_name}");
                if (SetNamespace((int)handle.DangerousGetHandle(), CloneNewNet) != 0) throw new IOException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                made = new UdpClient(new IPEndPoint(Theirs, 0));
            }
            catch (Exception e)
            {
                failed = e;
            }
        });
        thread.Start();
        thread.Join(); // the thread ends inside the namespace and takes it with it; the socket stays there
        return made ?? throw new InvalidOperationException("a party's socket could not be made in its namespace", failed);
    }

    private static void Ip(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"ip {arguments}: {error}");
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNamespace(int fd, int type);

    public void Dispose()
    {
        try
        {
            Ip($"link del {Interface}"); // its peer goes with it
        }
        finally
        {
            Ip($"netns del {_name}");
        }
    }
}
