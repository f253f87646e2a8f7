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

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);
    }
}
