package org.appmetrica.loader.testing;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import org.appmetrica.loader.model.Jobs;

import java.util.Properties;

/** A job context for batch artifacts run without a batch runtime: the job's properties and ids. */
public final class FakeJobContext implements JobContext {

    private final Properties properties;
    private final long instanceId;
    private final long executionId;
    private Object transientUserData;
    private String exitStatus;

    public FakeJobContext(Properties properties, long instanceId, long executionId) {
        this.properties = properties;
        this.instanceId = instanceId;
        this.executionId = executionId;
    }

    /** What JBeret gives a partition: a shallow clone, sharing the properties and the transient user data's value. */
    public FakeJobContext partitionCopy() {
        FakeJobContext copy = new FakeJobContext(properties, instanceId, executionId);
        copy.transientUserData = transientUserData;
        return copy;
    }

    @Override
    public String getJobName() {
        return Jobs.LOAD_JOB;
    }

    @Override
    public Object getTransientUserData() {
        return transientUserData;
    }

    @Override
    public void setTransientUserData(Object data) {
        transientUserData = data;
    }

    @Override
    public long getInstanceId() {
        return instanceId;
    }

    @Override
    public long getExecutionId() {
        return executionId;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public BatchStatus getBatchStatus() {
        return BatchStatus.STARTED;
    }

    @Override
    public String getExitStatus() {
        return exitStatus;
    }

    @Override
    public void setExitStatus(String status) {
        exitStatus = status;
    }
}
