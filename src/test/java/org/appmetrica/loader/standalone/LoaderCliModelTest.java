package org.appmetrica.loader.standalone;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Picocli's model holds only the subcommand being run (a faster start); what a user sees stays as with every subcommand. */
class LoaderCliModelTest {

    @Test
    void theSubcommandIsTheFirstArgumentThatIsNoGlobalOption() {
        assertEquals("executions", GlobalConfig.subcommand(new String[] {"--data-dir", "run", "executions", "--json"}));
        assertEquals("run", GlobalConfig.subcommand(new String[] {"--log-format=json", "--heartbeat-interval", "5", "run", "a=b"}));
        assertEquals("status", GlobalConfig.subcommand(new String[] {"--config", "g.properties", "status", "7"}));
        assertNull(GlobalConfig.subcommand(new String[] {"--help"}));
        assertNull(GlobalConfig.subcommand(new String[] {"--", "run"}));
        assertNull(GlobalConfig.subcommand(new String[] {}));
    }

    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertEquals(Set.of("run"), LoaderCli.commandLine(new LoaderCli(), "run").getSubcommands().keySet());
        assertEquals(LoaderCli.SUBCOMMANDS.size(), LoaderCli.commandLine(new LoaderCli(), null).getSubcommands().size());
        assertEquals(LoaderCli.SUBCOMMANDS.size(), LoaderCli.commandLine(new LoaderCli(), "no-such-command").getSubcommands().size());
    }

    @Test
    void theGlobalOptionsReachTheOneSubcommand() {
        LoaderCli cli = new LoaderCli();
        LoaderCli.commandLine(cli, "run").parseArgs("run", "--data-dir", "/tmp/after-the-subcommand", "a=b");
        assertEquals(Path.of("/tmp/after-the-subcommand"), cli.options.dataDir);
    }

    @Test
    void anErrorBeforeTheSubcommandShowsTheUsageOfEveryCommand() {
        String withOne = stderr(() -> assertEquals(ExitCodes.USAGE, LoaderCli.execute(new String[] {"--no-such-option", "run"}, "run",
                new LoaderCli[1])));
        String withAll = stderr(() -> assertEquals(ExitCodes.USAGE, LoaderCli.execute(new String[] {"--no-such-option", "run"}, null,
                new LoaderCli[1])));
        assertTrue(withOne.contains("Unknown option: '--no-such-option'") && withOne.contains("hash-password"), withOne);
        assertEquals(withAll, withOne);
    }

    private static String stderr(Runnable action) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
