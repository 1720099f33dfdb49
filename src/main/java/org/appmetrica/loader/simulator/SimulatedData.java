package org.appmetrica.loader.simulator;

import org.appmetrica.loader.schema.SourceSpec;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The simulator's ground truth: a pure function of (seed, application, source, day, row ordinal, field name), no I/O.
 * Row {@code i} of (application, source, day) has its own seed; each field's value is derived from that seed and the
 * field's name only, so a value never depends on which other fields were requested. Values are rendered exactly as
 * the Logs API renders them (text) and are valid for the field's ClickHouse column type.
 */
public final class SimulatedData {

    private final long seed;
    private final int rowsPerDay;
    private final LateRows lateRows;

    public SimulatedData(long seed, int rowsPerDay) {
        this(seed, rowsPerDay, LateRows.NONE);
    }

    public SimulatedData(long seed, int rowsPerDay, LateRows lateRows) {
        if (rowsPerDay < 0) {
            throw new IllegalArgumentException("rowsPerDay must be >= 0");
        }
        this.seed = seed;
        this.rowsPerDay = rowsPerDay;
        this.lateRows = lateRows;
    }

    /**
     * Late data (docs/logs-api.md §4.9): a day is not final when it ends. On the simulated day {@code today()}, a day that ended
     * {@code age} days ago ({@code age} 0 = yesterday) still lacks {@code perDay × (days − age)} of its
     * {@code rowsPerDay} rows; they arrive one batch a day, appended, until the day is {@code days} days old.
     */
    public record LateRows(int perDay, int days, Supplier<LocalDate> today) {

        public static final LateRows NONE = new LateRows(0, 0, () -> LocalDate.MAX);

        long missing(LocalDate day) {
            if (perDay == 0 || day == null) {
                return 0;
            }
            long age = ChronoUnit.DAYS.between(day, today.get()) - 1;
            if (age < 0) {
                return (long) perDay * days; // today or the future: only what has arrived so far
            }
            return (long) perDay * Math.max(0, days - age);
        }
    }

    public long seed() {
        return seed;
    }

    public int rowsPerDay() {
        return rowsPerDay;
    }

    public LateRows lateRows() {
        return lateRows;
    }

    /**
     * Rows of one (application, source, day) in file order, values as the API renders them (text), for the given
     * fields in the given order (a field may repeat). {@code day} is null for dateless sources.
     *
     * @param filters field to required value (equality on the rendered text); may be empty
     * @throws IllegalArgumentException for a field the source does not export, or a day/dateless mismatch
     */
    public Iterator<String[]> rows(long applicationId, SourceSpec source, LocalDate day, List<String> fields,
                                   Map<String, String> filters) {
        Projection projection = projection(applicationId, source, fields, filters);
        long count = rowCount(applicationId, source, day);
        projection.row.day(day);
        return new Iterator<>() {
            private long next = -1;
            private String[] pending;

            @Override
            public boolean hasNext() {
                while (pending == null && next + 1 < count) {
                    next++;
                    if (projection.select(next)) {
                        pending = projection.values(new String[projection.width()]);
                    }
                }
                return pending != null;
            }

            @Override
            public String[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String[] out = pending;
                pending = null;
                return out;
            }
        };
    }

    /**
     * Number of rows of one (application, source, day) before filters. Every reader of the data goes through this
     * method, so a later rule (e.g. a day's content growing with simulated time) plugs in here.
     */
    public long rowCount(long applicationId, SourceSpec source, LocalDate day) {
        checkDay(source, day);
        return Math.max(0, rowsPerDay - lateRows.missing(day));
    }

    /**
     * The part (0-based, of {@code partsCount}) a row belongs to: a stable hash of the row's ordinal within its day
     * and of the day (null for dateless sources).
     */
    public static int partOf(LocalDate day, long ordinal, int partsCount) {
        if (partsCount <= 1) {
            return 0;
        }
        long dayKey = day == null ? 0x7FFF_FFFF_FFFFL : day.toEpochDay();
        long h = Mix.mix(Mix.mix(dayKey * Mix.GOLDEN + 0x1234_5678L) + ordinal * Mix.GOLDEN);
        return (int) Long.remainderUnsigned(h, partsCount);
    }

    Projection projection(long applicationId, SourceSpec source, List<String> fields, Map<String, String> filters) {
        SourceInfo info = SourceInfo.of(Objects.requireNonNull(source, "source"));
        SimRow row = new SimRow(seed, applicationId, info);
        FieldGen[] gens = new FieldGen[fields.size()];
        for (int i = 0; i < gens.length; i++) {
            gens[i] = info.field(fields.get(i));
        }
        FieldGen[] filterGens = new FieldGen[filters == null ? 0 : filters.size()];
        String[] filterValues = new String[filterGens.length];
        if (filters != null) {
            int i = 0;
            for (Map.Entry<String, String> e : filters.entrySet()) {
                filterGens[i] = info.field(e.getKey());
                filterValues[i] = Objects.requireNonNull(e.getValue(), "filter value");
                i++;
            }
        }
        return new Projection(row, gens, filterGens, filterValues);
    }

    private static void checkDay(SourceSpec source, LocalDate day) {
        if (source.datesRequired() && day == null) {
            throw new IllegalArgumentException("source " + source.name() + " needs a day");
        }
        if (!source.datesRequired() && day != null) {
            throw new IllegalArgumentException("source " + source.name() + " is dateless: pass day == null");
        }
    }

    /** A cursor bound to requested fields and filters. Not thread-safe. */
    static final class Projection {
        final SimRow row;
        private final FieldGen[] fields;
        private final FieldGen[] filterFields;
        private final String[] filterValues;

        Projection(SimRow row, FieldGen[] fields, FieldGen[] filterFields, String[] filterValues) {
            this.row = row;
            this.fields = fields;
            this.filterFields = filterFields;
            this.filterValues = filterValues;
        }

        int width() {
            return fields.length;
        }

        boolean hasFilters() {
            return filterFields.length > 0;
        }

        /** Positions on row {@code i} of the current day; true when the row passes the filters. */
        boolean select(long i) {
            row.row(i);
            for (int k = 0; k < filterFields.length; k++) {
                if (!filterValues[k].equals(row.value(filterFields[k]))) {
                    return false;
                }
            }
            return true;
        }

        /** Values of the current row, in field order. */
        String[] values(String[] out) {
            for (int k = 0; k < fields.length; k++) {
                out[k] = row.value(fields[k]);
            }
            return out;
        }
    }
}
