package org.appmetrica.loader.clickhouse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterShardsTest {

    @Test
    void anApplicationLivesOnShardIdModShardCountAsADistributedTablePutsIt() {
        ClusterShards shards = new ClusterShards("c2x2", List.of(List.of("http://a:8123", "http://b:8123"), List.of("http://c:8123")));
        assertEquals(1, shards.shardOf(601));
        assertEquals(0, shards.shardOf(602));
        assertEquals(List.of("http://c:8123"), shards.replicasOf(1111));
        assertEquals(List.of("http://a:8123", "http://b:8123"), shards.replicasOf(0));
    }
}
