using System.Runtime.InteropServices;

namespace Catalog.Infrastructure;

public static class FileSystem
{
    /// <summary>
    /// Makes a rename or a new file in <paramref name="directory"/> durable: on POSIX systems a directory
    /// entry survives a crash only once the directory itself is synced, and .NET has no call for it.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = Native.open(directory, 0 /* O_RDONLY */);
        if (fd < 0) return;
        try
        {
            Native.fsync(fd);
        }
        finally
        {
            Native.close(fd);
        }
    }

    /// <summary>The path with every symbolic link resolved (POSIX realpath), or null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
        var resolved = Native.realpath(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Native.free(resolved);
        }
    }

    /// <summary>Whether <paramref name="path"/>, its links resolved, lies inside <paramref name="folder"/>, its links resolved.</summary>
    public static bool IsInside(string folder, string path) =>
        RealPath(folder) is { } root && RealPath(path) is { } real &&
        real.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

        [DllImport("libc")]
        public static extern void free(IntPtr pointer);

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
