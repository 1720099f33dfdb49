package org.appmetrica.loader.logsapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the asynchronous export protocol (docs/logs-api.md §4) for one request and spools the ready file to disk:
 * 202 → wait and ask again; 429 → wait longer; 5xx, timeouts and broken bodies → bounded retries with
 * exponential back-off; 400 "Try to use more parts." → {@link PartsRequiredException}; any other 4xx →
 * {@link LogsApiException} at once. {@code Cache-Control: no-cache} goes only on the first request,
 * because repeating it sends the export back to the end of the queue.
 */
public final class ExportDownloader {

    private static final Pattern PROGRESS = Pattern.compile("Progress is (\\d+)%");
    private static final String MORE_PARTS = "Try to use more parts.";
    private static final Duration STOP_CHECK = Duration.ofMillis(200);
    /**
     * Socket reads and spool writes: 256 KB took 13 % less CPU than 64 KB on the download thread (fewer system calls;
     * DownloadSpeedBenchmark), and stays below the size G1 allocates as a humongous object under -Xmx256m.
     */
    private static final int BUFFER = 256 * 1024;

    private final LogsApiTransport transport;
    private final PollSettings settings;
    private final Sleeper sleeper;
    private final Clock clock;
    private final BooleanSupplier stopRequested;
    private final ExportProgress progress;

    public ExportDownloader(LogsApiTransport transport, PollSettings settings, Sleeper sleeper, Clock clock,
                            BooleanSupplier stopRequested, ExportProgress progress) {
        this.transport = transport;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clock = clock;
        this.stopRequested = stopRequested;
        this.progress = progress;
    }

    /**
     * Waits until the export is ready and writes it to {@code target} (atomically: a partial file never has that name).
     *
     * @param noCache ask the API to prepare a fresh file (first request only)
     */
    public Download download(ExportRequest request, boolean noCache, Path target) {
        return download(request, noCache, target, null);
    }

    /**
     * As {@link #download(ExportRequest, boolean, Path)}, telling {@code live} about every byte written so that it can be
     * read at once. A body that breaks off is then not fetched again (its reader has read part of it): the download
     * fails, and the reader's chunk retry starts over.
     */
    Download download(ExportRequest request, boolean noCache, Path target, LiveDownload live) {
        Instant deadline = clock.instant().plus(settings.deadline());
        boolean sendNoCache = noCache;
        int failures = 0;
        int polls = 0;
        boolean sent = false;
        while (true) {
            if (stopRequested.getAsBoolean()) {
                throw new StopRequestedException("stop requested while waiting for " + request.describe());
            }
            if (!sent) {
                progress.requested(request); // only once the stop was checked: "requested" means a request goes out
                sent = true;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new ExportTimeoutException("the Logs API did not prepare " + request.describe() + " within "
                        + settings.deadline().toSeconds() + " s (pollTimeoutSeconds); restart the execution to keep waiting for the same export");
            }
            String failure;
            Throwable cause = null;
            try (StopWatch watch = StopWatch.abortOnStop(stopRequested, transport);
                 ApiResponse response = transport.get(request, sendNoCache)) {
                int status = response.status();
                org.appmetrica.loader.config.Timeline.mark(request.describe() + ": HTTP " + status);
                if (status == 200) {
                    long started = clock.millis();
                    try {
                        checkEncoding(response, request);
                        Download download = spool(response, target, live);
                        progress.downloaded(request, download.bytes(), clock.millis() - started);
                        return download;
                    } catch (IOException e) {
                        stopIfRequested(request);
                        if (live != null) {
                            throw new TransientApiException("the download of " + request.describe() + " broke off: " + e.getMessage(), e);
                        }
                        sendNoCache = false; // the file exists on the server: fetch the same one again
                        failure = "download broke off: " + e.getMessage();
                        cause = e;
                    }
                } else if (status == 202) {
                    sendNoCache = false;
                    failures = 0;
                    progress.waiting(request, response.text(), percentOf(response.text()));
                    pause(settings.pollWait(++polls), request);
                    continue;
                } else if (status == 429 || status == 420) {
                    progress.rateLimited(request, response.text());
                    pause(settings.rateLimitWait(), request);
                    continue;
                } else if (status == 400 && response.text() != null && response.text().contains(MORE_PARTS)) {
                    throw new PartsRequiredException("the Logs API asks for more parts for " + request.describe() + ": " + response.text());
                } else if (status >= 500) {
                    failure = "HTTP " + status + (response.text() == null || response.text().isBlank() ? "" : " " + oneLine(response.text()));
                } else {
                    throw new LogsApiException(status, "the Logs API refused " + request.describe() + " with HTTP " + status + ": "
                            + oneLine(response.text()) + hint(status));
                }
            } catch (IOException e) {
                stopIfRequested(request);
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                cause = e;
            }
            failures++;
            if (failures > settings.maxRetries()) {
                throw new TransientApiException("the Logs API failed " + failures + " times in a row for " + request.describe()
                        + "; last error: " + failure, cause);
            }
            progress.retrying(request, failure, failures);
            pause(settings.backoff(failures), request);
        }
    }

