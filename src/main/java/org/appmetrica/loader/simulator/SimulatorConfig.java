package org.appmetrica.loader.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one {@link LogsApiSimulator}.
 *
 * @param port           TCP port on 127.0.0.1; 0 picks a free one
 * @param tokens         valid OAuth token to the application ids it may read (an empty set means every application)
 * @param seed           seed of the simulated data and of the fault sequence
 * @param rowsPerDay     rows per (application, source, day); for dateless sources (push_tokens, profiles) rows per application
 * @param readyAfter     number of 202 answers an export gets before it is ready; 0 means 200 at once
 * @param maxRowsPerFile 0 = unlimited; a file (or part) with more rows is answered 400 "Too much data. Try to use more parts."
 * @param faultRate      probability 0..1 that any request gets a random 500/502/503/504 (seeded, deterministic sequence)
 */
public record SimulatorConfig(int port,
                              Map<String, Set<Long>> tokens,
                              long seed,
                              int rowsPerDay,
                              int readyAfter,
                              long maxRowsPerFile,
                              double faultRate) {

    public SimulatorConfig {
        Objects.requireNonNull(tokens, "tokens");
        Map<String, Set<Long>> copy = new LinkedHashMap<>();
        tokens.forEach((token, apps) -> copy.put(Objects.requireNonNull(token, "token"),
                apps == null ? Set.of() : Set.copyOf(apps)));
        tokens = Map.copyOf(copy);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (rowsPerDay < 0) {
            throw new IllegalArgumentException("rowsPerDay must be >= 0");
        }
        if (readyAfter < 0) {
            throw new IllegalArgumentException("readyAfter must be >= 0");
        }
        if (maxRowsPerFile < 0) {
            throw new IllegalArgumentException("maxRowsPerFile must be >= 0");
        }
        if (!(faultRate >= 0.0 && faultRate <= 1.0)) {
            throw new IllegalArgumentException("faultRate must be within 0..1");
        }
    }

    /** Port 0, the token may read every application, seed 42, 100 rows per day, ready after 2 polls, no size limit, no faults. */
    public static SimulatorConfig defaults(String token) {
        return new SimulatorConfig(0, Map.of(token, Set.of()), 42L, 100, 2, 0L, 0.0);
    }

    public SimulatorConfig withPort(int newPort) {
        return new SimulatorConfig(newPort, tokens, seed, rowsPerDay, readyAfter, maxRowsPerFile, faultRate);
    }

    public SimulatorConfig withTokens(Map<String, Set<Long>> newTokens) {
        return new SimulatorConfig(port, newTokens, seed, rowsPerDay, readyAfter, maxRowsPerFile, faultRate);
    }

    public SimulatorConfig withSeed(long newSeed) {
        return new SimulatorConfig(port, tokens, newSeed, rowsPerDay, readyAfter, maxRowsPerFile, faultRate);
    }

    public SimulatorConfig withRowsPerDay(int newRowsPerDay) {
        return new SimulatorConfig(port, tokens, seed, newRowsPerDay, readyAfter, maxRowsPerFile, faultRate);
    }

    public SimulatorConfig withReadyAfter(int newReadyAfter) {
        return new SimulatorConfig(port, tokens, seed, rowsPerDay, newReadyAfter, maxRowsPerFile, faultRate);
    }

    public SimulatorConfig withMaxRowsPerFile(long newMaxRowsPerFile) {
        return new SimulatorConfig(port, tokens, seed, rowsPerDay, readyAfter, newMaxRowsPerFile, faultRate);
    }

    public SimulatorConfig withFaultRate(double newFaultRate) {
        return new SimulatorConfig(port, tokens, seed, rowsPerDay, readyAfter, maxRowsPerFile, newFaultRate);
    }
}
