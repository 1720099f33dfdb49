package org.appmetrica.loader.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PrivateFilesTest {

    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void directoriesAre700AndFiles600() throws Exception {
        Path root = tmp.resolve("spool");
        Path dir = root.resolve("7").resolve("101_events_2024-03-01");
        PrivateFiles.createDirectories(root, dir);
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(dir.getParent()));
        assertEquals("rwx------", mode(dir));
        try (OutputStream out = PrivateFiles.create(dir.resolve("part-0-of-1.csv.part"))) {
            out.write(1);
        }
        assertEquals("rw-------", mode(dir.resolve("part-0-of-1.csv.part")));
    }

    @Test
    void aLinkPlacedAtAPartFileIsReplacedNotFollowed() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "keep", StandardCharsets.UTF_8);
        Path dir = tmp.resolve("spool");
        PrivateFiles.createDirectories(dir, dir);
        Path part = dir.resolve("part-0-of-1.csv.part");
        Files.createSymbolicLink(part, victim);
        try (OutputStream out = PrivateFiles.create(part)) {
            out.write("rows".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("keep", Files.readString(victim), "the link's target is untouched");
        assertFalse(Files.isSymbolicLink(part));
        assertEquals("rows", Files.readString(part));
    }

    @Test
    void aRootThatIsALinkOrAnotherUsersIsRefused() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertTrue(assertThrows(IOException.class, () -> PrivateFiles.createDirectories(link, link.resolve("1"))).getMessage()
                .contains("symbolic link"));

        Path foreign = Files.createDirectory(tmp.resolve("foreign"));
        try {
            Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } catch (IOException e) {
            assumeTrue(false, "only root can give a directory away: " + e);
        }
        assertTrue(assertThrows(IOException.class, () -> PrivateFiles.createDirectories(foreign, foreign.resolve("1"))).getMessage()
                .contains("belongs to nobody"));
    }
}
