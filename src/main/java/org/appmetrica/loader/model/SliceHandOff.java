package org.appmetrica.loader.model;

import org.appmetrica.loader.coordination.SliceLease;

/**
 * What the reader's {@code open} hands the writer's {@code open} (a chunk step opens its reader before its writer,
 * and the writer checks that it did): the slice's lease, null when the reader stopped before it got it; and whether the export to read is not the
 * one the checkpoints describe, so that the writer empties the staging partition and counts from zero.
 */
public record SliceHandOff(SliceLease lease, boolean fromFirstRow) {
}
