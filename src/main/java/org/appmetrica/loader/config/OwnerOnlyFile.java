package org.appmetrica.loader.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A file that only this process's user can have read or changed (secret files, the console's users file): a regular
 * file, not a link, owned by that user, with no group or other permission bits. A file system that cannot say so is
 * refused: the check fails closed.
 */
public final class OwnerOnlyFile {

    private static final Set<PosixFilePermission> OWNER = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyFile() {
    }

    /**
     * The file's text, or empty when there is no such file.
     *
     * @param what how messages name the file, e.g. "the secret file named by tokenRef"
     * @throws IllegalArgumentException when the file is refused or unreadable
     */
    public static Optional<String> read(Path file, String what) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException e) {
            throw refused(what, file, "its file system has no POSIX permissions to check");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + ": " + e.getMessage(), e);
        }
        if (attributes.isSymbolicLink()) {
            throw refused(what, file, "it is a symbolic link; name the file itself");
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty();
        }
        String me = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(me)) {
            throw refused(what, file, "it belongs to " + attributes.owner().getName() + ", not to " + me + ", who runs this process");
        }
        if (!OWNER.containsAll(attributes.permissions())) {
            throw refused(what, file, "other users may read or change it (" + PosixFilePermissions.toString(attributes.permissions())
                    + "): chmod 600 it");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException refused(String what, Path file, String why) {
        return new IllegalArgumentException(what + " (" + file + ") is refused: " + why);
    }
}
