package org.appmetrica.loader.reader;

import java.io.Serializable;
import java.util.List;

/**
 * Where the reader stands in its slice: which export (slice key and, per part, the SHA-256 of the spooled
 * bytes), how many rows are confirmed in the staging partition, and which content of that partition they belong to
 * (the slice lease's stage epoch; null in checkpoints written before leases existed), and the id of the spool the
 * parts were read from (null in older checkpoints: the spool is then downloaded again and compared by SHA-256).
 * Immutable; a new one per chunk.
 */
public record ReaderCheckpoint(String sliceKey, int partsCount, List<String> partSha256, long rowsDone, String stageEpoch,
                               String spoolId)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ReaderCheckpoint {
        partSha256 = List.copyOf(partSha256);
    }
}
