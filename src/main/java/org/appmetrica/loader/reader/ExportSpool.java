package org.appmetrica.loader.reader;

import org.appmetrica.loader.config.PrivateFiles;
import org.appmetrica.loader.job.Slice;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Local disk copy of one slice's export, per job instance: {@code <spoolDir>/<instance>/<app>_<source>_<day>/},
 * private to this process's user (directories 700, files 600; see {@link PrivateFiles}).
 * A restart of the same instance re-reads the same bytes (the API does not promise the same row order twice);
 * a new instance starts from a fresh export.
 */
final class ExportSpool {

    private static final String SUBMITTED = "submitted";

    private final Path root;
    private final Path dir;

    ExportSpool(Path spoolDir, long jobInstanceId, Slice slice) {
        this.root = spoolDir;
        this.dir = spoolDir.resolve(Long.toString(jobInstanceId))
                .resolve(slice.applicationId() + "_" + slice.source() + "_" + (slice.day() == null ? "all" : slice.day()));
    }

    /** Where a part goes; its directory exists (mode 700) once this returns. */
    Path part(int partsCount, int part, String format) {
        createDirectory();
        return dir.resolve("part-" + part + "-of-" + partsCount + "." + format);
    }

    /** True once the API acknowledged this export (first 202): later requests must not ask for a fresh file. */
    boolean submitted() {
        return Files.exists(dir.resolve(SUBMITTED));
    }

    void markSubmitted() {
        createDirectory();
        if (!submitted()) {
            try (OutputStream mark = PrivateFiles.create(dir.resolve(SUBMITTED))) {
                mark.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void createDirectory() {
        try {
            PrivateFiles.createDirectories(root, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the spool directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes downloaded files (not the submitted mark), e.g. before asking for more parts. */
    void deleteParts() {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteAll() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
