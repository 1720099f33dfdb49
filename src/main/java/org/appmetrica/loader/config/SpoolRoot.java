package org.appmetrica.loader.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The root of a download spool ({@code spoolDir}): a directory this process's user owns and the loader created, which
 * it marks with the file {@value #MARK}. Only such a root is made private (700) and only inside it is anything deleted,
 * and the deletes go through {@link SecureDirectoryStream}: relative to directories held open, never following a link,
 * so a directory swapped for a link while the tree is removed takes nothing outside with it.
 */
public final class SpoolRoot {

    /** Marks a root the loader made (or adopted while it was a private spool); never followed, never read. */
    public static final String MARK = ".appmetrica-loader-spool";
    private static final Pattern INSTANCE = Pattern.compile("[0-9]+");
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** Test hook: called with each directory's name just before it is opened to be emptied. */
    static volatile Consumer<Path> beforeDescend = name -> { };

    private SpoolRoot() {
    }

    /**
     * Makes {@code root} a spool root of this loader: created (700, marked) when missing. An existing directory must be
     * this user's, not a link, and marked; an unmarked one is adopted only while it is private (700) and holds nothing but
     * job instances' spools (as an older version left it). Anything else is refused, and never chmod-ed.
     */
    public static synchronized void claim(Path root) throws IOException {
        if (!Files.exists(root, NOFOLLOW)) {
            PrivateFiles.ownDirectory(root, false, "choose another spoolDir");
            mark(root);
            return;
        }
        PosixFileAttributes a = attributes(root);
        if (a.isSymbolicLink() || !a.isDirectory()) {
            throw new IOException(root + " is not a directory but " + (a.isSymbolicLink() ? "a symbolic link" : "a file") + ": choose another spoolDir");
        }
        String me = System.getProperty("user.name");
        if (!a.owner().getName().equals(me)) {
            throw new IOException(root + " belongs to " + a.owner().getName() + ", not to " + me + ": choose another spoolDir");
        }
        if (Files.isRegularFile(root.resolve(MARK), NOFOLLOW)) {
            PrivateFiles.ownDirectory(root, false, "choose another spoolDir"); // ours: tightened to 700 if someone opened it
            return;
        }
        if (!a.permissions().equals(PosixFilePermissions.fromString("rwx------")) || !onlyInstances(root)) {
            throw new IOException(root + " was not made by the loader (no " + MARK + " in it) and is not an empty private directory: "
                    + "choose another spoolDir, or a new path the loader creates");
        }
        mark(root);
    }

    private static PosixFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
        } catch (UnsupportedOperationException e) {
            throw new IOException("cannot check who owns " + p + " (its file system has no POSIX permissions): choose another spoolDir");
        }
    }

    private static boolean onlyInstances(Path root) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path e : entries) {
                if (!INSTANCE.matcher(e.getFileName().toString()).matches() || !Files.isDirectory(e, NOFOLLOW)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void mark(Path root) throws IOException {
        if (Files.isRegularFile(root.resolve(MARK), NOFOLLOW)) {
            return; // another load (another process) made and marked the same new root a moment ago
        }
        try (OutputStream out = PrivateFiles.create(root.resolve(MARK))) {
            out.flush();
        } catch (FileAlreadyExistsException e) {
            // the same race, a moment later
            if (!Files.isRegularFile(root.resolve(MARK), NOFOLLOW)) {
                throw e;
            }
        }
    }

    /**
     * Deletes {@code root/name} and everything in it, if {@code root} is a marked spool root of this user. A link met
     * anywhere (even one swapped in after the listing) is removed itself, never followed.
     */
    public static void delete(Path root, String name) throws IOException {
        Path absolute = root.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.exists(absolute, NOFOLLOW)) {
            return;
        }
        try (SecureDirectoryStream<Path> up = secure(Files.newDirectoryStream(parent));
             SecureDirectoryStream<Path> dir = up.newDirectoryStream(absolute.getFileName(), NOFOLLOW)) {
            PosixFileAttributes a = dir.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
            String me = System.getProperty("user.name");
            if (!a.owner().getName().equals(me)) {
                throw new IOException(root + " belongs to " + a.owner().getName() + ", not to " + me + ": nothing deleted in it");
            }
            BasicFileAttributes mark = attributesOrNull(dir, Path.of(MARK));
            if (mark == null || !mark.isRegularFile()) {
                throw new IOException(root + " is not a spool directory the loader made (no " + MARK + " in it): nothing deleted in it");
            }
            deleteEntry(dir, Path.of(name));
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> s) {
            return s;
        }
        stream.close();
        throw new IOException("this file system cannot delete relative to an open directory: spools are kept");
    }

    private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        BasicFileAttributes a = attributesOrNull(dir, name);
        if (a == null) {
            return;
        }
        if (!a.isDirectory()) {
            dir.deleteFile(name); // a file, or a link itself
            return;
        }
        beforeDescend.accept(name);
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, NOFOLLOW)) {
            List<Path> names = new ArrayList<>();
            sub.forEach(p -> names.add(p.getFileName()));
            for (Path child : names) {
                deleteEntry(sub, child);
            }
        } catch (FileSystemException e) {
            BasicFileAttributes now = attributesOrNull(dir, name);
            if (now != null && !now.isDirectory()) {
                dir.deleteFile(name); // swapped for a link (or a file) since it was looked at: only the link goes
                return;
            }
            throw e;
        }
        dir.deleteDirectory(name);
    }

    private static BasicFileAttributes attributesOrNull(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
