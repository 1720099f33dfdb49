package org.appmetrica.loader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SecretRefTest {

    @TempDir
    Path dir;

    private Path secret(String mode) throws IOException {
        Path file = Files.writeString(dir.resolve("token-" + mode), "tok-3f9\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String refused(Path file) {
        String message = assertThrows(IllegalArgumentException.class, () -> SecretRef.resolve("tokenRef", "file:" + file, true)).getMessage();
        assertFalse(message.contains("tok-3f9"), message);
        return message;
    }

    @Test
    void ownerOnlyFilesAreRead() throws Exception {
        assertEquals("tok-3f9", SecretRef.resolve("tokenRef", "file:" + secret("rw-------"), true));
        assertEquals("tok-3f9", SecretRef.resolve("tokenRef", "file:" + secret("r--------"), true));
    }

    @Test
    void anyGroupOrOtherBitIsRefused() throws Exception {
        for (String mode : new String[] {"rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw---x---", "rw------x"}) {
            assertTrue(refused(secret(mode)).contains("other users may read or change it"), mode);
        }
    }

    @Test
    void linksAreRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), secret("rw-------"));
        assertTrue(refused(link).contains("is a symbolic link"));
    }

    @Test
    void aFileOfAnotherUserIsRefused() throws Exception {
        Path file = secret("rw-------");
        UserPrincipal nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(file, nobody);
        } catch (IOException e) {
            assumeTrue(false, "only root can give a file away: " + e);
        }
        assertTrue(refused(file).contains("belongs to nobody"));
    }
}
