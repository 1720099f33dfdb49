package org.appmetrica.loader.simulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A local HTTP implementation of the AppMetrica Logs API (docs/logs-api.md §4–§6): exports of every catalogue source
 * as CSV or JSON through the asynchronous 202/200 protocol, the per-application queue limit, parts, filters, gzip,
 * BOM, the management endpoints, fault injection, and a gate for tests ({@link #holdExports(Predicate)}: chosen
 * exports stay queued until released, with a signal when one was requested). Binds 127.0.0.1 only.
 *
 * <p>The parts: {@link SimulatorHttp} (requests, authentication, routing), {@link ExportEndpoint} and
 * {@link ExportQueue} (the export protocol), {@link ExportFiles} (preparation: each export rendered once to a file
 * with its gzip copy), {@link FileAnswer} (the download: encoding, pacing, cuts), {@link ManagementApi} and
 * {@link Faults}.
 */
public final class LogsApiSimulator implements AutoCloseable {

    static final String TEXT_QUEUE_FULL = ExportQueue.TEXT_QUEUE_FULL;

    static {
        // The JDK server writes the headers and the body separately; with Nagle's algorithm on, every small answer
        // then waits for the client's delayed ACK (about 40 ms per request on Linux). Read once by the JDK when
        // its first HttpServer is created; an explicit setting by the application wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SimulatorConfig config;
    private volatile SimulatedData data;
    private volatile Bandwidth bandwidth;
    private final Faults faults;
    private final ExportQueue queue;
    private final Object lock = new Object();

    private HttpServer server;
    private ExecutorService httpExecutor;
    private volatile ExportFiles files;
    private volatile SimulatorHttp http;
    private volatile boolean closed;

    public LogsApiSimulator(SimulatorConfig config) {
        this.config = config;
        this.data = new SimulatedData(config.seed(), config.rowsPerDay());
        this.faults = new Faults(config.seed(), config.faultRate());
        this.queue = new ExportQueue(config.readyAfter(), () -> data, p -> files.prerender(p));
    }

    /** Binds 127.0.0.1 on the configured port (0 = ephemeral) and starts serving. */
    public LogsApiSimulator start() throws IOException {
        synchronized (lock) {
            if (server != null) {
                throw new IllegalStateException("already started");
            }
            if (closed) {
                throw new IllegalStateException("closed");
            }
            files = new ExportFiles(config.maxRowsPerFile());
            ExportEndpoint exports = new ExportEndpoint(queue, files, faults, () -> bandwidth);
            http = new SimulatorHttp(config, faults, exports, new ManagementApi(config), queue, () -> closed);
            httpExecutor = Executors.newFixedThreadPool(8, SimulatorHttp.daemonThreads("logs-api-sim-http-"));
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
            server.createContext("/", http::handle);
            server.setExecutor(httpExecutor);
            server.start();
        }
        return this;
    }

    public int port() {
        HttpServer s = server;
        if (s == null) {
            throw new IllegalStateException("not started");
        }
        return s.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** The ground truth used for exports prepared from now on. */
    public SimulatedData data() {
        return data;
    }

    /** Rows per (application, source, day) of exports prepared from now on. */
    public void setRowsPerDay(int rows) {
        data = new SimulatedData(config.seed(), rows, data.lateRows());
    }

    /** Days keep growing after they end, by the given rule, for exports prepared from now on. */
    public void setLateRows(SimulatedData.LateRows rule) {
        data = new SimulatedData(config.seed(), data.rowsPerDay(), rule);
    }

    /** Paces every export body to this shared bandwidth (null: as fast as the machine goes). */
    public void setBandwidth(Bandwidth limit) {
        bandwidth = limit;
    }

    /** The next {@code count} export requests are answered with {@code status} and a short text body. */
    public void failNextRequests(int count, int status) {
        faults.failNext(count, status);
    }

    /**
     * The next {@code count} 200 answers send their headers with the full Content-Length, then {@code afterBytes}
     * bytes of the body, then abort the connection.
     */
    public void dropNextDownloads(int count, long afterBytes) {
        faults.dropNext(count, afterBytes);
    }

    /**
     * The next {@code count} 200 answers are cut cleanly: Content-Length = {@code afterBytes} and the body ends there,
     * a truncated file that only parsing can detect.
     */
    public void truncateNextDownloads(int count, long afterBytes) {
        faults.truncateNext(count, afterBytes);
    }

    /**
     * From now on, export requests matching {@code which} are answered 202 (queued, docs/logs-api.md §4.3) whatever
     * the export's state, until {@link #releaseHeld()}: the export neither progresses nor becomes ready. The
     * application's queue limit and {@code Cache-Control: no-cache} work as usual. Replaces an earlier hold and
     * forgets the requests it held.
     */
    public void holdExports(Predicate<ExportQuery> which) {
        queue.hold(which);
    }

    /** Holds the exports of {@code source} for {@code applicationId} whose date range includes {@code day}. */
    public void hold(String source, long applicationId, LocalDate day) {
        holdExports(q -> q.source().name().equals(source) && q.applicationId() == applicationId && q.days().contains(day));
    }

    /** Held exports continue where they were: the next request of each progresses as if the hold had never been. */
    public void releaseHeld() {
        queue.release();
    }

    /**
     * Returns the first request the current hold answered 202 (recorded as the answer is sent), waiting for it up to
     * {@code timeout}.
     */
    public RecordedRequest awaitHeldRequest(Duration timeout) throws InterruptedException, TimeoutException {
        return queue.awaitHeld(timeout, () -> requests().size());
    }

    /** The requests the current hold answered 202, in order. */
    public List<RecordedRequest> heldRequests() {
        return queue.heldRequests();
    }

    /** Every request received so far, in order. */
    public List<RecordedRequest> requests() {
        SimulatorHttp h = http;
        return h == null ? List.of() : h.requests();
    }

    @Override
    public void close() {
        HttpServer s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = server;
            queue.cancelAll();
        }
        if (s != null) {
            s.stop(0);
        }
        SimulatorHttp.shutdown(httpExecutor);
        if (files != null) {
            files.close();
        }
    }
}
