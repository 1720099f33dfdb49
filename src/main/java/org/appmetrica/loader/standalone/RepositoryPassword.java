package org.appmetrica.loader.standalone;

import org.appmetrica.loader.config.OwnerOnlyFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;

/**
 * The password of the standalone H2 job repository. H2's automatic mixed mode serves the file over TCP on 127.0.0.1,
 * so every local user could connect to it as {@code sa} with an empty password. Unless the operator gives one
 * ({@code APPMETRICA_REPOSITORY_PASSWORD}), a random password is made on first use and kept in
 * {@code <data dir>/repository-password} (mode 600, in the mode-700 data directory). A repository made by an earlier
 * version, with the empty password, is given this one the first time it is opened.
 */
final class RepositoryPassword {

    static final String ENV = "APPMETRICA_REPOSITORY_PASSWORD";
    static final String USER_ENV = "APPMETRICA_REPOSITORY_USER";
    static final String FILE = "repository-password";
    private static final String SA = "sa";

    private RepositoryPassword() {
    }

    /** The password for the repository of this data directory; {@code defaultUrl} says whether it is the H2 file there. */
    static String of(Path dataDir, String repositoryUrl, boolean defaultUrl) {
        String given = System.getenv(ENV);
        if (given != null && !given.isEmpty()) {
            return given;
        }
        if (!defaultUrl) {
            return ""; // another database: its owner sets its password (APPMETRICA_REPOSITORY_PASSWORD)
        }
        String password = readOrCreate(dataDir.resolve(FILE));
        protectOldRepository(repositoryUrl, password);
        return password;
    }

    /** The user of the repository database: {@code sa} for the H2 file, else APPMETRICA_REPOSITORY_USER (or sa). */
    static String user(boolean defaultUrl) {
        String given = System.getenv(USER_ENV);
        return defaultUrl || given == null || given.isBlank() ? SA : given.strip();
    }

    static String readOrCreate(Path file) {
        Optional<String> existing = OwnerOnlyFile.read(file, "the job repository's password file");
        if (existing.isPresent()) {
            return existing.get().strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // Written whole under another name, then linked in: a process starting at the same moment sees no file or all
        // of it, never an empty one (and the first link wins).
        Path written = null;
        try {
            written = Files.createTempFile(file.getParent(), FILE, ".new",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written, password + "\n");
            Files.createLink(file, written);
            return password;
        } catch (FileAlreadyExistsException e) {
            // another process made it first: use theirs
            return OwnerOnlyFile.read(file, "the job repository's password file").orElseThrow().strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (written != null) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException e) {
                    // a stray 600 file in the 700 data directory; harmless
                }
            }
        }
    }

    /** An existing repository that still takes the empty password gets this one; otherwise nothing happens. */
    private static void protectOldRepository(String repositoryUrl, String password) {
        try (Connection c = DriverManager.getConnection(repositoryUrl + ";IFEXISTS=TRUE", SA, "");
             PreparedStatement ps = c.prepareStatement("ALTER USER " + SA.toUpperCase() + " SET PASSWORD ?")) {
            ps.setString(1, password);
            ps.execute();
        } catch (SQLException e) {
            // 28000: wrong password, it has one already; 90146: no database yet (it is created with the password)
            if (e.getErrorCode() != 28000 && e.getErrorCode() != 90146 && e.getErrorCode() != 90013) {
                throw new IllegalStateException("cannot open the job repository to protect it: " + e.getMessage(), e);
            }
        }
    }
}
