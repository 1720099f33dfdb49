package org.appmetrica.loader.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Loaders started at the same moment on a new data directory agree on one repository password. */
class RepositoryPasswordTest {

    @TempDir
    Path temp;

    @Test
    void processesStartingTogetherAllGetTheSamePassword() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 300; round++) {
                Path dir = Files.createDirectory(temp.resolve("data-" + round),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Future<String>> answers = pool.invokeAll(java.util.Collections.nCopies(threads, () -> {
                    together.await();
                    return RepositoryPassword.readOrCreate(dir.resolve(RepositoryPassword.FILE));
                }));
                Set<String> passwords = answers.stream().map(f -> {
                    try {
                        return f.get();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }).collect(Collectors.toSet());
                assertEquals(1, passwords.size(), "round " + round + ": " + passwords.size() + " passwords");
                assertFalse(passwords.iterator().next().isEmpty(), "round " + round + ": an empty password");
                try (var left = Files.list(dir)) {
                    assertEquals(List.of(RepositoryPassword.FILE), left.map(p -> p.getFileName().toString()).toList());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
