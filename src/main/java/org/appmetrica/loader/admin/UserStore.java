package org.appmetrica.loader.admin;

import org.appmetrica.loader.config.OwnerOnlyFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The standalone console's users: a file of {@code user=<hash>} lines (hashes from {@code hash-password}; blank lines
 * and lines starting with # are ignored), which only the console's own OS user may read. Read once when the console
 * starts; a hash made with fewer iterations than today's is replaced in the file at the user's next login.
 */
public final class UserStore {

    private static final Logger LOG = Logger.getLogger(UserStore.class.getName());
    private final Map<String, String> hashes;
    private final Path file;
    /** Compared against when the user is unknown, so that a wrong name costs as long as a wrong password. */
    private final String decoy = PasswordHash.hash("decoy-password".toCharArray());

    private UserStore(Map<String, String> hashes, Path file) {
        this.hashes = hashes;
        this.file = file;
    }

    public static UserStore load(Path file) throws IOException {
        String text = OwnerOnlyFile.read(file, "the users file")
                .orElseThrow(() -> new IllegalArgumentException("the users file " + file + " does not exist"));
        Map<String, String> hashes = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String user = eq <= 0 ? "" : line.substring(0, eq).trim();
            String hash = eq <= 0 ? "" : line.substring(eq + 1).trim();
            if (user.isEmpty() || !PasswordHash.wellFormed(hash)) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected user=" + PasswordHash.SCHEME
                        + "$… (a hash printed by the hash-password command, never a clear password)");
            }
            hashes.put(user, hash);
        }
        if (hashes.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no user: add a line user=<hash> with a hash from the hash-password command");
        }
        return new UserStore(hashes, file);
    }

    public static UserStore of(Map<String, String> hashes) {
        return new UserStore(new LinkedHashMap<>(hashes), null);
    }

    /** Whether user and password match; takes about as long for an unknown user. */
    public boolean check(String user, char[] password) {
        String hash = user == null ? null : hashes.get(user);
        boolean ok = PasswordHash.verify(password, hash == null ? decoy : hash) && hash != null;
        if (ok && PasswordHash.weakerThanNew(hash)) {
            upgrade(user, password);
        }
        return ok;
    }

    public int size() {
        return hashes.size();
    }

    /** Replaces the user's line with a hash of today's strength; the file is swapped whole, never half written. */
    private synchronized void upgrade(String user, char[] password) {
        String stronger = PasswordHash.hash(password);
        hashes.put(user, stronger);
        if (file == null) {
            return;
        }
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                boolean mine = eq > 0 && !line.trim().startsWith("#") && line.substring(0, eq).trim().equals(user);
                lines.add(mine ? user + "=" + stronger : line);
            }
            Path next = Files.createTempFile(file.toAbsolutePath().getParent(), ".users", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(next, lines, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("console: the password hash of user '" + user + "' was upgraded to " + PasswordHash.ITERATIONS + " iterations");
        } catch (IOException | RuntimeException e) {
            // the login itself succeeded; the next one tries again
            LOG.log(Level.WARNING, "console: could not upgrade the password hash of user '" + user + "' in " + file + ": " + e.getMessage());
        }
    }
}
