package org.appmetrica.loader.standalone;

import org.appmetrica.loader.model.Jobs;
import org.jberet.repository.AbstractPersistentRepository;
import org.jberet.repository.JobRepository;
import org.jberet.runtime.JobExecutionImpl;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * JBeret keeps the executions it has read in memory ({@code AbstractPersistentRepository.jobExecutions}) and never reads
 * an ended one from the database again, so a long-running process (the console) would not see what other processes
 * changed since, like an execution abandoned with the CLI. No public API forgets them ({@code removeJobExecutions}
 * deletes them from the database too): this is the one reflective access to JBeret, and ExecutionCacheTest fails when
 * a JBeret upgrade changes the field.
 */
final class ExecutionCache {

    static final String FIELD = "jobExecutions";
    private static final Logger LOG = Logger.getLogger(ExecutionCache.class.getName());
    private static final Field JOB_EXECUTIONS = field();

    private ExecutionCache() {
    }

    /** The field, or null (logged once) when this JBeret has none such: ended executions then show as last seen. */
    private static Field field() {
        try {
            Field f = AbstractPersistentRepository.class.getDeclaredField(FIELD);
            if (!ConcurrentMap.class.isAssignableFrom(f.getType())) {
                throw new NoSuchFieldException(FIELD + " is a " + f.getType().getName() + ", not a ConcurrentMap");
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("this JBeret version has no execution cache " + AbstractPersistentRepository.class.getName() + "." + FIELD
                    + " (" + e.getMessage() + "): the console shows ended executions as this process last saw them");
            return null;
        }
    }

    /** Forgets the ended executions; running ones stay, their in-memory state is the live one. */
    static void forgetEnded(JobRepository repository) {
        if (JOB_EXECUTIONS == null || !(repository instanceof AbstractPersistentRepository)) {
            return;
        }
        Map<?, ?> cache;
        try {
            cache = (Map<?, ?>) JOB_EXECUTIONS.get(repository);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read JBeret's execution cache " + FIELD + ": " + e.getMessage(), e);
        }
        cache.values().removeIf(ref -> {
            Object e = ((Reference<?>) ref).get();
            return e == null || e instanceof JobExecutionImpl x && Jobs.ended(x);
        });
    }
}
