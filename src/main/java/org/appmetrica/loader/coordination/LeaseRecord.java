package org.appmetrica.loader.coordination;

import java.time.Instant;

/**
 * The stored state of one slice lease. The row outlives the lease: {@code stageEpoch} names the content of the slice's
 * staging partition (changed by whoever empties it), so that a holder can tell whether its checkpoints still describe
 * what is staged. {@code version} makes every change a compare-and-set.
 */
public record LeaseRecord(String key, long version, boolean held, long executionId, long instanceId, String process,
                          String stageEpoch, Instant since) {

    public ProcessIdentity holderProcess() {
        return ProcessIdentity.decode(process);
    }

    LeaseRecord takenBy(long newExecutionId, long newInstanceId, ProcessIdentity newProcess, Instant now) {
        return new LeaseRecord(key, version + 1, true, newExecutionId, newInstanceId, newProcess.encode(), stageEpoch, now);
    }

    LeaseRecord released() {
        return new LeaseRecord(key, version + 1, false, executionId, instanceId, process, stageEpoch, since);
    }

    LeaseRecord withStageEpoch(String epoch) {
        return new LeaseRecord(key, version + 1, held, executionId, instanceId, process, epoch, since);
    }
}
