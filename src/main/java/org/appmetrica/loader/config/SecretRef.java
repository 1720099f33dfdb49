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
import java.util.Set;

/**
 * A secret named by reference, so that the value never becomes a job parameter:
 * {@code env:NAME} (environment variable), {@code file:/path} (a file of this process's user, mode 0600 or 0400),
 * {@code prop:NAME} (system property), {@code cs:STORE/ALIAS} (an alias of an Elytron credential store of the
 * WildFly server the job runs in; see {@link CredentialStoreSecrets}).
 */
public final class SecretRef {

    private SecretRef() {
    }

    /** Checks the reference's form without reading the secret. */
    public static void validate(String parameter, String ref) {
        if (ref == null || !(ref.startsWith("env:") || ref.startsWith("file:") || ref.startsWith("prop:") || ref.startsWith("cs:"))
                || ref.indexOf(':') == ref.length() - 1) {
            throw new IllegalArgumentException("job parameter " + parameter + "='" + ref
                    + "' is not a secret reference: expected env:VARIABLE, file:/path/to/file, prop:system.property"
                    + " or cs:credential-store/alias (in WildFly)");
        }
        if (ref.startsWith("cs:")) {
            CredentialStoreSecrets.parse(parameter, ref.substring(3));
        }
    }

    /**
     * Reads the secret.
     *
     * @param required when true a missing secret is an error; otherwise it resolves to ""
     */
    public static String resolve(String parameter, String ref, boolean required) {
        validate(parameter, ref);
        String name = ref.substring(ref.indexOf(':') + 1);
        String value;
        if (ref.startsWith("env:")) {
            value = System.getenv(name);
        } else if (ref.startsWith("prop:")) {
            value = System.getProperty(name);
        } else if (ref.startsWith("cs:")) {
            value = CredentialStoreSecrets.read(parameter, name);
        } else {
            value = readFile(parameter, Path.of(name));
        }
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("the secret named by " + parameter + "=" + ref + " is not set"
                        + (ref.startsWith("env:") ? ": export " + name + "=… before starting, or name another source (file:/path, prop:name)" : ""));
            }
            return "";
        }
        return value.strip();
    }

    /**
     * Reads a secret file only if nobody but this process's user can have read or changed it: a regular file (not a
     * link) owned by that user, with no group or other permission bits. A file system that cannot say so is refused.
     */
    private static String readFile(String parameter, Path file) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (UnsupportedOperationException e) {
            throw refused(parameter, file, "its file system has no POSIX permissions to check; use env: or cs: instead");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file named by " + parameter + ": " + e.getMessage(), e);
        }
        if (attributes.isSymbolicLink()) {
            throw refused(parameter, file, "it is a symbolic link; name the file itself");
        }
        if (!attributes.isRegularFile()) {
            return null;
        }
        String me = System.getProperty("user.name");
        if (!attributes.owner().getName().equals(me)) {
            throw refused(parameter, file, "it belongs to " + attributes.owner().getName() + ", not to " + me + ", who runs the load");
        }
        Set<PosixFilePermission> others = EnumSet.copyOf(attributes.permissions());
        others.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        if (!others.isEmpty()) {
            throw refused(parameter, file, "other users may read or change it (" + PosixFilePermissions.toString(attributes.permissions())
                    + "): chmod 600 it");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the secret file named by " + parameter + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException refused(String parameter, Path file, String why) {
        return new IllegalArgumentException("the secret file named by " + parameter + " (" + file + ") is refused: " + why);
    }
}
