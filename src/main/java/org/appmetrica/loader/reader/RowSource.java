package org.appmetrica.loader.reader;

import java.io.IOException;

/** Rows of one export file, streamed. */
public interface RowSource extends AutoCloseable {

    /** The next row's values in requested-field order (a view valid until the next call), or null at the end. */
    Cells next() throws IOException;

    @Override
    void close() throws IOException;
}
