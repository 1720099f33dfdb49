package org.appmetrica.loader.regular;

import java.time.LocalDate;
import java.util.List;

/**
 * What one run of a regular load does: load the days {@code since..until} (null when nothing is due), and drop the
 * recorded days that are no longer wanted (before a later load-from).
 */
public record LoadPlan(LocalDate since, LocalDate until, boolean fullReload, List<LoadState> drop) {

    public boolean nothingToLoad() {
        return since == null;
    }
}
