package org.appmetrica.loader.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start of the command a user types for the standalone loader: {@code java -XmxN
 * -XX:SharedArchiveFile=target/appmetrica-loader.jsa -jar target/appmetrica-loader.jar} (the archive when the build
 * made one, as docs/loads.md, "Running a load", shows).
 */
public final class LoaderCommand {

    public static final String JAR = System.getProperty("loader.jar", "target/appmetrica-loader.jar");
    private static final Path ARCHIVE = Path.of(JAR.replaceFirst("\\.jar$", ".jsa"));

    private LoaderCommand() {
    }

    /** An archive older than the jar would make the JVM print a warning on standard output (which --json must not have). */
    private static boolean isCurrent() {
        try {
            return Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(Path.of(JAR))) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The java launcher, the heap limit, the archive if present, and {@code -jar JAR}: arguments follow. */
    public static List<String> java(String maxHeap) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap));
        if (Files.isRegularFile(ARCHIVE) && isCurrent()) {
            command.add("-XX:SharedArchiveFile=" + ARCHIVE);
        }
        command.addAll(List.of("-jar", JAR));
        return command;
    }
}
