package org.appmetrica.loader.standalone;

import org.appmetrica.loader.simulator.Bandwidth;
import org.appmetrica.loader.simulator.LogsApiSimulator;
import org.appmetrica.loader.simulator.SimulatedData;
import org.appmetrica.loader.simulator.SimulatorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code simulator --token T}. */
@Command(name = "simulator", description = "Run the Logs API simulator on 127.0.0.1 until interrupted")
final class SimulatorCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8090")
    int port;
    @Option(names = "--token", required = true, description = "the OAuth token it accepts")
    String token;
    @Option(names = "--rows-per-day", defaultValue = "1000")
    int rowsPerDay;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--ready-after", defaultValue = "2", description = "202 answers before an export is ready")
    int readyAfter;
    @Option(names = "--max-rows-per-file", defaultValue = "0", description = "above this a file needs parts (0 = never)")
    long maxRowsPerFile;
    @Option(names = "--fault-rate", defaultValue = "0", description = "share of requests answered 5xx")
    double faultRate;
    @Option(names = "--late-rows", defaultValue = "0", description = "rows of a day that arrive late, per day after it ends")
    int lateRows;
    @Option(names = "--late-days", defaultValue = "0", description = "days after its end a day keeps growing")
    int lateDays;
    @Option(names = "--bandwidth", description = "pace exports to this link speed, e.g. 100mbit (default: unlimited)")
    String bandwidth;

    @Override
    public Integer call() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults(token).withPort(port).withTokens(Map.of(token, Set.of()))
                .withSeed(seed).withRowsPerDay(rowsPerDay).withReadyAfter(readyAfter)
                .withMaxRowsPerFile(maxRowsPerFile).withFaultRate(faultRate);
        try (LogsApiSimulator simulator = new LogsApiSimulator(config).start()) {
            if (lateRows > 0 && lateDays > 0) {
                simulator.setLateRows(new SimulatedData.LateRows(lateRows, lateDays,
                        () -> LocalDate.now(ZoneOffset.UTC)));
            }
            if (bandwidth != null) {
                simulator.setBandwidth(Bandwidth.parse(bandwidth));
            }
            System.out.println("Logs API simulator listening on " + simulator.baseUrl());
            Thread.currentThread().join();
        }
        return ExitCodes.COMPLETED;
    }
}
