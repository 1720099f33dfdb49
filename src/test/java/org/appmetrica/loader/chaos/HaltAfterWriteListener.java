package org.appmetrica.loader.chaos;

import jakarta.batch.api.chunk.listener.AbstractItemWriteListener;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only: kills the JVM at the worst moment, right after an INSERT reached ClickHouse and before the chunk's
 * checkpoint is committed, when system property {@code chaos.haltAfterWrites} = N and N chunks have been written.
 */
@Named
@Dependent
public class HaltAfterWriteListener extends AbstractItemWriteListener {

    private static final AtomicInteger WRITES = new AtomicInteger();

    @Override
    public void afterWrite(List<Object> items) {
        int limit = Integer.getInteger("chaos.haltAfterWrites", 0);
        if (limit > 0 && WRITES.incrementAndGet() >= limit) {
            System.out.println("chaos: halting after write " + limit);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
