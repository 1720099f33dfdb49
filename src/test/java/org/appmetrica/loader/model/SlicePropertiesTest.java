package org.appmetrica.loader.model;

import org.appmetrica.loader.testing.FakeJobContext;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SlicePropertiesTest {

    /** The job context as JBeret fills it: every parameter of the job XML, unset ones empty. */
    private static FakeJobContext context(Properties parameters) {
        Properties p = new Properties();
        p.setProperty(LoadParameters.FORMAT, "");
        p.putAll(parameters);
        return new FakeJobContext(p, 1, 1);
    }

    @Test
    void parsesOncePerExecutionAndPartitionCopiesShareIt() {
        FakeJobContext main = context(LoadParameters.builder().applicationIds(1).sources("events").day(LocalDate.of(2024, 3, 1)).build());
        LoadSettings settings = SliceProperties.settings(main);
        assertEquals("csv", settings.format(), "an empty parameter takes its default");
        assertSame(settings, SliceProperties.settings(main));
        FakeJobContext partition = main.partitionCopy(); // what JBeret gives a partition: a shallow clone, made after the mapper ran
        assertSame(settings, SliceProperties.settings(partition));
    }

    @Test
    void aBadParameterFailsEveryTime() {
        FakeJobContext c = context(LoadParameters.builder().applicationIds(1).sources("nope").build());
        assertThrows(IllegalArgumentException.class, () -> SliceProperties.settings(c));
        assertThrows(IllegalArgumentException.class, () -> SliceProperties.settings(c));
    }
}
