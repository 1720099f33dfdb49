package org.appmetrica.loader.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --config FILE: the global options from a properties file, the command line over it, a subcommand's --config left alone. */
class GlobalConfigTest {

    @TempDir
    Path dir;

    private LoaderCli parse(String... args) {
        LoaderCli cli = new LoaderCli();
        CommandLine commandLine = LoaderCli.commandLine(cli, GlobalConfig.subcommand(args)); // as main builds it
        GlobalConfig.apply(commandLine, args);
        commandLine.parseArgs(args);
        return cli;
    }

    private Path config(String text) throws Exception {
        Path file = dir.resolve("loader.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theFileSetsTheGlobalOptionsOfEverySubcommand() throws Exception {
        Path file = config("# state\ndata-dir=/var/lib/loader-test\nrepository-url=jdbc:h2:mem:x\nlog-format=json\n");
        LoaderCli cli = parse("--config", file.toString(), "executions");
        assertEquals(Path.of("/var/lib/loader-test"), cli.options.dataDir);
        assertEquals("jdbc:h2:mem:x", cli.options.repositoryUrl);
        assertEquals(LogFormat.json, cli.options.logFormat);
        assertEquals(Path.of("/var/lib/loader-test"), parse("--config=" + file, "run", "--config", "job.properties").options.dataDir);
    }

    @Test
    void theCommandLineWinsOverTheFile() throws Exception {
        Path file = config("data-dir=/var/lib/loader-test\nlog-format=json\n");
        assertEquals(Path.of("/tmp/other"), parse("--config", file.toString(), "--data-dir", "/tmp/other", "executions").options.dataDir);
        assertEquals(Path.of("/tmp/other"), parse("--data-dir", "/tmp/other", "--config", file.toString(), "executions").options.dataDir);
        assertEquals(Path.of("/tmp/other"), parse("--config", file.toString(), "executions", "--data-dir", "/tmp/other").options.dataDir);
        assertEquals(LogFormat.human, parse("--config", file.toString(), "--log-format", "human", "executions").options.logFormat);
    }

    @Test
    void aSubcommandsOwnConfigIsNotTheGlobalOne() {
        assertNull(GlobalConfig.file(new String[] {"run", "--config", "job.properties"}));
        assertNull(GlobalConfig.file(new String[] {"--data-dir", "--config", "schedule", "--config", "r.properties"}));
        assertEquals(Path.of("g.properties"), GlobalConfig.file(new String[] {"--log-format", "json", "--config", "g.properties", "run"}));
    }

    @Test
    void anUnknownKeyOrAMissingFileIsRefused() throws Exception {
        Path file = config("datadir=/var/lib/typo\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--config", file.toString(), "executions"));
        assertTrue(e.getMessage().contains("unknown key 'datadir'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("--config", dir.resolve("none").toString(), "executions"));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
