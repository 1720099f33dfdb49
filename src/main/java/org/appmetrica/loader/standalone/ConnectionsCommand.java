package org.appmetrica.loader.standalone;

import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import org.appmetrica.loader.admin.AdminException;
import org.appmetrica.loader.admin.AdminJson;
import org.appmetrica.loader.connection.Connection;
import org.appmetrica.loader.admin.ConnectionService;
import org.appmetrica.loader.admin.ConnectionView;
import org.appmetrica.loader.connection.EditPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code connections list|show|add|edit|pause|resume|run|delete}: the connections in the job repository. With
 * {@code --json} each prints what the REST API answers for the same operation.
 */
@Command(name = "connections", description = "Named, durable loads (as DataLens connections): list, show, add, edit, pause, resume, run, delete",
        subcommands = {ConnectionsCommand.ListAll.class, ConnectionsCommand.Show.class, ConnectionsCommand.Add.class,
                ConnectionsCommand.Edit.class, ConnectionsCommand.Pause.class, ConnectionsCommand.Resume.class, ConnectionsCommand.Run.class,
                ConnectionsCommand.Delete.class})
final class ConnectionsCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    LoaderCli cli;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err); // a subcommand is required
        return ExitCodes.USAGE;
    }

    abstract static class Sub implements Callable<Integer> {
        @CommandLine.ParentCommand
        ConnectionsCommand parent;
        @CommandLine.Mixin
        JsonOption json;

        ConnectionService service() throws IOException {
            parent.cli.init(json.on);
            return parent.cli.connections();
        }
    }

    abstract static class Named extends Sub {
        @Parameters(index = "0", description = "the connection's name")
        String name;
    }

    /** A connection from a JSON file, or standard input for "-". */
    static Connection read(Path file) throws IOException {
        String text = file.toString().equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(file, StandardCharsets.UTF_8);
        return Connection.fromJson(text);
    }

    @Command(name = "list", description = "The connections and their state (GET /api/connections)")
    static final class ListAll extends Sub {
        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, s::list, r -> {
                System.out.printf("%-24s %-10s %-9s %-10s %s%n", "NAME", "STATE", "REGULAR", "LOAD-FROM", "LAST RUN");
                for (Object o : (List<?>) r) {
                    ConnectionView v = (ConnectionView) o;
                    String last = v.lastRun() == null ? "-" : v.lastRun().executionId() + " " + v.lastRun().status();
                    System.out.printf("%-24s %-10s %-9s %-10s %s%n", v.name(), v.state(), v.connection().regularity(), v.connection().loadFrom(), last);
                }
            });
        }
    }

    @Command(name = "show", description = "One connection (GET /api/connections/NAME): show NAME")
    static final class Show extends Named {
        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.show(name), r -> System.out.println(AdminJson.pretty(r)));
        }
    }

    @Command(name = "add", description = "Add a connection from JSON (POST /api/connections): add --file F.json (- for standard input)")
    static final class Add extends Sub {
        @Option(names = "--file", required = true, description = "the connection as JSON (see docs/connections.md)")
        Path file;

        @Override
        public Integer call() throws Exception {
            Connection c = read(file);
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.add(c), r -> {
                ConnectionView v = (ConnectionView) r;
                System.out.println("connection " + v.name() + " added (" + v.connection().regularity() + ", from " + v.connection().loadFrom()
                        + "): load it with: connections run " + v.name());
            });
        }
    }

    @Command(name = "edit", description = "Replace a connection's definition (PUT /api/connections/NAME) and say what that does to its data: "
            + "edit NAME --file F.json [--dry-run] [--drop-removed]")
    static final class Edit extends Named {
        @Option(names = "--file", required = true, description = "the whole connection as JSON (- for standard input)")
        Path file;
        @Option(names = "--dry-run", description = "only print the plan; save nothing")
        boolean dryRun;
        @Option(names = "--drop-removed", description = "drop the loaded data of removed applications and sources")
        boolean dropRemoved;

        @Override
        public Integer call() throws Exception {
            Connection c = read(file);
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.edit(name, c, dryRun, dropRemoved), r -> {
                EditPlan plan = ((ConnectionService.Edited) r).plan();
                for (EditPlan.Action a : plan.actions()) {
                    System.out.println(a.kind() + ": " + a.text());
                }
                System.out.println(dryRun ? "dry run: nothing saved" : "connection " + name + " saved");
            });
        }
    }

    @Command(name = "pause", description = "No more runs until resumed (POST /api/connections/NAME/pause): pause NAME")
    static final class Pause extends Named {
        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.pause(name), r -> System.out.println("connection " + name + " paused"));
        }
    }

    @Command(name = "resume", description = "Run again on schedule (POST /api/connections/NAME/resume): resume NAME")
    static final class Resume extends Named {
        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.resume(name), r -> System.out.println("connection " + name + " resumed"));
        }
    }

    @Command(name = "delete", description = "Delete a connection (DELETE /api/connections/NAME): delete NAME [--drop-data]")
    static final class Delete extends Named {
        @Option(names = "--drop-data", description = "also drop the data it loaded from its target tables")
        boolean dropData;

        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            return LoaderCli.adminCommand(json.on, () -> s.delete(name, dropData),
                    r -> System.out.println("connection " + name + " deleted" + (dropData ? ", its data dropped" : ", its data kept")));
        }
    }

    @Command(name = "run", description = "Load what is due now, in this process, and wait for it: run NAME. Exit codes as for run.")
    static final class Run extends Named {
        @Override
        public Integer call() throws Exception {
            ConnectionService s = service();
            var out = json.on ? System.err : System.out;
            Optional<JobExecution> run;
            try {
                run = s.run(name, id -> out.println("execution id: " + id));
            } catch (AdminException e) {
                return LoaderCli.adminCommand(json.on, () -> {
                    throw e;
                }, r -> { });
            }
            int code = ExitCodes.COMPLETED;
            if (run.isEmpty()) {
                out.println("connection " + name + ": nothing due");
            } else {
                JobExecution x = run.get();
                Reports.summary(out, x);
                if (x.getBatchStatus() != BatchStatus.COMPLETED) {
                    Reports.ending(out, x);
                    code = x.getBatchStatus() == BatchStatus.STOPPED ? ExitCodes.STOPPED : ExitCodes.FAILED;
                }
            }
            if (json.on) {
                System.out.println(AdminJson.pretty(s.show(name)));
            }
            return code;
        }
    }
}
