package org.appmetrica.loader.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
     * Creates {@code dir} (inside {@code root}) and its missing parents with mode 700. The root is made 700 when new;
     * an existing one must be a directory of this process's user, not a link (a directory someone else made in a shared
     * place such as /tmp is refused), and is tightened to 700.
     */
    public static void createDirectories(Path root, Path dir) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(root, DIRECTORY);
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(root, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot check who owns " + root + " (its file system has no POSIX permissions): choose another spoolDir");
        }
        String me = System.getProperty("user.name");
        if (a.isSymbolicLink() || !a.isDirectory()) {
            throw new IOException(root + " is not a directory but " + (a.isSymbolicLink() ? "a symbolic link" : "a file") + ": choose another spoolDir");
        }
        if (!a.owner().getName().equals(me)) {
            throw new IOException(root + " belongs to " + a.owner().getName() + ", not to " + me
                    + ": the spooled raw data would not be private; choose another spoolDir");
        }
        if (!a.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
        Files.createDirectories(dir, DIRECTORY);
    }

    /** A new file, mode 600, for writing; a file or link already at that name is removed first, never followed. */
    public static OutputStream create(Path file) throws IOException {
        Files.deleteIfExists(file); // removes a link itself, not its target
        return Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FILE));
    }
}
