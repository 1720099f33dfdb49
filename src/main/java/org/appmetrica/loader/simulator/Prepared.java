package org.appmetrica.loader.simulator;

import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;

/** One preparation of an export: the data snapshot and its rendered variants (one per part selection). */
final class Prepared {

    final SimulatedData data;
    final ExportQuery query;
    final Map<String, FutureTask<Rendered>> files = new ConcurrentHashMap<>();
    volatile boolean cancelled;

    Prepared(SimulatedData data, ExportQuery query) {
        this.data = data;
        this.query = query;
    }

    /** Cancels the preparation and deletes its finished files; a download still streaming one keeps its open file. */
    void discard() {
        cancelled = true;
        for (FutureTask<Rendered> task : files.values()) {
            if (task.isDone()) {
                try {
                    Rendered r = task.get();
                    if (r != null && r.file() != null) {
                        Files.deleteIfExists(r.file());
                        Files.deleteIfExists(r.gzipFile());
                    }
                } catch (Exception e) {
                    // nothing to delete
                }
            }
        }
    }
}
