using System.Runtime.InteropServices;

namespace SipRecorder.Media.KernelRelay;

/// <summary>The few calls of libbpf 1.x (Debian's libbpf1) the kernel relay needs: load an object, attach to tc, maps, a ring.</summary>
internal static partial class Libbpf
{
    private const string Library = "libbpf.so.1";

    public const int TcIngress = 1; // BPF_TC_INGRESS

    [StructLayout(LayoutKind.Sequential)]
    public struct TcHook
    {
        public nuint Size;
        public int InterfaceIndex;
        public int AttachPoint;
        public uint Parent;
        private readonly uint _padding;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TcOptions
    {
        public nuint Size;
        public int ProgramFd;
        public uint Flags;
        public uint ProgramId;
        public uint Handle;
        public uint Priority;
        private readonly uint _padding;
    }

    [LibraryImport(Library, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial IntPtr OpenFile(string path, IntPtr options);

    [LibraryImport(Library, EntryPoint = "bpf_object__load")]
    public static partial int Load(IntPtr bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__close")]
    public static partial void Close(IntPtr bpfObject);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_program_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr FindProgram(IntPtr bpfObject, string name);

    [LibraryImport(Library, EntryPoint = "bpf_program__fd")]
    public static partial int ProgramFd(IntPtr program);

    [LibraryImport(Library, EntryPoint = "bpf_object__find_map_fd_by_name", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FindMapFd(IntPtr bpfObject, string name);

    public const int TcxIngress = 46; // BPF_TCX_INGRESS (Linux 6.6); Debian 12's headers predate it

    /// <summary>Attaches a program through a link: it stays attached only while the link's descriptor is open (the process lives).</summary>
    [LibraryImport(Library, EntryPoint = "bpf_link_create")]
    public static partial int LinkCreate(int programFd, int targetFd, int attachType, IntPtr options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_hook_create")]
    public static partial int HookCreate(ref TcHook hook);

    [LibraryImport(Library, EntryPoint = "bpf_tc_attach")]
    public static partial int Attach(ref TcHook hook, ref TcOptions options);

    [LibraryImport(Library, EntryPoint = "bpf_tc_detach")]
    public static partial int Detach(ref TcHook hook, ref TcOptions options);

    [LibraryImport(Library, EntryPoint = "bpf_map_update_elem")]
    public static unsafe partial int UpdateElement(int mapFd, void* key, void* value, ulong flags);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_and_delete_elem")]
    public static unsafe partial int LookupAndDeleteElement(int mapFd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "bpf_map_lookup_elem")]
    public static unsafe partial int LookupElement(int mapFd, void* key, void* value);

    [LibraryImport(Library, EntryPoint = "ring_buffer__new")]
    public static partial IntPtr RingNew(int mapFd, IntPtr callback, IntPtr context, IntPtr options);

    [LibraryImport(Library, EntryPoint = "ring_buffer__consume")]
    public static partial int RingConsume(IntPtr ring);

    [LibraryImport(Library, EntryPoint = "ring_buffer__epoll_fd")]
    public static partial int RingEpollFd(IntPtr ring);

    public const int RingBufferMap = 27; // BPF_MAP_TYPE_RINGBUF

    [LibraryImport(Library, EntryPoint = "bpf_map_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MapCreate(int type, string? name, uint keySize, uint valueSize, uint maxEntries, IntPtr options);

    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int CloseFd(int fd);

    [LibraryImport(Library, EntryPoint = "ring_buffer__free")]
    public static partial void RingFree(IntPtr ring);

    [LibraryImport(Library, EntryPoint = "libbpf_num_possible_cpus")]
    public static partial int PossibleCpus();

    [LibraryImport("libc", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint InterfaceIndex(string name);
}
