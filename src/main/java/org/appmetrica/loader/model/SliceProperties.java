package org.appmetrica.loader.model;

import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;

import java.util.Properties;

/** Reads the job's parameters (job-level properties in the job XML) and the partition's slice. */
public final class SliceProperties {

    /** Step property set from the partition plan. */
    public static final String SLICE = "slice";
    /** Partition plan property: the validated {@code chunkSize}, read by the chunk's {@code item-count}. */
    public static final String CHUNK_SIZE = "chunkSize";

    private SliceProperties() {
    }

    public static LoadSettings settings(JobContext jobContext) {
        Properties p = new Properties();
        Properties job = jobContext.getProperties();
        for (String name : job.stringPropertyNames()) {
            String value = job.getProperty(name);
            if (value != null && !value.isEmpty()) {
                p.setProperty(name, value);
            }
        }
        return LoadParameters.parse(p);
    }

    public static Slice slice(StepContext stepContext) {
        String key = stepContext.getProperties().getProperty(SLICE);
        if (key == null || key.isEmpty()) {
            throw new IllegalStateException("step property '" + SLICE + "' is not set: the load step must run partitioned");
        }
        return Slice.parse(key);
    }
}
