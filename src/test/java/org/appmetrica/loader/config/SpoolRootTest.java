package org.appmetrica.loader.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Red team, issue 23 item 2: a spoolDir the loader did not make is neither chmod-ed nor emptied; deletes never follow links. */
class SpoolRootTest {

    @TempDir
    Path tmp;

    @AfterEach
    void noHook() {
        SpoolRoot.beforeDescend = name -> { };
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void loadsStartingTogetherAllClaimANewRoot() throws Exception {
        // two executions of one console began at once: one of them failed "cannot make the spool directory …/.appmetrica-loader-spool"
        for (int round = 0; round < 20; round++) {
            Path root = tmp.resolve("spool-" + round);
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<?>> claims = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (int i = 0; i < 4; i++) {
                    String instance = Integer.toString(i + 1);
                    claims.add(pool.submit(() -> {
                        start.await();
                        PrivateFiles.createDirectories(root, root.resolve(instance));
                        return null;
                    }));
                }
                for (Future<?> c : claims) {
                    c.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(Files.isRegularFile(root.resolve(SpoolRoot.MARK), LinkOption.NOFOLLOW_LINKS));
            assertEquals("rwx------", mode(root));
        }
    }

    @Test
    void aDirectoryTheLoaderDidNotMakeIsRefusedAndLeftAsItWas() throws Exception {
        Path foreign = Files.createDirectory(tmp.resolve("srv"));
        Files.createDirectory(foreign.resolve("26"));
        Files.writeString(foreign.resolve("26").resolve("keep"), "data");
        Files.writeString(foreign.resolve("config"), "x");
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        String m = assertThrows(IOException.class, () -> PrivateFiles.createDirectories(foreign, foreign.resolve("27"))).getMessage();
        assertTrue(m.contains("was not made by the loader"), m);
        assertEquals("rwxr-xr-x", mode(foreign), "never chmod-ed");
        assertFalse(Files.exists(foreign.resolve(SpoolRoot.MARK)));

        assertThrows(IOException.class, () -> SpoolRoot.delete(foreign, "26"));
        assertEquals("data", Files.readString(foreign.resolve("26").resolve("keep")), "nothing deleted outside a spool root");
    }

    @Test
    void anOpenEmptyDirectoryIsRefusedNotTightened() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(IOException.class, () -> PrivateFiles.createDirectories(open, open.resolve("1")));
        assertEquals("rwxrwxrwx", mode(open));
    }

    @Test
    void aNewOrEmptyPrivateRootIsMarkedAndUsed() throws Exception {
        Path fresh = tmp.resolve("fresh");
        PrivateFiles.createDirectories(fresh, fresh.resolve("1").resolve("a"));
        assertTrue(Files.isRegularFile(fresh.resolve(SpoolRoot.MARK)));
        assertEquals("rwx------", mode(fresh));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwx------"));
        PrivateFiles.createDirectories(empty, empty.resolve("1"));
        assertTrue(Files.isRegularFile(empty.resolve(SpoolRoot.MARK)));
        SpoolRoot.delete(fresh, "1");
        assertFalse(Files.exists(fresh.resolve("1"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(fresh.resolve(SpoolRoot.MARK)), "the root itself stays");
    }

    @Test
    void aDirectorySwappedForALinkDuringTheDeleteIsNotFollowed() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Path canary = Files.writeString(outside.resolve("canary"), "alive");
        Path root = tmp.resolve("spool");
        Path slice = root.resolve("26").resolve("1_events_2024-03-01");
        PrivateFiles.createDirectories(root, slice);
        Files.writeString(slice.resolve("part-0-of-1.csv"), "rows");
        // between the listing (it was a directory) and opening it, the directory becomes a link to another one
        SpoolRoot.beforeDescend = name -> {
            if (name.toString().equals("1_events_2024-03-01")) {
                try {
                    Files.move(slice, root.resolve("moved-away"));
                    Files.createSymbolicLink(slice, outside);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        };
        SpoolRoot.delete(root, "26");
        assertEquals("alive", Files.readString(canary), "the link's target keeps its files");
        assertFalse(Files.exists(root.resolve("26"), LinkOption.NOFOLLOW_LINKS), "the instance and the link are gone");
    }

    @Test
    void anInstanceThatIsALinkIsRemovedItself() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Path canary = Files.writeString(outside.resolve("canary"), "alive");
        Path root = tmp.resolve("spool");
        PrivateFiles.createDirectories(root, root.resolve("1"));
        Files.createSymbolicLink(root.resolve("26"), outside);
        SpoolRoot.delete(root, "26");
        assertEquals("alive", Files.readString(canary));
        assertFalse(Files.exists(root.resolve("26"), LinkOption.NOFOLLOW_LINKS));
    }
}
