package org.appmetrica.loader.clickhouse;

import com.clickhouse.client.api.DataStreamWriter;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Staging and publishing of one slice (application, day) of one table.
 * Rows are inserted into the staging table's partition; {@link #publish} swaps that partition into the
 * target with {@code ALTER TABLE … REPLACE PARTITION … FROM}, which is atomic and idempotent on every
 * ClickHouse version we support, so a reader of the target never sees a day half-loaded or doubled.
 */
public final class SliceTables {

    private static final long MUTATION_WAIT_MS = 600_000;
    private static final long SYNC_REPLICA_MS = 30_000;
    /** The loader's own paths ({@link TableLayout}), as the server expanded them: safe inside a string literal. */
    private static final Pattern ZOOKEEPER_PATH = Pattern.compile("/[A-Za-z0-9_/.-]{1,200}");

    private final ClickHouseConnection connection;
    private final String database;
    private final TableLayout layout;
    private final long applicationId;
    private final LocalDate day;
    /** ReplicatedMergeTree tables on a cluster; {@code connection} then talks to a replica of the slice's shard. */
    private final boolean replicated;

    public SliceTables(ClickHouseConnection connection, String database, TableLayout layout, long applicationId, LocalDate day) {
        this(connection, database, layout, applicationId, day, false);
    }

    public SliceTables(ClickHouseConnection connection, String database, TableLayout layout, long applicationId, LocalDate day,
                       boolean replicated) {
        this.replicated = replicated;
        this.connection = connection;
        this.database = Identifiers.requirePlainName("clickhouseDatabase", database);
        this.layout = layout;
        this.applicationId = applicationId;
        this.day = day;
    }

    public String stageTable() {
        return Identifiers.qualified(database, layout.stageTableName());
    }

    public String targetTable() {
        return Identifiers.qualified(database, layout.tableName());
    }

    /** Empties this slice's staging partition (a fresh start of the slice). */
    public void resetStage() {
        connection.execute("ALTER TABLE " + stageTable() + " DROP PARTITION " + partition());
    }

    /**
     * Rows of this slice in the staging table. On a replica, first fetches what other replicas of the shard wrote (an
     * earlier execution may have written through another replica), so that the count covers every staged part.
     */
    public long stageRows() {
        if (replicated) {
            syncStage();
        }
        return connection.queryLong("SELECT count() FROM " + stageTable() + " WHERE " + slicePredicate());
    }

    /**
     * Waits until this replica has pulled the shard's replication log and fetched every staged part. Not SYSTEM SYNC
     * REPLICA: on 18.16 it ignores receive_timeout and waits as long as a part held only by a replica that is down cannot
     * be fetched. Then the slice fails after {@link #SYNC_REPLICA_MS}, not after retries.
     */
    private void syncStage() {
        String sql = "SELECT queue_size, log_pointer, log_max_index, zookeeper_path FROM system.replicas WHERE database = '"
                + database + "' AND table = '" + layout.stageTableName() + "'";
        long deadline = System.currentTimeMillis() + SYNC_REPLICA_MS;
        while (true) {
            List<String[]> rows = connection.query(sql);
            if (rows.isEmpty()) {
                throw new IllegalStateException(stageTable() + " is not a replicated table on this replica");
            }
            String[] r = rows.get(0);
            if (Long.parseLong(r[0]) == 0 && (Long.parseLong(r[1]) > Long.parseLong(r[2]) || logIsEmpty(r))) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("this replica did not fetch every staged part of " + stageTable() + " within "
                        + SYNC_REPLICA_MS / 1000 + " s (replication queue " + r[0] + ", log " + r[1] + " of " + r[2] + "): another"
                        + " replica of the shard that holds some is probably down. Restart the load once every replica of the"
                        + " shard is up.");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClickHouseException("interrupted while waiting for replication of " + stageTable(), e);
            }
        }
    }

    /**
     * Pointer 0 and last index 0 mean both "one entry, not pulled yet" and "no entry ever": a staging table no replica
     * of the shard has inserted into yet (a load killed before its first INSERT there). Only the log itself tells.
     */
    private boolean logIsEmpty(String[] replica) {
        String path = replica[3];
        if (Long.parseLong(replica[1]) != 0 || !ZOOKEEPER_PATH.matcher(path).matches()) {
            return false;
        }
        return connection.queryLong("SELECT count() FROM system.zookeeper WHERE path = '" + path + "/log'") == 0;
    }

    public long targetRows() {
        return connection.queryLong("SELECT count() FROM " + targetTable() + " WHERE " + slicePredicate());
    }

    /**
     * Deletes staged rows at positions {@code >= keepRows}: rows of a chunk that reached ClickHouse although its
     * checkpoint was never committed. On servers with {@link ServerVersion#lightweightDeleteInPartition()} a lightweight
     * delete of this slice's partition only, synchronous; before, a mutation over the staging table, waited for,
     * because 18.16 has no synchronous delete.
     */
    public void trimStage(long keepRows) {
        String predicate = slicePredicate() + " AND " + TableLayout.ROW_COLUMN + " >= " + keepRows;
        if (connection.version().lightweightDeleteInPartition()) {
            // lightweight_deletes_sync=2 (the default, but a user profile may change it): return once the rows are gone
            connection.execute("DELETE FROM " + stageTable() + " IN PARTITION " + partition() + " WHERE " + predicate,
                    Map.of("lightweight_deletes_sync", "2"));
        } else {
            connection.deleteAndWait(database, layout.stageTableName(), predicate, MUTATION_WAIT_MS);
        }
    }

    /**
     * Atomically replaces the target partition with the staged one. The staged rows stay (the parts are shared by
     * hard links) until the job's clean-up, so that a publish replayed after a crash replaces with the same rows.
     */
    public void publish() {
        connection.execute("ALTER TABLE " + targetTable() + " REPLACE PARTITION " + partition() + " FROM " + stageTable());
    }

    /** Removes this slice from the target table (a day no longer wanted); nothing happens if it is absent. */
    public void dropTarget() {
        connection.execute("ALTER TABLE " + targetTable() + " DROP PARTITION " + partition());
    }

    /** Inserts rows (Native blocks) into this slice's staging partition. */
    public void insert(DataStreamWriter rows) {
        List<String> columns = layout.columnNames();
        // A replicated table drops a block identical to one inserted before (by hash): a chunk sent again after a trim
        // would be lost without insert_deduplicate=0.
        connection.insertNative(database + "." + layout.stageTableName(), columns, rows,
                replicated ? Map.of("insert_deduplicate", "0") : Map.of());
    }

    private String partition() {
        return "(" + applicationId + ", '" + day + "')";
    }

    private String slicePredicate() {
        return TableLayout.APPLICATION_COLUMN + " = " + applicationId + " AND " + TableLayout.DATE_COLUMN + " = '" + day + "'";
    }
}
