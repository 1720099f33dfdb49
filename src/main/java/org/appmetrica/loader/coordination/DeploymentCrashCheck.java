package org.appmetrica.loader.coordination;

import jakarta.interceptor.Interceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * In an application server: when the deployment starts (at server start, or deployed again), executions that the job
 * repository still calls STARTING, STARTED or STOPPING although the process that ran them is gone (a server killed
 * with SIGKILL, out of memory, a power cut) are marked FAILED with a {@code CRASHED: ...} exit status, so that the
 * batch subsystem's {@code read-resource} and the console show them as what they are and {@code restart-job} continues
 * them from their checkpoints. Executions of this very server process are never touched (see
 * {@link CrashedExecutions}). When the deployment goes away, this process's heartbeat thread ends with it.
 * <p>Standalone, the CLI and the console check at their own start instead ({@link Coordination#installedByRunner()}).
 */
@ApplicationScoped
public class DeploymentCrashCheck {

    private static final Logger LOG = Logger.getLogger(DeploymentCrashCheck.class.getName());

    /** Early (priority): what else starts at deployment, e.g. the metrics' reads of the repository, comes after it. */
    void deployed(@Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.APPLICATION) Object event) {
        if (Coordination.installedByRunner()) {
            return;
        }
        try {
            List<Long> crashed = CrashedExecutions.reconcile();
            LOG.info(crashed.isEmpty() ? "crash check at deployment: no execution was left behind by a process that is gone"
                    : "crash check at deployment: executions " + crashed + " were left unfinished by a process that is gone; "
                    + "marked FAILED (crashed), restart them to continue");
        } catch (RuntimeException e) {
            // Never fail the deployment for this: the console and restart-job check again when they are used.
            LOG.log(Level.WARNING, "crash check at deployment failed: " + e.getMessage(), e);
        }
    }

    void undeployed(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (!Coordination.installedByRunner()) {
            Coordination.stopHeartbeat();
        }
    }
}
