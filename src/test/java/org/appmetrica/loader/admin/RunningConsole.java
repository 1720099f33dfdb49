package org.appmetrica.loader.admin;

import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The standalone console as a process, set up as the console's ITs need it: a work directory under target, a users file
 * with one user, the token in APPMETRICA_TOKEN, and the simulator and the test ClickHouse allowed. Register it on a
 * static field after the {@link SimulatorAndClickHouse} it uses:
 * <pre>
 * &#64;RegisterExtension &#64;Order(1) static final SimulatorAndClickHouse env = SimulatorAndClickHouse.of(config);
 * &#64;RegisterExtension &#64;Order(2) static final RunningConsole console = RunningConsole.of("name", env, TOKEN, USER, PASSWORD);
 * </pre>
 * It starts one console for the class (before the class's own {@code @BeforeAll}), or, with {@link #perTest()}, none:
 * the tests {@link #open} their own.
 */
public final class RunningConsole implements BeforeAllCallback, AfterAllCallback {

    /** What happens in the console's data directory before it starts (loads run with the CLI, for instance). */
    @FunctionalInterface
    public interface Preparation {
        void prepare(Path dataDir) throws Exception;
    }

    private final String name;
    private final SimulatorAndClickHouse env;
    private final String token;
    private final String user;
    private final String password;
    private final boolean forTheClass;
    private final Preparation preparation;
    private final List<String> options;
    private ConsoleProcess console;

    private RunningConsole(String name, SimulatorAndClickHouse env, String token, String user, String password, boolean forTheClass,
                           Preparation preparation, List<String> options) {
        this.name = name;
        this.env = env;
        this.token = token;
        this.user = user;
        this.password = password;
        this.forTheClass = forTheClass;
        this.preparation = preparation;
        this.options = List.copyOf(options);
    }

    public static RunningConsole of(String name, SimulatorAndClickHouse env, String token, String user, String password) {
        return new RunningConsole(name, env, token, user, password, true, dataDir -> { }, List.of());
    }

    /** No console for the class: each test opens its own. */
    public RunningConsole perTest() {
        return new RunningConsole(name, env, token, user, password, false, preparation, options);
    }

    public RunningConsole beforeStart(Preparation step) {
        return new RunningConsole(name, env, token, user, password, forTheClass, step, options);
    }


    /** A console of its own, in a new work directory under target; close it. */
    public ConsoleProcess open(String directoryName, String... moreOptions) throws Exception {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), directoryName);
        Path data = work.resolve("data");
        Files.createDirectories(data);
        preparation.prepare(data);
        List<String> all = new ArrayList<>(List.of("--allow-api-url", env.apiUrl(), "--allow-clickhouse", TestClickHouse.jdbcUrl()));
        all.addAll(options);
        all.addAll(List.of(moreOptions));
        return ConsoleProcess.start(data, ConsoleProcess.usersFile(work, user, password), Map.of("APPMETRICA_TOKEN", token),
                all.toArray(String[]::new));
    }

    /** The class's console. */
    public ConsoleProcess console() {
        if (console == null) {
            throw new IllegalStateException("no console for the class: registered with perTest(), or not on a static field");
        }
        return console;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (forTheClass) {
            console = open(name);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (console != null) {
            console.close();
            console = null;
        }
    }
}
