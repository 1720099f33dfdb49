package org.appmetrica.loader.simulator;

import java.nio.file.Path;

/**
 * One rendered file of an export and its gzip copy, made together while the export is prepared (as the real API
 * prepares its file on its own servers), so that a download only copies bytes.
 *
 * @param tooLarge the file would exceed the row limit (the answer is 400, no file)
 */
record Rendered(Path file, long length, Path gzipFile, long gzipLength, long rows, boolean tooLarge) {

    static final Rendered TOO_LARGE = new Rendered(null, 0, null, 0, -1, true);
}
