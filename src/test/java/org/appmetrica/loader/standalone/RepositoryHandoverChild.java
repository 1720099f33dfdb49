package org.appmetrica.loader.standalone;

import org.appmetrica.loader.coordination.JdbcCoordinationStore;
import org.appmetrica.loader.coordination.LeaseRecord;
import org.appmetrica.loader.coordination.ProcessIdentity;
import org.appmetrica.loader.testing.TestRepository;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.Optional;

/**
 * One of the short-lived processes of {@link RepositoryHandoverIT}: opens the standalone repository as the CLI does
 * (serving the H2 file to the others while it is the first), then, for the given milliseconds, counts up one shared
 * lease version by compare-and-set. Prints {@code incremented N}; any failure ends it with exit code 1.
 */
public final class RepositoryHandoverChild {

    static final String KEY = "handover-test/counter";

    public static void main(String[] args) throws Exception {
        // on PostgreSQL (-Drepository.url) the database of the data directory, made by the test before
        String url = TestRepository.postgres() ? TestRepository.SERVER + "/" + args[2] : StandaloneRuntime.defaultRepositoryUrl(Path.of(args[0]));
        String user = TestRepository.postgres() ? TestRepository.USER : "sa";
        String password = TestRepository.postgres() ? TestRepository.PASSWORD : "";
        long until = System.currentTimeMillis() + Long.parseLong(args[1]);
        RepositoryDriver.register();
        JdbcCoordinationStore store = new JdbcCoordinationStore(() -> DriverManager.getConnection(url, user, password));
        ProcessIdentity me = ProcessIdentity.current();
        long incremented = 0;
        while (System.currentTimeMillis() < until) {
            store.heartbeat(me, Instant.now());
            Optional<LeaseRecord> current = store.lease(KEY);
            // each write carries a value unique to it, so that a write applied although its answer was lost is counted once
            String mark = me.encode() + "#" + incremented;
            if (current.isEmpty()) {
                if (store.insertLease(new LeaseRecord(KEY, 1, false, 0, 0, mark, "-", Instant.now()))
                        || store.lease(KEY).filter(now -> now.process().equals(mark)).isPresent()) {
                    incremented++;
                }
                continue;
            }
            LeaseRecord r = current.get();
            LeaseRecord next = new LeaseRecord(KEY, r.version() + 1, false, 0, 0, mark, "-", Instant.now());
            if (store.replaceLease(r.version(), next) || store.lease(KEY).filter(now -> now.process().equals(mark)).isPresent()) {
                incremented++;
            }
        }
        System.out.println("incremented " + incremented);
        System.exit(0); // the H2 server threads of a serving process would keep the JVM alive
    }
}
