package org.appmetrica.loader.simulator;

import java.nio.file.Path;

/**
 * One rendered file of an export.
 *
 * @param tooLarge the file would exceed the row limit (the answer is 400, no file)
 */
record Rendered(Path file, long length, long rows, boolean tooLarge) {

    static final Rendered TOO_LARGE = new Rendered(null, 0, -1, true);
}
