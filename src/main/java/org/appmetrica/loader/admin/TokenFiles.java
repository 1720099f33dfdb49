package org.appmetrica.loader.admin;

import org.appmetrica.loader.config.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The standalone console's store for tokens pasted into the page: one file {@code token-NAME} per name, mode 600, in
 * a directory of mode 700 ({@code <data-dir>/secrets}). A connection refers to it as {@code file:…}, which
 * {@link org.appmetrica.loader.config.SecretRef} reads with its owner-only checks. The token is never logged or answered.
 */
public final class TokenFiles {

    private static final Logger LOG = Logger.getLogger(TokenFiles.class.getName());
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final Pattern FILE_NAME = Pattern.compile("token-[a-z0-9_-]{1,64}");
    private static final int MAX_TOKEN = 4096;

    private final Path directory;

    public TokenFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    static boolean isFileName(String fileName) {
        return FILE_NAME.matcher(fileName).matches();
    }

    /** Stores the token under the name (replacing an earlier one) and answers its reference {@code file:/…/token-NAME}. */
    public String store(String name, String token) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AdminException.badRequest("name='" + name + "': expected 1 to 64 of a-z, 0-9, _ and -");
        }
        String t = token == null ? "" : token.strip();
        // a token is one printable line; anything else is a paste gone wrong (and must not be echoed back)
        if (t.isEmpty() || t.length() > MAX_TOKEN || !t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw AdminException.badRequest("token: expected the OAuth token, one line of printable ASCII without spaces");
        }
        Path file = directory.resolve("token-" + name);
        Path partial = directory.resolve(".token-" + name + "-" + UUID.randomUUID());
        try {
            PrivateFiles.ownDirectory(directory, false, "remove it or choose another --data-dir");
            try (OutputStream out = PrivateFiles.create(partial)) {
                out.write(t.getBytes(StandardCharsets.US_ASCII));
            }
            // a load reading the old token sees it whole, or the new one whole
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AdminException(500, "internal", "cannot store the token in " + directory + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // only a leftover 600 file in a 700 directory
            }
        }
        return "file:" + file;
    }

    /** Deletes the token file a reference names, if it is one of this store's; other references are left alone. */
    public void forget(String tokenRef) {
        if (tokenRef == null || !tokenRef.startsWith("file:")) {
            return;
        }
        Path file = Path.of(tokenRef.substring("file:".length())).toAbsolutePath().normalize();
        if (!directory.equals(file.getParent()) || !isFileName(file.getFileName().toString())) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warning("cannot delete the token file " + file + ": " + e.getMessage());
        }
    }
}
