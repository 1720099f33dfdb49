package org.appmetrica.loader.writer;

import java.io.Serializable;

/** How many rows of the slice are in the staging partition as of the last committed chunk. Immutable. */
public record WriterCheckpoint(String sliceKey, long rowsStaged) implements Serializable {

    private static final long serialVersionUID = 1L;
}
