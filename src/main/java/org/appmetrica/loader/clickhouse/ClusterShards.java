package org.appmetrica.loader.clickhouse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The shards of cluster {@code clickhouseCluster} as the server at {@code clickhouseUrl} lists them in system.clusters,
 * with the HTTP endpoint of each replica. A slice of application A lives on shard {@code A mod shardCount} (counted from
 * 0 in shard_num order), the shard a {@code Distributed(cluster, db, table, load_application_id)} table sends it to when
 * every shard has weight 1.
 */
public record ClusterShards(String cluster, List<List<String>> shards) {

    /**
     * @param entryEndpoint the endpoint of clickhouseUrl; a replica is reached at its host_name and this port, or at its
     *                      TCP port plus {@code httpPortOffset} when that is set (several nodes on one host)
     */
    public static ClusterShards read(ClickHouseConnection entry, String cluster, String entryEndpoint, Integer httpPortOffset) {
        Identifiers.requirePlainName("clickhouseCluster", cluster);
        URI uri = URI.create(entryEndpoint);
        TreeMap<Integer, List<String>> byShard = new TreeMap<>();
        for (String[] r : entry.query("SELECT shard_num, host_name, port, shard_weight FROM system.clusters WHERE cluster = '"
                + cluster + "' ORDER BY shard_num, replica_num")) {
            if (!r[3].equals("1")) {
                throw new IllegalStateException("ClickHouse cluster " + cluster + " gives shard " + r[0] + " weight " + r[3]
                        + ": the loader places application A on shard A mod shard count, as a Distributed table does only when"
                        + " every shard has weight 1");
            }
            int port = httpPortOffset == null ? uri.getPort() : Integer.parseInt(r[2]) + httpPortOffset;
            byShard.computeIfAbsent(Integer.parseInt(r[0]), k -> new ArrayList<>()).add(uri.getScheme() + "://" + r[1] + ":" + port);
        }
        if (byShard.isEmpty()) {
            throw new IllegalStateException("ClickHouse at clickhouseUrl has no cluster " + cluster + " in system.clusters"
                    + " (its remote_servers configuration): check clickhouseCluster");
        }
        return new ClusterShards(cluster, List.copyOf(byShard.values()));
    }

    /** Index (from 0) of the shard that holds the application's rows. */
    public int shardOf(long applicationId) {
        return (int) Long.remainderUnsigned(applicationId, shards.size());
    }

    /** HTTP endpoints of the replicas of the application's shard, in replica_num order. */
    public List<String> replicasOf(long applicationId) {
        return shards.get(shardOf(applicationId));
    }
}
