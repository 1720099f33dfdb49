package org.appmetrica.loader.standalone;

import org.appmetrica.loader.admin.Coverage;
import org.appmetrica.loader.admin.CoverageService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code coverage --database DB [--json]}: the day coverage of a database, as {@code GET /api/coverage} answers it. */
@Command(name = "coverage", description = "Which days of each application and source are loaded, final, missing, failed or loading: "
        + "coverage --database DB [--application ID] [--source S] [--from DAY] [--to DAY] [--json]")
final class CoverageCommand implements Callable<Integer> {

    /** One letter a cell in the text grid. */
    private static final Map<String, String> MARKS = Map.of(Coverage.FINAL, "#", Coverage.RELOADABLE, "+", Coverage.MISSING, ".",
            Coverage.FAILED, "X", Coverage.STOPPED, "s", Coverage.LOADING, "~");

    @CommandLine.ParentCommand
    LoaderCli cli;
    @Option(names = "--database", required = true, description = "the ClickHouse database the loads write to")
    String database;
    @Option(names = "--application", description = "only this application id")
    String application;
    @Option(names = "--source", description = "only this source")
    String source;
    @Option(names = "--from", description = "first day (default: the first known)")
    String from;
    @Option(names = "--to", description = "last day (default: the last known)")
    String to;
    @CommandLine.Mixin
    JsonOption json;
    @Option(names = "--rows", description = "show each source's row count in its cell")
    boolean rows;

    @Override
    public Integer call() throws Exception {
        cli.init(json.on);
        return LoaderCli.adminCommand(json.on, () -> new CoverageService(cli.queries(), cli.connections())
                .coverage(CoverageService.Query.parse(database, application, source, from, to)), r -> print((Coverage) r, rows));
    }

    private static void print(Coverage c, boolean withRows) {
        if (c.applications().isEmpty()) {
            System.out.println("nothing loaded into " + c.database() + " yet");
            return;
        }
        System.out.println("coverage of " + c.database() + " " + c.from() + ".." + c.to()
                + "  (# final, + loaded but inside the re-load window, . missing, X failed, s stopped, ~ loading)");
        for (Coverage.Application app : c.applications()) {
            System.out.println();
            System.out.printf("application %d%n%-10s %10s", app.applicationId(), "DAY", "ROWS");
            app.sources().forEach(s -> System.out.printf(" %-16s", s));
            System.out.println();
            for (Coverage.Day d : app.days()) {
                System.out.printf("%-10s %10d", d.day(), d.rows());
                for (String s : app.sources()) {
                    Coverage.Cell cell = d.cells().get(s);
                    String text = MARKS.get(cell.state()) + " " + cell.state() + (withRows ? " " + cell.rows() : "");
                    System.out.printf(" %-16s", text);
                }
                System.out.println();
            }
            reasons(app).forEach(line -> System.out.println("  " + line));
        }
    }

    /** One line per source and run of days with the same failed or stopped execution and reason, not one per cell. */
    static List<String> reasons(Coverage.Application app) {
        List<String> lines = new ArrayList<>();
        for (String s : app.sources()) {
            String first = null;
            String last = null;
            String said = null;
            for (Coverage.Day d : app.days()) {
                Coverage.Cell cell = d.cells().get(s);
                String says = reason(s, cell);
                if (says != null && says.equals(said)) {
                    last = d.day();
                    continue;
                }
                if (said != null) {
                    lines.add(s + " " + (first.equals(last) ? first : first + ".." + last) + ": " + said);
                }
                said = says;
                first = d.day();
                last = d.day();
            }
            if (said != null) {
                lines.add(s + " " + (first.equals(last) ? first : first + ".." + last) + ": " + said);
            }
        }
        return lines;
    }

    private static String reason(String source, Coverage.Cell cell) {
        String restart = cell.restartable() ? " (restart " + cell.executionId() + ")" : "";
        if (Coverage.FAILED.equals(cell.state())) {
            return "execution " + cell.executionId() + " failed: " + cell.error() + restart;
        }
        if (Coverage.STOPPED.equals(cell.state())) {
            return "execution " + cell.executionId() + " was stopped before it loaded these days" + restart;
        }
        return null;
    }
}
