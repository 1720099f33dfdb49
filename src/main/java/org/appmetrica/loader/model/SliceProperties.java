package org.appmetrica.loader.model;

import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;

import java.util.Properties;

/** Reads the job's parameters (job-level properties in the job XML) and the partition's slice. */
public final class SliceProperties {

    /** Step property set from the partition plan. */
    public static final String SLICE = "slice";

    private SliceProperties() {
    }

    /**
     * The job's parameters, parsed once per execution and kept as the job context's transient user data. JBeret gives
     * each partition a shallow copy of the job context made after the mapper ran, so the partitions share what the
     * first step or the mapper parsed; a copy made before that parses once for itself.
     */
    public static LoadSettings settings(JobContext jobContext) {
        if (jobContext.getTransientUserData() instanceof LoadSettings settings) {
            return settings;
        }
        LoadSettings settings = LoadParameters.parse(nonEmpty(jobContext.getProperties()));
        jobContext.setTransientUserData(settings);
        return settings;
    }

    /** The job XML passes an unset parameter as an empty string. */
    private static Properties nonEmpty(Properties job) {
        Properties p = new Properties();
        for (String name : job.stringPropertyNames()) {
            String value = job.getProperty(name);
            if (value != null && !value.isEmpty()) {
                p.setProperty(name, value);
            }
        }
        return p;
    }

    public static Slice slice(StepContext stepContext) {
        String key = stepContext.getProperties().getProperty(SLICE);
        if (key == null || key.isEmpty()) {
            throw new IllegalStateException("step property '" + SLICE + "' is not set: the load step must run partitioned");
        }
        return Slice.parse(key);
    }
}
