package org.appmetrica.loader.writer;

import java.io.Serializable;

/**
 * How many rows of the slice are in the staging partition as of the last committed chunk, and the stage epoch of that
 * content (see SliceLease). Immutable.
 */
public record WriterCheckpoint(String sliceKey, long rowsStaged, String stageEpoch) implements Serializable {

    private static final long serialVersionUID = 1L;
}
