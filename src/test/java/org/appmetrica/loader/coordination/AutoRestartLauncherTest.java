package org.appmetrica.loader.coordination;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.JobInstance;
import org.appmetrica.loader.admin.LoadLauncher;
import org.appmetrica.loader.model.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AutoRestart restarts through admin.LoadLauncher: the checks and the owner stamp of a restart by hand apply. */
class AutoRestartLauncherTest {

    private static final String TOKEN = "appmetrica.test.auto-restart-token";
    private final List<Properties> restarts = new ArrayList<>();

    /** A JobOperator that knows one load execution and records what it is asked to restart it with. */
    private JobOperator operator() {
        JobInstance instance = (JobInstance) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobInstance.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getJobName" -> Jobs.LOAD_JOB;
                    case "getInstanceId" -> 1L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (JobOperator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobOperator.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getJobInstance" -> instance;
                    case "restart" -> {
                        restarts.add((Properties) args[1]);
                        yield 77L;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private AutoRestart autoRestart() {
        JobOperator op = operator();
        return new AutoRestart(() -> {
            throw new SQLException("not read by a restart");
        }, LoadLauncher.unattended(() -> op)::restart);
    }

    private static Properties crashedWith(String... extra) {
        Properties p = new Properties();
        p.setProperty("applicationIds", "1");
        p.setProperty("sources", "events");
        p.setProperty("dateSince", "2024-03-01");
        p.setProperty("dateUntil", "2024-03-02");
        p.setProperty("tokenRef", "prop:" + TOKEN);
        p.setProperty("autoRestart", "3");
        p.setProperty(Coordination.OWNER_PARAMETER, "gone-host/1/1");
        p.setProperty("jberet.jobXmlName", Jobs.LOAD_JOB);
        for (int i = 0; i < extra.length; i += 2) {
            p.setProperty(extra[i], extra[i + 1]);
        }
        return p;
    }

    @AfterEach
    void clear() {
        System.clearProperty(TOKEN);
    }

    @Test
    void aValidLoadIsRestartedOwnedByThisProcess() {
        System.setProperty(TOKEN, "not-a-real-token");
        List<long[]> told = new ArrayList<>();
        AutoRestart a = autoRestart().onRestarted((crashed, id) -> told.add(new long[] {crashed, id}));
        Optional<Long> id = a.restart(new AutoRestart.Crashed(5, Instant.EPOCH, crashedWith(), 1));
        assertEquals(Optional.of(77L), id);
        assertEquals(1, restarts.size());
        Properties p = restarts.get(0);
        assertEquals(ProcessIdentity.current().encode(), p.getProperty(Coordination.OWNER_PARAMETER), "stamped by the launcher: " + p);
        assertTrue(p.stringPropertyNames().stream().noneMatch(k -> k.startsWith("jberet.")), p.toString());
        assertEquals("3", p.getProperty("autoRestart"));
        assertEquals(1, told.size());
        assertEquals(5, told.get(0)[0]);
    }

    @Test
    void theLaunchersChecksRefuseARestart() {
        System.setProperty(TOKEN, "not-a-real-token");
        assertEquals(Optional.empty(), autoRestart().restart(new AutoRestart.Crashed(5, Instant.EPOCH, crashedWith("chunkSize", "0"), 1)),
                "invalid parameters: not restarted");
        System.clearProperty(TOKEN);
        assertEquals(Optional.empty(), autoRestart().restart(new AutoRestart.Crashed(6, Instant.EPOCH, crashedWith(), 1)),
                "a token that cannot be found: not restarted");
        assertTrue(restarts.isEmpty(), "the operator was never asked: " + restarts);
    }
}
