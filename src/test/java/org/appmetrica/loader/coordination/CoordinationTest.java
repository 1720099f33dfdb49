package org.appmetrica.loader.coordination;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slice leases and crash detection over a real H2 database that holds a JOB_EXECUTION table as JBeret's has it. Other
 * processes are real: a live child ({@code sleep}) and a child that has been killed.
 */
class CoordinationTest {

    private static final String KEY = "db/events/101/2024-03-01";
    private String url;
    private Process live;
    private ProcessIdentity liveProcess;
    private ProcessIdentity deadProcess;

    @BeforeEach
    void setUp() throws Exception {
        url = "jdbc:h2:mem:coordination-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE JOB_EXECUTION (JOBEXECUTIONID BIGINT PRIMARY KEY, CREATETIME TIMESTAMP, STARTTIME TIMESTAMP, "
                    + "ENDTIME TIMESTAMP, LASTUPDATEDTIME TIMESTAMP, BATCHSTATUS VARCHAR(30), EXITSTATUS VARCHAR(512), JOBPARAMETERS VARCHAR(3000))");
        }
        Coordination.use(new JdbcCoordinationStore(() -> DriverManager.getConnection(url, "sa", "")));
        live = new ProcessBuilder("sleep", "300").start();
        liveProcess = identity(live);
        Process dead = new ProcessBuilder("sleep", "300").start();
        deadProcess = identity(dead);
        dead.destroyForcibly();
        assertTrue(dead.waitFor(10, TimeUnit.SECONDS));
    }

    @AfterEach
    void tearDown() {
        live.destroyForcibly();
    }

    private static ProcessIdentity identity(Process p) {
        return new ProcessIdentity(ProcessIdentity.current().host(), p.pid(),
                p.info().startInstant().orElseThrow().toEpochMilli());
    }

    private void execution(long id, String status, Instant updated) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("MERGE INTO JOB_EXECUTION (JOBEXECUTIONID, CREATETIME, LASTUPDATEDTIME, BATCHSTATUS) "
                     + "KEY (JOBEXECUTIONID) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setTimestamp(2, Timestamp.from(updated));
            ps.setTimestamp(3, Timestamp.from(updated));
            ps.setString(4, status);
            ps.executeUpdate();
        }
    }

    private String[] stored(long id) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT BATCHSTATUS, EXITSTATUS FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    /** A lease row as another process would have left it. */
    private void heldBy(long executionId, long instanceId, ProcessIdentity process, String epoch) {
        assertTrue(Coordination.store().insertLease(new LeaseRecord(KEY, 1, true, executionId, instanceId, process.encode(), epoch, Instant.now())));
    }

    @Test
    void aFreshLeaseHasANewEpochAndNoPreviousInstance() throws Exception {
        execution(1, "STARTED", Instant.now());
        SliceLease lease = SliceLease.tryAcquire(KEY, 1, 10).orElseThrow();
        assertEquals(-1, lease.previousInstanceId());
        assertEquals(36, lease.stageEpoch().length());
        String before = lease.stageEpoch();
        lease.renewStageEpoch();
        assertNotEquals(before, lease.stageEpoch());
        lease.verifyHeld();
    }

    @Test
    void aLiveHolderKeepsTheSliceAndTheWaiterNamesIt() throws Exception {
        execution(7, "STARTED", Instant.now());
        execution(8, "STARTED", Instant.now());
        heldBy(7, 70, liveProcess, "e1");
        assertTrue(SliceLease.tryAcquire(KEY, 8, 80).isEmpty(), "a live execution in another process keeps its slice");
        List<String> lines = new ArrayList<>();
        SliceLease.BusyException busy = assertThrows(SliceLease.BusyException.class,
                () -> SliceLease.acquire(KEY, 8, 80, Duration.ofMillis(600), () -> false, lines::add, Clock.systemUTC()));
        assertTrue(busy.getMessage().contains("execution 7 (pid " + live.pid()), busy.getMessage());
        assertTrue(lines.get(0).startsWith("waiting for execution 7 (pid " + live.pid()), lines.toString());
        assertThrows(SliceLease.StoppedWaiting.class,
                () -> SliceLease.acquire(KEY, 8, 80, Duration.ofHours(1), () -> true, l -> { }, Clock.systemUTC()));
    }

    @Test
    void aLeaseDiesWithItsProcessAndTheStagedContentStaysNamed() throws Exception {
        execution(7, "STARTED", Instant.now());
        execution(8, "STARTED", Instant.now());
        heldBy(7, 70, deadProcess, "epoch-of-7");
        SliceLease taken = SliceLease.tryAcquire(KEY, 8, 70).orElseThrow();
        assertEquals("epoch-of-7", taken.stageEpoch(), "a restart of the same instance can trust its checkpoints");
        assertEquals(70, taken.previousInstanceId());
    }

    @Test
    void aLeaseDiesWithItsExecutionEvenIfTheProcessLives() throws Exception {
        execution(7, "FAILED", Instant.now());
        execution(8, "STARTED", Instant.now());
        heldBy(7, 70, liveProcess, "e");
        assertTrue(SliceLease.tryAcquire(KEY, 8, 80).isPresent(), "the console process lives on after its execution failed");
    }

    @Test
    void aTakenOverLeaseFencesItsFormerHolder() throws Exception {
        execution(7, "STARTED", Instant.now());
        execution(8, "STARTED", Instant.now());
        SliceLease first = SliceLease.tryAcquire(KEY, 7, 70).orElseThrow();
        execution(7, "FAILED", Instant.now()); // e.g. marked crashed
        SliceLease second = SliceLease.tryAcquire(KEY, 8, 80).orElseThrow();
        second.renewStageEpoch();
        IllegalStateException lost = assertThrows(IllegalStateException.class, first::verifyHeld);
        assertTrue(lost.getMessage().contains("taken over by execution 8"), lost.getMessage());
        assertThrows(IllegalStateException.class, first::renewStageEpoch);
        first.release(); // does nothing: the lease is not its own any more
        second.verifyHeld();
        second.release();
        assertFalse(Coordination.store().lease(KEY).orElseThrow().held());
        assertEquals(second.stageEpoch(), Coordination.store().lease(KEY).orElseThrow().stageEpoch(), "the epoch outlives the lease");
    }

    @Test
    void waitingEndsAsSoonAsTheHolderReleases() throws Exception {
        execution(7, "STARTED", Instant.now());
        execution(8, "STARTED", Instant.now());
        SliceLease first = SliceLease.tryAcquire(KEY, 7, 70).orElseThrow();
        // the holder is this very process: alive; it lets go once the waiter has said what it waits for
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread releaser = new Thread(() -> {
            while (lines.isEmpty()) {
                Thread.onSpinWait();
            }
            first.release();
        });
        releaser.start();
        SliceLease second = SliceLease.acquire(KEY, 8, 80, Duration.ofMinutes(2), () -> false, lines::add, Clock.systemUTC());
        releaser.join();
        assertEquals(first.stageEpoch(), second.stageEpoch());
        assertEquals(70, second.previousInstanceId());
    }

    @Test
    void crashedExecutionsAreMarkedFailedAndLiveOnesAreLeftAlone() throws Exception {
        execution(1, "STARTED", Instant.now());
        execution(2, "STARTED", Instant.now());
        execution(3, "STOPPING", Instant.now());
        execution(4, "STARTING", Instant.now());
        execution(5, "STARTED", Instant.now().minus(Duration.ofHours(1)));
        execution(6, "COMPLETED", Instant.now().minus(Duration.ofHours(1)));
        Coordination.store().recordOwner(1, deadProcess);
        Coordination.store().recordOwner(2, liveProcess);
        Coordination.store().recordOwner(3, deadProcess);
        Coordination.store().recordOwner(6, deadProcess);
        // 4 has no owner yet and is new: the instant between its start and its owner record
        // 5 has no owner and was last heard of an hour ago: started by a loader without owner records

        assertEquals(List.of(1L, 3L, 5L), CrashedExecutions.reconcile());
        assertEquals("FAILED", stored(1)[0]);
        assertTrue(stored(1)[1].startsWith("CRASHED: the process that ran it (pid " + deadProcess.pid()), stored(1)[1]);
        assertEquals("STARTED", stored(2)[0], "a live execution in another process is never declared dead");
        assertEquals("FAILED", stored(3)[0]);
        assertEquals("STARTING", stored(4)[0]);
        assertTrue(stored(5)[1].startsWith("CRASHED: no process has claimed it since"), stored(5)[1]);
        assertEquals("COMPLETED", stored(6)[0]);
        assertEquals(List.of(), CrashedExecutions.reconcile(), "marking is done once");
    }

    @Test
    void anExecutionKilledBeforeItsOwnerRecordIsKnownByTheProcessThatStartedIt() throws Exception {
        execution(9, "STARTING", Instant.now());
        execution(10, "STARTING", Instant.now());
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("UPDATE JOB_EXECUTION SET JOBPARAMETERS = ? WHERE JOBEXECUTIONID = ?")) {
            // JBeret's stored form: key=value lines
            ps.setString(1, "sources=events\n" + Coordination.OWNER_PARAMETER + "=" + deadProcess.encode() + "\n");
            ps.setLong(2, 9);
            ps.executeUpdate();
            ps.setString(1, Coordination.OWNER_PARAMETER + "=" + liveProcess.encode() + "\n");
            ps.setLong(2, 10);
            ps.executeUpdate();
        }
        assertEquals(List.of(9L), CrashedExecutions.reconcile());
        assertEquals("STARTING", stored(10)[0]);
    }

    @Test
    void processesOfOtherHostsLiveByTheirHeartbeat() {
        ProcessIdentity remote = new ProcessIdentity("another-host", 4242, 1);
        assertTrue(remote.aliveOnThisHost().isEmpty());
        assertFalse(Coordination.isAlive(remote), "no heartbeat: gone");
        Coordination.store().heartbeat(remote, Instant.now());
        assertTrue(Coordination.isAlive(remote));
        Coordination.store().heartbeat(remote, Instant.now().minus(Coordination.HEARTBEAT_TIMEOUT).minusSeconds(1));
        assertFalse(Coordination.isAlive(remote));
        assertEquals(remote, ProcessIdentity.decode(remote.encode()));
        assertTrue(ProcessIdentity.current().aliveOnThisHost().orElseThrow());
        assertTrue(liveProcess.aliveOnThisHost().orElseThrow());
        assertFalse(deadProcess.aliveOnThisHost().orElseThrow());
        ProcessIdentity reused = new ProcessIdentity(liveProcess.host(), liveProcess.pid(), liveProcess.startedMillis() - 60_000);
        assertFalse(reused.aliveOnThisHost().orElseThrow(), "a pid taken by a later process is not the old process");
    }

    @Test
    void aProcessOfAnotherHostThatHasNotBeatYetLivesWhileItsExecutionIsYoung() {
        ProcessIdentity starting = new ProcessIdentity("third-host", 77, 1);
        assertTrue(Coordination.isAlive(starting, Instant.now().minusSeconds(5)), "its execution was written 5 s ago: alive");
        assertFalse(Coordination.isAlive(starting, Instant.now().minus(Coordination.HEARTBEAT_TIMEOUT).minusSeconds(1)));
        Coordination.store().heartbeat(starting, Instant.now());
        assertTrue(Coordination.isAlive(starting, Instant.EPOCH), "a fresh heartbeat vouches for it");
    }
}
