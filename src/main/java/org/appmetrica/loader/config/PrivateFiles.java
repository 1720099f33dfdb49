package org.appmetrica.loader.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files that hold users' raw data (the download spool): directories 700 and files 600 from the moment they exist,
 * created new (never opened through a link someone placed there), under a root of this process's user.
 */
public final class PrivateFiles {

    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (inside {@code root}) and its missing parents with mode 700; the root is claimed first
     * (see {@link SpoolRoot#claim}), so a directory someone else made in a shared place such as /tmp is refused.
     */
    public static void createDirectories(Path root, Path dir) throws IOException {
        SpoolRoot.claim(root);
        Files.createDirectories(dir, DIRECTORY);
    }

    /**
     * Makes {@code dir} a private directory of this process's user: created 700 when missing; an existing one must be a
     * directory of this user, and is tightened to 700. A symbolic link is refused unless {@code followLink} (a data
     * directory the user pointed elsewhere); {@code advice} ends the error message.
     */
    public static void ownDirectory(Path dir, boolean followLink, String advice) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, DIRECTORY);
        }
        LinkOption[] options = followLink ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, options);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot check who owns " + dir + " (its file system has no POSIX permissions): " + advice);
        }
        if (a.isSymbolicLink() || !a.isDirectory()) {
            throw new IOException(dir + " is not a directory but " + (a.isSymbolicLink() ? "a symbolic link" : "a file") + ": " + advice);
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) {
            throw new IOException(dir + " belongs to " + a.owner().getName() + ", not to " + me + ": " + advice);
        }
        if (!a.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** A new file, mode 600, for writing; a file or link already at that name is removed first, never followed. */
    public static OutputStream create(Path file) throws IOException {
        return Channels.newOutputStream(createChannel(file));
    }

    /** As {@link #create}, as a channel opened with {@code more} options besides (e.g. writes past the page cache). */
    public static FileChannel createChannel(Path file, OpenOption... more) throws IOException {
        Files.deleteIfExists(file); // removes a link itself, not its target
        Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        options.addAll(List.of(more));
        return FileChannel.open(file, options, FILE);
    }

    /** Creates {@code file} empty with mode 600 unless something is at that name already (which is left alone). */
    public static void createIfMissing(Path file) throws IOException {
        try {
            Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE).close();
        } catch (FileAlreadyExistsException e) {
            // made before (by us, or by H2 under its own name)
        }
    }

    /**
     * Sets mode 600 on the regular files of this process's user in {@code dir} whose names start with {@code prefix}:
     * for files another library creates with the process's umask (H2's database, lock and trace files). Links are
     * not followed.
     */
    public static void tighten(Path dir, String prefix) throws IOException {
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-------");
        String me = System.getProperty("user.name");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> f.getFileName().toString().startsWith(prefix))) {
            for (Path f : files) {
                PosixFileAttributes a;
                try {
                    a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue; // gone meanwhile (a lock file)
                }
                if (a.isRegularFile() && a.owner().getName().equals(me) && !a.permissions().equals(mode)) {
                    Files.setPosixFilePermissions(f, mode);
                }
            }
        }
    }
}