    private void stopIfRequested(ExportRequest request) {
        if (stopRequested.getAsBoolean()) {
            throw new StopRequestedException("stop requested while downloading " + request.describe());
        }
    }

    /** gzip (asked for or not) is read as such; an encoding the loader cannot read fails with its name. */
    private static void checkEncoding(ApiResponse response, ExportRequest request) {
        String encoding = response.contentEncoding() == null ? "identity" : response.contentEncoding().strip().toLowerCase(java.util.Locale.ROOT);
        if (!encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("x-gzip")) {
            throw new LogsApiException(200, "the Logs API sent " + request.describe() + " with Content-Encoding '"
                    + oneLine(response.contentEncoding()) + "', which the loader did not ask for and cannot read (it reads gzip)");
        }
    }

    private Download spool(ApiResponse response, Path target, LiveDownload live) throws IOException {
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        MessageDigest sha = sha256();
        long bytes = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = response.body();
             SpoolFile out = SpoolFile.create(partial, SpoolFile.DIRECT)) {
            if (live != null) {
                live.started(partial, out);
            }
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                sha.update(buffer, 0, n);
                bytes += n;
                if (live != null) {
                    if (live.cancelled()) {
                        throw new IOException("cancelled");
                    }
                    live.wrote(out.onDisk());
                }
            }
            if (response.contentLength() >= 0 && bytes != response.contentLength()) {
                throw new TruncatedBody("body truncated: got " + bytes + " of " + response.contentLength() + " bytes");
            }
            out.finish();
        } catch (ExportTooLargeException | TruncatedBody e) {
            Files.deleteIfExists(partial); // what is over the limit or cut short never stays on disk
            throw e;
        }
        org.appmetrica.loader.config.Timeline.mark("last byte: " + bytes + " bytes");
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Download(target, bytes, HexFormat.of().formatHex(sha.digest()));
    }

    private static final class TruncatedBody extends IOException {
        TruncatedBody(String message) {
            super(message);
        }
    }

    private void pause(Duration duration, ExportRequest request) {
        Instant until = clock.instant().plus(duration);
        try {
            while (clock.instant().isBefore(until)) {
                if (stopRequested.getAsBoolean()) {
                    throw new StopRequestedException("stop requested while waiting for " + request.describe());
                }
                Duration left = Duration.between(clock.instant(), until);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                sleeper.sleep(left.compareTo(STOP_CHECK) < 0 ? left : STOP_CHECK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequestedException("interrupted while waiting for " + request.describe());
        }
    }

    static int percentOf(String text) {
        if (text == null) {
            return -1;
        }
        Matcher m = PROGRESS.matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (check the OAuth token: tokenRef)";
            case 403 -> " (the token has no access to this application)";
            case 404 -> " (unknown source or API URL: check sources and apiUrl)";
            default -> "";
        };
    }

    private static String oneLine(String text) {
        String t = String.valueOf(text).replaceAll("\\s+", " ").trim();
        return t.length() > 500 ? t.substring(0, 500) + "…" : t;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
