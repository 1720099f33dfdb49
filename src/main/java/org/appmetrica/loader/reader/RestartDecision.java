package org.appmetrica.loader.reader;

import java.util.List;

/**
 * What the reader does with its checkpoint, decided without any I/O so that each restart case is tested alone. The
 * reader asks twice: once it holds the slice's lease ({@link #atLease}), and once the export is on disk
 * ({@link #atExport}). Either answer may send the slice back to its first row; the reader then tells the writer, which
 * empties the staging partition.
 */
final class RestartDecision {

    enum Action {
        /** Read from the first row: a fresh slice, or a restart whose checkpoint holds no row. */
        FROM_START,
        /** Skip the checkpoint's rows and go on. */
        RESUME,
        /** The slice was published before the restart: read and publish nothing. */
        ALREADY_PUBLISHED,
        /** The rows the checkpoint counts can no longer be trusted: load the slice again from its first row. */
        FROM_FIRST_ROW
    }

    /** The action, the rows to skip, and a line for the log (null: nothing worth saying). */
    record Decision(Action action, long skip, String why, boolean warning) {

        static Decision of(Action action, long skip) {
            return new Decision(action, skip, null, false);
        }

        /** Whether the writer must empty the staging partition. */
        boolean restartsSlice() {
            return action == Action.FROM_FIRST_ROW;
        }
    }

    private RestartDecision() {
    }

    /** The checkpoint belongs to this slice, or this is a fresh start. */
    static void checkIdentity(ReaderCheckpoint saved, String sliceKey) {
        if (saved != null && !saved.sliceKey().equals(sliceKey)) {
            throw new IllegalStateException("checkpoint of slice " + saved.sliceKey() + " offered to slice " + sliceKey);
        }
    }

    /**
     * Once the lease is held.
     *
     * @param reportPublished the partition's saved report says the slice was published
     * @param leaseEpoch      the stage epoch of the lease now held
     */
    static Decision atLease(ReaderCheckpoint saved, boolean reportPublished, String leaseEpoch) {
        if (saved == null) {
            return Decision.of(Action.FROM_START, 0);
        }
        if (reportPublished) {
            // JBeret saves a partition's COMPLETED status only once every partition has been handed a thread; the
            // checkpoint committed after the swap says it all: the slice is in the target already.
            return new Decision(Action.ALREADY_PUBLISHED, saved.rowsDone(), "published before the restart; nothing to do", false);
        }
        if (!leaseEpoch.equals(saved.stageEpoch())) {
            return new Decision(Action.FROM_FIRST_ROW, 0, saved.rowsDone() == 0 ? null : "the staging partition no longer holds "
                    + "what the checkpoint describes (another load used it since); loading the slice again from its first row", false);
        }
        return Decision.of(saved.rowsDone() == 0 ? Action.FROM_START : Action.RESUME, saved.rowsDone());
    }

    /** Whether to read the export while it downloads: only from the first row, and not after such a read broke off. */
    static boolean readLive(long skip, boolean liveDownloadFailed) {
        return skip == 0 && !liveDownloadFailed;
    }

    /**
     * Once the export is on disk (or the fetch stopped).
     *
     * @param skip           the rows to skip as decided at the lease
     * @param savedParts     the number of parts the checkpoint names (1 on a fresh start)
     * @param parts          the number of parts the API asked for now
     * @param sha256         the parts' hashes now; null when the fetch stopped before it had them
     * @param spooledBefore  the export was on disk already before this open
     */
    static Decision atExport(ReaderCheckpoint saved, long skip, int savedParts, int parts, List<String> sha256,
                             boolean spooledBefore) {
        if (skip > 0 && parts != savedParts) {
            // the API asked for more parts: other files, other row order
            return new Decision(Action.FROM_FIRST_ROW, 0, null, false);
        }
        if (skip == 0 || sha256 == null) {
            return Decision.of(skip == 0 ? Action.FROM_START : Action.RESUME, skip);
        }
        if (saved.partSha256().isEmpty()) {
            // taken while the export was arriving: the spool, if complete, holds the very bytes those rows came from
            return spooledBefore ? Decision.of(Action.RESUME, skip) : new Decision(Action.FROM_FIRST_ROW, 0, "the last checkpoint "
                    + "was taken while the export was still arriving, and that download is gone; loading the slice again from its "
                    + "first row", false);
        }
        if (!saved.partSha256().equals(sha256)) {
            return new Decision(Action.FROM_FIRST_ROW, 0, "the export downloaded again differs from the one loading started from; "
                    + "loading the slice again from its first row", true);
        }
        return Decision.of(Action.RESUME, skip);
    }
}
