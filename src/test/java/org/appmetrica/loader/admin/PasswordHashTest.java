package org.appmetrica.loader.admin;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

    @Test
    void hashVerifiesOnlyItsPasswordAndIsSalted() {
        String h = PasswordHash.hash("correct horse".toCharArray(), 1000);
        assertTrue(h.startsWith("pbkdf2-sha256$1000$"), h);
        assertTrue(PasswordHash.verify("correct horse".toCharArray(), h));
        assertFalse(PasswordHash.verify("correct horsf".toCharArray(), h));
        assertFalse(PasswordHash.verify("".toCharArray(), h));
        assertNotEquals(h, PasswordHash.hash("correct horse".toCharArray(), 1000), "a new salt each time");
        assertFalse(h.contains("correct"));
        assertEquals(PasswordHash.ITERATIONS, Integer.parseInt(PasswordHash.hash("x".toCharArray()).split("\\$")[1]));
    }

    @Test
    void malformedHashesNeverMatch() {
        for (String bad : new String[] {null, "", "plain-password", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$1000$!!$??", "md5$1$a$b",
                "pbkdf2-sha256$0$AAAA$AAAA"}) {
            assertFalse(PasswordHash.verify("plain-password".toCharArray(), bad), String.valueOf(bad));
        }
        assertThrows(IllegalArgumentException.class, () -> PasswordHash.hash(new char[0]));
    }

    @Test
    void usersFileTakesHashesOnly() throws Exception {
        Path dir = Files.createTempDirectory("users");
        Path file = dir.resolve("users");
        Files.writeString(file, "# console users\n\nalice=" + PasswordHash.hash("a-pw".toCharArray(), 1000) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        UserStore users = UserStore.load(file);
        assertEquals(1, users.size());
        assertTrue(users.check("alice", "a-pw".toCharArray()));
        assertFalse(users.check("alice", "b-pw".toCharArray()));
        assertFalse(users.check("bob", "a-pw".toCharArray()));
        assertFalse(users.check(null, "a-pw".toCharArray()));

        Files.writeString(file, "alice=a-pw\n");
        IllegalArgumentException clear = assertThrows(IllegalArgumentException.class, () -> UserStore.load(file));
        assertTrue(clear.getMessage().contains("line 1") && clear.getMessage().contains("hash-password"), clear.getMessage());
        Files.writeString(file, "# nobody\n");
        assertThrows(IllegalArgumentException.class, () -> UserStore.load(file));
        assertTrue(UserStore.of(Map.of("u", PasswordHash.hash("p".toCharArray(), 1000))).check("u", "p".toCharArray()));
    }

    @Test
    void usersFileReadableByOthersIsRefused() throws Exception {
        Path file = Files.createTempDirectory("users").resolve("users");
        Files.writeString(file, "alice=" + PasswordHash.hash("a-pw".toCharArray(), 1000) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UserStore.load(file));
        assertTrue(e.getMessage().contains("other users may read or change it"), e.getMessage());
    }

    @Test
    void newHashesUse600000IterationsAndOldOnesAreUpgradedAtLogin() throws Exception {
        assertTrue(PasswordHash.hash("x".toCharArray()).startsWith("pbkdf2-sha256$600000$"));
        Path file = Files.createTempDirectory("users").resolve("users");
        String old = PasswordHash.hash("a-pw".toCharArray(), 210_000);
        Files.writeString(file, "# keep me\nalice=" + old + "\nbob=" + old + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        UserStore users = UserStore.load(file);
        assertFalse(users.check("alice", "wrong".toCharArray()));
        assertTrue(Files.readString(file).contains("alice=" + old), "a failed login changes nothing");
        assertTrue(users.check("alice", "a-pw".toCharArray()));
        List<String> lines = Files.readAllLines(file);
        assertEquals("# keep me", lines.get(0));
        assertTrue(lines.get(1).startsWith("alice=pbkdf2-sha256$600000$"), lines.get(1));
        assertEquals("bob=" + old, lines.get(2), "other users wait for their own login");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertTrue(UserStore.load(file).check("alice", "a-pw".toCharArray()), "the upgraded hash verifies");
    }
}
