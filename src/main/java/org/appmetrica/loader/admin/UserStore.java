package org.appmetrica.loader.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standalone console's users: a file of {@code user=<hash>} lines (hashes from {@code hash-password}; blank lines
 * and lines starting with # are ignored). Read once when the console starts.
 */
public final class UserStore {

    private final Map<String, String> hashes;
    /** Compared against when the user is unknown, so that a wrong name costs as long as a wrong password. */
    private final String decoy = PasswordHash.hash("decoy-password".toCharArray());

    private UserStore(Map<String, String> hashes) {
        this.hashes = hashes;
    }

    public static UserStore load(Path file) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
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
        return new UserStore(hashes);
    }

    public static UserStore of(Map<String, String> hashes) {
        return new UserStore(new LinkedHashMap<>(hashes));
    }

    /** Whether user and password match; takes about as long for an unknown user. */
    public boolean check(String user, char[] password) {
        String hash = user == null ? null : hashes.get(user);
        boolean ok = PasswordHash.verify(password, hash == null ? decoy : hash);
        return ok && hash != null;
    }

    public int size() {
        return hashes.size();
    }
}
