package org.appmetrica.loader.testing;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.context.StepContext;

import java.io.Serializable;
import java.util.Properties;

/**
 * A partition's step context for batch artifacts run without a batch runtime. The reader, writer and chunk listener
 * of one partition share one instance, as they share the runtime's; a restart gets a new one carrying over only the
 * persistent user data (see {@link #restarted()}).
 */
public final class FakeStepContext implements StepContext {

    private final Properties properties;
    private Object transientUserData;
    private Serializable persistentUserData;
    private String exitStatus;

    public FakeStepContext(Properties properties) {
        this.properties = properties;
    }

    /** The partition's context after a restart: the same properties and persistent user data, nothing transient. */
    public FakeStepContext restarted() {
        FakeStepContext next = new FakeStepContext(properties);
        next.persistentUserData = persistentUserData;
        return next;
    }

    @Override
    public String getStepName() {
        return "load-slices";
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
    public long getStepExecutionId() {
        return 1;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public Serializable getPersistentUserData() {
        return persistentUserData;
    }

    @Override
    public void setPersistentUserData(Serializable data) {
        persistentUserData = data;
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

    @Override
    public Exception getException() {
        return null;
    }

    @Override
    public Metric[] getMetrics() {
        return new Metric[0];
    }
}
