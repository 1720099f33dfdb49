package org.appmetrica.loader.standalone;

import jakarta.batch.runtime.BatchStatus;
import org.jberet.job.model.Job;
import org.jberet.repository.AbstractPersistentRepository;
import org.jberet.repository.JdbcRepository;
import org.jberet.runtime.JobExecutionImpl;
import org.jberet.runtime.JobInstanceImpl;
import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Properties;
import java.util.concurrent.ConcurrentMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails when a JBeret upgrade changes the execution cache that {@link ExecutionCache} empties by reflection. */
class ExecutionCacheTest {

    @Test
    void jberetKeepsExecutionsInTheFieldExpected() throws Exception {
        Field f = AbstractPersistentRepository.class.getDeclaredField(ExecutionCache.FIELD);
        assertTrue(ConcurrentMap.class.isAssignableFrom(f.getType()), f.getType().getName());
        Type[] types = ((ParameterizedType) f.getGenericType()).getActualTypeArguments();
        assertEquals(Long.class, types[0]);
        Type value = types[1] instanceof ParameterizedType p ? p.getRawType() : types[1];
        assertTrue(Reference.class.isAssignableFrom((Class<?>) value), value.getTypeName());
    }

    @Test
    void forgetsEndedExecutionsAndKeepsRunningOnes() throws Exception {
        Properties config = new Properties();
        config.setProperty("db-url", "jdbc:h2:mem:execution-cache-test;DB_CLOSE_DELAY=-1");
        JdbcRepository repository = new JdbcRepository(config);
        JobInstanceImpl instance = repository.createJobInstance(new Job("cache-test"), "test", getClass().getClassLoader());
        JobExecutionImpl ended = repository.createJobExecution(instance, new Properties());
        JobExecutionImpl running = repository.createJobExecution(instance, new Properties());
        running.setBatchStatus(BatchStatus.STARTED);
        ended.setBatchStatus(BatchStatus.COMPLETED);
        repository.updateJobExecution(ended, false, false);
        assertSame(ended, repository.getJobExecution(ended.getExecutionId()));

        ExecutionCache.forgetEnded(repository);

        assertNotSame(ended, repository.getJobExecution(ended.getExecutionId()), "read again from the database");
        assertEquals(BatchStatus.COMPLETED, repository.getJobExecution(ended.getExecutionId()).getBatchStatus());
        assertSame(running, repository.getJobExecution(running.getExecutionId()), "a running execution's live state stays");
    }
}
