package org.appmetrica.loader.logsapi;

import java.nio.file.Path;

/** A complete export file on local disk. {@code sha256} identifies its bytes across restarts. */
public record Download(Path file, long bytes, String sha256) {
}
