package org.appmetrica.loader.logsapi;

import org.appmetrica.loader.config.PrivateFiles;
import org.appmetrica.loader.config.SpoolRoot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Local disk copy of one slice's export, per job instance: {@code <spoolDir>/<instance>/<app>_<source>_<day>/},
 * private to this process's user (directories 700, files 600; see {@link PrivateFiles}).
 * A restart of the same instance re-reads the same bytes (the API does not promise the same row order twice);
 * a new instance starts from a fresh export.
 * <p>Instance ids are not proof of ownership (a recreated job repository counts from 1 again), so each spool
 * carries an {@code identity} file: a random id, which the reader's checkpoint repeats, and the fingerprint of its
 * request. Downloaded parts are reused only when both match; the "submitted" mark (which holds no data) when the
 * fingerprint does.
 * <p>Each part's SHA-256, computed while it was downloaded, is kept beside it ({@code <part>.sha256}), so that a
 * reused part is never read only to be hashed.
 */
public final class ExportSpool {

    private static final String SUBMITTED = "submitted";
    private static final String IDENTITY = "identity";
    private static final String SHA256 = ".sha256";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Ids of spools this process wrote: a retry before the first checkpoint may trust them without one. */
    private static final Set<String> WRITTEN_HERE = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Path dir;
    private final String fingerprint;

    /** The spool of {@code request}'s slice (application, source, day); its parts count and part number are ignored. */
    ExportSpool(Path spoolDir, long jobInstanceId, ExportRequest request) {
        this.root = spoolDir;
        this.dir = instanceDir(spoolDir, jobInstanceId).resolve(request.applicationId() + "_" + request.source() + "_"
                + (request.dateSince() == null ? "all" : request.dateSince()));
        this.fingerprint = request.withPart(1, 0).fingerprint();
    }

    private static Path instanceDir(Path spoolDir, long jobInstanceId) {
        return spoolDir.resolve(Long.toString(jobInstanceId));
    }

    /**
     * Makes the spool this load's own before anything is read from it, and returns the id to checkpoint.
     *
     * @param checkpointedId the id the reader's checkpoint names, or null (first open, or a checkpoint older than ids)
     */
    String claim(String checkpointedId) {
        createDirectory();
        List<String> found = identity();
        boolean sameRequest = found.size() == 2 && found.get(1).equals(fingerprint);
        if (sameRequest && (found.get(0).equals(checkpointedId) || WRITTEN_HERE.contains(found.get(0)))) {
            return found.get(0);
        }
        deleteParts();
        try {
            if (!sameRequest) {
                Files.deleteIfExists(dir.resolve(SUBMITTED));
            }
            String id = HexFormat.of().formatHex(randomBytes());
            Path file = dir.resolve(IDENTITY);
            Files.deleteIfExists(file);
            try (OutputStream out = PrivateFiles.create(file)) {
                out.write((id + "\n" + fingerprint + "\n").getBytes(StandardCharsets.UTF_8));
            }
            WRITTEN_HERE.add(id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the spool's identity in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The identity file's lines (id, fingerprint), or nothing when it is missing, not a regular file or unreadable. */
    private List<String> identity() {
        Path file = dir.resolve(IDENTITY);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Where a part goes; its directory exists (mode 700) once this returns. */
    Path part(int partsCount, int part, String format) {
        createDirectory();
        return dir.resolve("part-" + part + "-of-" + partsCount + "." + format);
    }

    /** Records a part's SHA-256 once the part is complete on disk. */
    void saveSha256(Path part, String sha256) {
        Path file = part.resolveSibling(part.getFileName() + SHA256);
        try {
            Files.deleteIfExists(file);
            try (OutputStream out = PrivateFiles.create(file)) {
                out.write(sha256.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 saved beside a part, if any (a part spooled by an older version has none). */
    Optional<String> sha256(Path part) {
        Path file = part.resolveSibling(part.getFileName() + SHA256);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            String sha = Files.readString(file, StandardCharsets.UTF_8).strip();
            return sha.isEmpty() ? Optional.empty() : Optional.of(sha);
        } catch (IOException e) {
            return Optional.empty();
        }
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

    /** Removes downloaded files and their hashes (not the submitted mark), e.g. before asking for more parts. */
    void deleteParts() {
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes everything one job instance spooled: when it completes, and when it is abandoned. Only inside a spool root
     * the loader made, and never through a link (see {@link SpoolRoot#delete}).
     */
    public static void deleteInstance(Path spoolDir, long jobInstanceId) throws IOException {
        SpoolRoot.delete(spoolDir, Long.toString(jobInstanceId));
    }
}
