package org.appmetrica.loader.it;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.AccessPolicy;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.metrics.Failures;
import org.appmetrica.loader.model.LoadParameters;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job started through the JobOperator directly (as WildFly's start-job does), not by the launcher: its listener
 * refuses invalid parameters with the launcher's message, and the execution fails before any step runs.
 */
class ParameterCheckIT extends BatchIT {

    private static Properties valid() {
        return LoadParameters.builder().setAll(parameters("http://127.0.0.1:9", "param_check_it")).applicationIds(1).sources("events")
                .dateSince(LocalDate.of(2024, 3, 1)).dateUntil(LocalDate.of(2024, 3, 1)).build();
    }

    @Test
    void aMisspeltParameterFailsTheExecutionWithTheLaunchersMessage() throws Exception {
        Properties p = valid();
        p.setProperty("chunksize", "5000");
        assertRefusedAsTheLauncherRefuses(p, "unknown job parameter chunksize");
    }

    @Test
    void aRangeBackwardsFailsTheExecutionWithTheLaunchersMessage() throws Exception {
        Properties p = valid();
        p.setProperty(LoadParameters.DATE_SINCE, "2024-03-05");
        assertRefusedAsTheLauncherRefuses(p, "is before dateSince=2024-03-05");
    }

    private static void assertRefusedAsTheLauncherRefuses(Properties p, String expected) throws Exception {
        String launcher = assertThrows(AdminException.class,
                () -> new LoadLauncher(BatchIT::operator, AccessPolicy.unrestricted(), false).validate(p)).getMessage();
        JobExecution e = run(p);
        assertEquals(BatchStatus.FAILED, e.getBatchStatus(), describe(e));
        assertEquals(Failures.exitStatus(launcher), e.getExitStatus(), "the launcher's message, as a failure's");
        assertTrue(e.getExitStatus().contains(expected), e.getExitStatus());
        assertTrue(operator().getStepExecutions(e.getExecutionId()).isEmpty(), "no step ran");
    }
}
