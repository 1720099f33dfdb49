package org.appmetrica.loader.model;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlicePropertiesTest {

    /** The job context as JBeret fills it: every parameter of the job XML, unset ones empty. */
    private static Context context(Properties parameters) {
        Context c = new Context();
        c.properties.setProperty(LoadParameters.FORMAT, "");
        parameters.forEach(c.properties::put);
        return c;
    }

    @Test
    void parsesOncePerExecutionAndPartitionCopiesShareIt() {
        Context main = context(LoadParameters.builder().applicationIds(1).sources("events").day(LocalDate.of(2024, 3, 1)).build());
        LoadSettings settings = SliceProperties.settings(main);
        assertEquals("csv", settings.format(), "an empty parameter takes its default");
        assertSame(settings, SliceProperties.settings(main));
        Context partition = main.copy(); // what JBeret gives a partition: a shallow clone, made after the mapper ran
        assertSame(settings, SliceProperties.settings(partition));
    }

    @Test
    void aBadParameterFailsEveryTime() {
        Context c = context(LoadParameters.builder().applicationIds(1).sources("nope").build());
        assertThrows(IllegalArgumentException.class, () -> SliceProperties.settings(c));
        assertThrows(IllegalArgumentException.class, () -> SliceProperties.settings(c));
    }

    private static final class Context implements JobContext {
        Properties properties = new Properties();
        Object transientUserData;

        Context copy() {
            Context c = new Context();
            c.properties = properties;
            c.transientUserData = transientUserData;
            return c;
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
            return 1;
        }

        @Override
        public long getExecutionId() {
            return 1;
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
            return null;
        }

        @Override
        public void setExitStatus(String status) {
        }
    }
}
