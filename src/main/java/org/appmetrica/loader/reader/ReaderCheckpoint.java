package org.appmetrica.loader.reader;

import java.io.Serializable;
import java.util.List;

/**
 * Where the reader stands in its slice: which export (slice key and, per part, the SHA-256 of the spooled
 * bytes) and how many rows have been handed out. Immutable; a new one per chunk.
 */
public record ReaderCheckpoint(String sliceKey, int partsCount, List<String> partSha256, long rowsDone) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ReaderCheckpoint {
        partSha256 = List.copyOf(partSha256);
    }
}
