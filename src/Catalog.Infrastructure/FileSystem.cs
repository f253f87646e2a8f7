using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Catalog.Infrastructure;

public static class FileSystem
{
    /// <summary>
    /// Makes a rename or a new file in <paramref name="directory"/> durable: on POSIX systems a directory
    /// entry survives a crash only once the directory itself is synced, and .NET has no call for it.
    /// </summary>
    public static void SyncDirectory(string directory) => Sync(directory, Native.fsync, strict: false);

    /// <summary>Makes a file's bytes durable (fsync) without opening it for writing.</summary>
    public static void SyncFile(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            file.Flush(flushToDisk: true);
            return;
        }
        Sync(path, Native.fsync, strict: true);
    }

    /// <summary>Whether <see cref="SyncFileSystem"/> flushes a whole file system in one call here (Linux's syncfs).</summary>
    public static bool CanSyncFileSystem => OperatingSystem.IsLinux();

    /// <summary>
    /// Makes everything written to the file system holding <paramref name="path"/> durable — file bytes, new names,
    /// renames — in one pass (Linux <c>syncfs</c>): what <c>sync</c> does after <c>cp -r</c>, for one file system.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        if (!CanSyncFileSystem) throw new PlatformNotSupportedException("syncfs is Linux's.");
        Sync(path, fd => Native.syncfs(fd), strict: true);
    }

    /// <summary>
    /// Starts writing a file's dirty pages to disk without waiting (Linux <c>sync_file_range</c>, WRITE): a later flush of
    /// many files (<see cref="SyncFileSystem"/>) finds most of them written, and the disk works while the next files
    /// are read. No durability by itself; nothing where the call does not exist.
    /// </summary>
    public static void StartWriteBack(SafeHandle file)
    {
        if (!OperatingSystem.IsLinux()) return;
        WithDescriptor(file, fd => Native.sync_file_range(fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */));
    }

    /// <summary>Calls into the system with an open file's descriptor, held open (not closed by another thread) meanwhile.</summary>
    private static T WithDescriptor<T>(SafeHandle file, Func<int, T> call)
    {
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return call((int)file.DangerousGetHandle());
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    /// <summary>Linux's <c>O_DIRECT</c>, whose value differs between architectures (0 where it is not known here).</summary>
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => 0,
    };

    /// <summary>The alignment a direct write's memory, offset and length keep: a page, which every disk's logical block divides.</summary>
    public const int DirectAlignment = 4096;

    /// <summary>
    /// Turns writes that bypass the page cache (Linux <c>O_DIRECT</c>) on or off for an open file: each write then goes from
    /// the caller's memory to the disk, its memory, offset and length aligned to <see cref="DirectAlignment"/>. False where
    /// the system or the file system has no such writes; the file is then as it was.
    /// </summary>
    public static bool WriteDirect(SafeHandle file, bool on)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag == 0) return false;
        return WithDescriptor(file, fd => Native.fcntl(fd, 3 /* F_GETFL */, 0) is var flags && flags >= 0 &&
            Native.fcntl(fd, 4 /* F_SETFL */, on ? flags | DirectFlag : flags & ~DirectFlag) == 0);
    }

    /// <summary>
    /// Lets the kernel drop a file's cached pages now (Linux <c>posix_fadvise</c>, DONTNEED): for a file just made durable
    /// that nobody reads soon. Only clean pages go (its bytes must be flushed first); nothing where the call does not exist.
    /// </summary>
    public static void DropCachedPages(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Native.open(path, 0 /* O_RDONLY */ | 0x80000 /* O_CLOEXEC */);
        if (fd < 0) return; // gone meanwhile (a purge): nothing cached to drop
        try
        {
            Native.posix_fadvise(fd, 0, 0, 4 /* POSIX_FADV_DONTNEED */);
        }
        finally
        {
            Native.close(fd);
        }
    }

    /// <summary>
    /// Opens a file to read, as <c>FileShare.Read</c> would but without the advisory lock .NET takes for it on Unix (a
    /// <c>flock</c> at open and another at close, and an <c>fstatfs</c> for a writer): nothing here takes those locks on a
    /// media file, and an import of many small files spent a tenth of its kernel time in them (BENCHMARKS.md). On Linux it
    /// never waits at its open: a named pipe in a folder gives a stream that cannot seek (a regular file is read as ever).
    /// </summary>
    public static FileStream OpenToRead(string path) =>
        OperatingSystem.IsLinux()
            ? new FileStream(Open(path, 0 /* O_RDONLY */ | 0x800 /* O_NONBLOCK: a pipe opened with no writer */), FileAccess.Read, bufferSize: 0)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    /// <summary>Creates a new file to write (an <see cref="IOException"/> when the name exists), without .NET's advisory lock (<see cref="OpenToRead"/>).</summary>
    public static FileStream CreateNew(string path) =>
        OperatingSystem.IsLinux()
            ? new FileStream(Open(path, 0x1 /* O_WRONLY */ | 0x40 /* O_CREAT */ | 0x80 /* O_EXCL */), FileAccess.Write, bufferSize: 0)
            : new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);

    /// <summary>
    /// Creates a file with no name in <paramref name="directory"/> (Linux <c>O_TMPFILE</c>), to write and read: it takes no
    /// entry in the folder (no lock on it shared by every file staged there, nothing to rename or sweep after a crash — it
    /// is gone when its last handle closes), until <see cref="Link"/> names it. Null where the system or the file system
    /// has no such files.
    /// </summary>
    public static FileStream? CreateUnnamed(string directory)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fd = Native.open(directory, 0x410000 /* O_TMPFILE */ | 0x2 /* O_RDWR */ | 0x80000 /* O_CLOEXEC */, 0b110_100_100);
        if (fd >= 0) return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite, bufferSize: 0);
        var errno = Marshal.GetLastPInvokeError();
        return errno is 95 /* EOPNOTSUPP */ or 21 /* EISDIR: a kernel without O_TMPFILE */ or 22 /* EINVAL */
            ? null
            : throw new IOException($"{Marshal.GetPInvokeErrorMessage(errno)}: could not create a file in '{directory}'", errno);
    }

    /// <summary>A path that opens the file behind <paramref name="file"/>, named or not, from this process or one it starts (Linux's <c>/proc</c>).</summary>
    public static string PathOf(SafeFileHandle file) => $"/proc/{Environment.ProcessId}/fd/{file.DangerousGetHandle()}";

    /// <summary>
    /// Names a file made by <see cref="CreateUnnamed"/> (<c>linkat</c> through <c>/proc/self/fd</c>); when <paramref name="path"/>
    /// exists already it is left as it is. A <see cref="DirectoryNotFoundException"/> when its folder does not exist.
    /// </summary>
    public static void Link(SafeFileHandle file, string path)
    {
        if (Native.linkat(-100 /* AT_FDCWD */, $"/proc/self/fd/{file.DangerousGetHandle()}", -100, path, 0x400 /* AT_SYMLINK_FOLLOW */) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{Marshal.GetPInvokeErrorMessage(errno)}: '{path}'";
        switch (errno)
        {
            case 17 /* EEXIST */: return;
            case 2 /* ENOENT */: throw new DirectoryNotFoundException(message);
            default: throw new IOException(message, errno);
        }
    }

    /// <summary>
    /// How many names a file has (a folder: 2, and one more for each folder in it, on ext4, XFS and tmpfs); null when it does
    /// not exist or the count cannot be read here (not Linux).
    /// </summary>
    public static int? LinkCount(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var status = new byte[256]; // struct statx: the same layout on every architecture; stx_nlink is the u32 at byte 16
        if (Native.statx(-100 /* AT_FDCWD */, path, 0, 0x4 /* STATX_NLINK */, status) != 0) return null;
        return (int)BitConverter.ToUInt32(status, 16);
    }

    private static SafeFileHandle Open(string path, int flags)
    {
        var fd = Native.open(path, flags | 0x80000 /* O_CLOEXEC */, 0b110_100_100 /* 0644, less the umask */);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        var errno = Marshal.GetLastPInvokeError();
        var message = $"{Marshal.GetPInvokeErrorMessage(errno)}: '{path}'";
        throw errno switch
        {
            2 /* ENOENT */ => new FileNotFoundException(message, path),
            1 /* EPERM */ or 13 /* EACCES */ => new UnauthorizedAccessException(message),
            21 /* EISDIR */ => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    /// <param name="strict">Whether a failure is an error (a directory's flush is best effort, as it always was here).</param>
    private static void Sync(string path, Func<int, int> sync, bool strict)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        var fd = Native.open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            if (strict) throw new IOException($"Could not open '{path}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
            return;
        }
        try
        {
            if (sync(fd) != 0 && strict) throw new IOException($"Could not flush '{path}' to disk (errno {Marshal.GetLastPInvokeError()}).");
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

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

        [DllImport("libc", SetLastError = true)]
        public static extern int linkat(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory,
            [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] status);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int syncfs(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int sync_file_range(int fd, long offset, long nbytes, uint flags);

        [DllImport("libc")]
        public static extern int posix_fadvise(int fd, long offset, long length, int advice);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int fcntl(int fd, int command, int argument);
    }
}
